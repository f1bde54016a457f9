package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// target builds the requests for one remote file.
type target interface {
	// request returns a GET of the file with the given headers set and
	// signed where the target needs it.
	request(ctx context.Context, header http.Header) (*http.Request, error)
}

// StatusError is a response that no retry can change (401, 403, 404, 410,
// 412 (the file changed since it was opened), 416 and other 4xx statuses);
// its message names the URL.
type StatusError struct {
	URL    string
	Status string // e.g. "404 Not Found"
	Code   int
	Detail string // the start of the body, e.g. S3's error code
}

// Is reports a 404 or 410 answer as fs.ErrNotExist.
func (e *StatusError) Is(target error) bool {
	return target == fs.ErrNotExist && (e.Code == http.StatusNotFound || e.Code == http.StatusGone)
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("remote: %s: %s", e.URL, e.Status)
	switch e.Code {
	case http.StatusForbidden, http.StatusUnauthorized:
		msg += " (access denied: check the URL, or credentials for a private bucket)"
	case http.StatusNotFound, http.StatusGone:
		msg += " (no such file)"
	case http.StatusPreconditionFailed:
		msg += " (the file changed on the server while it was being read)"
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// wholeFile is a 200 answer to the first request, body unread.
type wholeFile struct{ resp *http.Response }

func (e *wholeFile) Error() string { return "whole file sent instead of a range" }

// retryable is a failure that a repeated request may cure.
type retryable struct{ err error }

func (e retryable) Error() string { return e.err.Error() }
func (e retryable) Unwrap() error { return e.err }

// transientStatus reports whether an HTTP status is worth retrying: a
// server error, 429 Too Many Requests or 408 Request Timeout.
func transientStatus(code int) bool {
	return code >= 500 || code == http.StatusTooManyRequests || code == http.StatusRequestTimeout
}

// statusFailure is the error for an answer that carries no data: retryable
// when its status is transient, else a *StatusError with the start of the
// body (S3 explains itself there). It does not close the body.
func statusFailure(url string, resp *http.Response) error {
	if transientStatus(resp.StatusCode) {
		return retryable{fmt.Errorf("status %s", resp.Status)}
	}
	detail, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	return &StatusError{URL: url, Status: resp.Status, Code: resp.StatusCode, Detail: s3Detail(string(detail))}
}

// rangeIgnored is the error for a 200 OK answer to a range request.
func rangeIgnored(url string) error {
	return fmt.Errorf("remote: %s: the server ignored the range request (200 OK instead of 206): it does not serve byte ranges", url)
}

// fetch fills bufs, in order, with the bytes at off (len of all bufs
// together), retrying as Options say.
func (f *File) fetch(off int64, bufs [][]byte) error {
	var n int64
	for _, b := range bufs {
		n += int64(len(b))
	}
	if n == 0 {
		return nil
	}
	rng := fmt.Sprintf("bytes=%d-%d", off, off+n-1)
	return f.withRetries(rng, func(ctx context.Context) error {
		resp, err := f.send(ctx, rng)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		start, end, total, err := contentRange(resp)
		if err != nil {
			return err
		}
		if start != off || end != off+n-1 || total != f.size {
			return retryable{fmt.Errorf("wrong Content-Range %q for %s of a %d-byte file", resp.Header.Get("Content-Range"), rng, f.size)}
		}
		return f.readBody(resp, bufs, n)
	})
}

// fetchProbe fills buf with the file's first bytes (fewer when the file is
// shorter) and returns how many it got and the file's size.
func (f *File) fetchProbe(buf []byte) (int64, int64, error) {
	rng := fmt.Sprintf("bytes=0-%d", len(buf)-1)
	var got, size int64
	err := f.withRetries(rng, func(ctx context.Context) error {
		resp, err := f.send(ctx, rng)
		var whole *wholeFile
		if errors.As(err, &whole) {
			// A server may answer a range covering the whole file with
			// the whole file: take it when it fits the buffer.
			defer whole.resp.Body.Close()
			n := whole.resp.ContentLength
			if n <= 0 || n > int64(len(buf)) {
				return fmt.Errorf("remote: %s: the server ignored the range request (200 OK instead of 206): it does not serve byte ranges", f.url)
			}
			if err := f.readBody(whole.resp, [][]byte{buf[:n]}, n); err != nil {
				return err
			}
			got, size = n, n
			return nil
		}
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		start, end, total, err := contentRange(resp)
		if err != nil {
			return err
		}
		want := min(int64(len(buf)), total)
		if start != 0 || end != want-1 {
			return retryable{fmt.Errorf("wrong Content-Range %q for %s", resp.Header.Get("Content-Range"), rng)}
		}
		if err := f.readBody(resp, [][]byte{buf[:want]}, want); err != nil {
			return err
		}
		got, size = want, total
		if etag := resp.Header.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
			f.etag = etag
		}
		return nil
	})
	return got, size, err
}

// send makes one request for the byte range rng and checks its status.
func (f *File) send(ctx context.Context, rng string) (*http.Response, error) {
	h := http.Header{"Range": {rng}}
	if f.etag != "" {
		h.Set("If-Match", f.etag) // never mix the bytes of two versions of the file
	}
	req, err := f.target.request(ctx, h)
	if err != nil {
		return nil, err
	}
	f.count.requests.Add(1)
	resp, err := f.opts.Client.Do(req)
	if err != nil {
		return nil, retryable{err}
	}
	switch {
	case resp.StatusCode == http.StatusPartialContent:
		return resp, nil
	case resp.StatusCode == http.StatusOK && f.size < 0:
		return nil, &wholeFile{resp} // the first request: fetchProbe decides
	case resp.StatusCode == http.StatusOK:
		resp.Body.Close()
		return nil, rangeIgnored(f.url)
	default:
		err := statusFailure(f.url, resp)
		resp.Body.Close()
		return nil, err
	}
}

// readBody reads exactly n bytes of resp's body into bufs; a short body, a
// Content-Length that disagrees or a body longer than n is retryable.
func (f *File) readBody(resp *http.Response, bufs [][]byte, n int64) error {
	if resp.ContentLength >= 0 && resp.ContentLength != n {
		return retryable{fmt.Errorf("Content-Length %d for %d requested bytes", resp.ContentLength, n)}
	}
	for _, b := range bufs {
		m, err := io.ReadFull(resp.Body, b)
		f.count.bytes.Add(int64(m))
		if err != nil {
			return retryable{fmt.Errorf("body cut short: %w", err)}
		}
	}
	var one [1]byte
	if m, _ := resp.Body.Read(one[:]); m > 0 {
		return retryable{fmt.Errorf("body longer than the %d requested bytes", n)}
	}
	return nil
}

// contentRange parses "bytes START-END/TOTAL".
func contentRange(resp *http.Response) (start, end, total int64, err error) {
	h := resp.Header.Get("Content-Range")
	bad := retryable{fmt.Errorf("bad Content-Range %q", h)}
	rest, ok := strings.CutPrefix(h, "bytes ")
	if !ok {
		return 0, 0, 0, bad
	}
	span, tot, ok := strings.Cut(rest, "/")
	if !ok {
		return 0, 0, 0, bad
	}
	a, b, ok := strings.Cut(span, "-")
	if !ok {
		return 0, 0, 0, bad
	}
	start, err1 := strconv.ParseInt(a, 10, 64)
	end, err2 := strconv.ParseInt(b, 10, 64)
	total, err3 := strconv.ParseInt(tot, 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || start < 0 || end < start || total <= end {
		return 0, 0, 0, bad
	}
	return start, end, total, nil
}

// withRetries runs attempt, each under its own timeout, until it succeeds,
// fails for good or the retries are spent.
func (f *File) withRetries(rng string, attempt func(ctx context.Context) error) error {
	var err error
	for i := 0; i <= f.opts.Retries; i++ {
		if i > 0 {
			f.count.retries.Add(1)
			if werr := f.wait(i); werr != nil {
				return fmt.Errorf("remote: %s: %s: %w (after %v)", f.url, rng, werr, err)
			}
		}
		if cerr := context.Cause(f.ctx); cerr != nil {
			return fmt.Errorf("remote: %s: %s: %w", f.url, rng, cerr)
		}
		ctx, cancel := context.WithTimeout(f.ctx, f.opts.Timeout)
		t0 := time.Now()
		err = attempt(ctx)
		f.count.fetchNanos.Add(int64(time.Since(t0)))
		cancel()
		if err == nil {
			return nil
		}
		if cerr := context.Cause(f.ctx); cerr != nil {
			return fmt.Errorf("remote: %s: %s: %w", f.url, rng, cerr)
		}
		if !errors.As(err, new(retryable)) {
			return err
		}
	}
	return fmt.Errorf("remote: %s: %s: failed after %d attempts: %w", f.url, rng, f.opts.Retries+1, err)
}

// wait sleeps before retry i: Backoff doubled per retry, at most 5 s, with
// up to 50 % jitter so that concurrent readers do not retry in step.
func (f *File) wait(i int) error {
	d := f.opts.Backoff << (i - 1)
	if d > 5*time.Second || d <= 0 {
		d = 5 * time.Second
	}
	d += time.Duration(rand.Int64N(int64(d)/2 + 1))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-f.ctx.Done():
		return context.Cause(f.ctx)
	}
}

// s3Detail shortens an error body: S3's <Code> and <Message> when present,
// else the first line.
func s3Detail(body string) string {
	tag := func(name string) string {
		_, rest, ok := strings.Cut(body, "<"+name+">")
		if !ok {
			return ""
		}
		v, _, _ := strings.Cut(rest, "</"+name+">")
		return v
	}
	if code := tag("Code"); code != "" {
		if msg := tag("Message"); msg != "" {
			return code + ": " + msg
		}
		return code
	}
	line, _, _ := strings.Cut(strings.TrimSpace(body), "\n")
	if len(line) > 200 {
		line = line[:200]
	}
	return line
}
