package remote

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// TooLargeError is an object larger than a [Get] allowed.
type TooLargeError struct {
	URL       string
	Size, Max int64 // Size is -1 when the server did not say
}

func (e *TooLargeError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("remote: %s: more than the %d bytes allowed", e.URL, e.Max)
	}
	return fmt.Sprintf("remote: %s: %d bytes, more than the %d allowed", e.URL, e.Size, e.Max)
}

// Get reads the whole object at url (http://, https:// or s3://), which
// may hold at most max bytes, as the small files of a directory store
// (Zarr metadata and chunks) are read: one range request for its first
// max+1 bytes, so that a larger object is refused without reading it,
// retried as a [File]'s requests are. A missing object (404, 410) fails
// with a [*StatusError] that matches fs.ErrNotExist under errors.Is; a
// larger one with a [*TooLargeError].
func Get(ctx context.Context, url string, max int64, opts Options) ([]byte, error) {
	t, err := resolve(url)
	if err != nil {
		return nil, err
	}
	f := &File{url: url, target: t, opts: opts.withDefaults(), size: -1, ctx: ctx}
	rng := fmt.Sprintf("bytes=0-%d", max)
	var out []byte
	err = f.withRetries(rng, func(ctx context.Context) error {
		var err error
		out, err = f.getOnce(ctx, rng, max)
		return err
	})
	return out, err
}

// getOnce sends one request of Get.
func (f *File) getOnce(ctx context.Context, rng string, max int64) ([]byte, error) {
	req, err := f.target.request(ctx, http.Header{"Range": {rng}})
	if err != nil {
		return nil, err
	}
	f.count.requests.Add(1)
	resp, err := f.opts.Client.Do(req)
	if err != nil {
		return nil, retryable{err}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPartialContent:
		start, end, total, err := contentRange(resp)
		if err != nil {
			return nil, err
		}
		if total > max {
			return nil, &TooLargeError{URL: f.url, Size: total, Max: max}
		}
		if start != 0 || end != total-1 {
			return nil, retryable{fmt.Errorf("wrong Content-Range %q for %s", resp.Header.Get("Content-Range"), rng)}
		}
		buf := make([]byte, total)
		return buf, f.readBody(resp, [][]byte{buf}, total)
	case resp.StatusCode == http.StatusOK:
		// A server without range support sends the whole object.
		if resp.ContentLength > max {
			return nil, &TooLargeError{URL: f.url, Size: resp.ContentLength, Max: max}
		}
		buf, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
		f.count.bytes.Add(int64(len(buf)))
		if err != nil {
			return nil, retryable{fmt.Errorf("body cut short: %w", err)}
		}
		if int64(len(buf)) > max {
			return nil, &TooLargeError{URL: f.url, Size: -1, Max: max}
		}
		if resp.ContentLength >= 0 && int64(len(buf)) != resp.ContentLength {
			return nil, retryable{fmt.Errorf("body of %d bytes, Content-Length %d", len(buf), resp.ContentLength)}
		}
		return buf, nil
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && strings.HasSuffix(resp.Header.Get("Content-Range"), "/0"):
		return []byte{}, nil // an empty object has no byte 0
	default:
		return nil, statusFailure(f.url, resp)
	}
}

// GetRange reads the n bytes at off of the object at url with one range
// request (retried as a [File]'s are), without learning the object's size
// first: the read of a chunk whose place an index already gives. The
// answer must be exactly those bytes (206 with a matching Content-Range).
func GetRange(ctx context.Context, url string, off, n int64, opts Options) ([]byte, error) {
	if off < 0 || n <= 0 {
		return nil, fmt.Errorf("remote: %s: bad range of %d bytes at %d", url, n, off)
	}
	t, err := resolve(url)
	if err != nil {
		return nil, err
	}
	f := &File{url: url, target: t, opts: opts.withDefaults(), size: -1, ctx: ctx}
	rng := fmt.Sprintf("bytes=%d-%d", off, off+n-1)
	buf := make([]byte, n)
	err = f.withRetries(rng, func(ctx context.Context) error {
		req, err := f.target.request(ctx, http.Header{"Range": {rng}})
		if err != nil {
			return err
		}
		f.count.requests.Add(1)
		resp, err := f.opts.Client.Do(req)
		if err != nil {
			return retryable{err}
		}
		defer resp.Body.Close()
		switch {
		case resp.StatusCode == http.StatusPartialContent:
		case resp.StatusCode == http.StatusOK:
			return rangeIgnored(url)
		default:
			return statusFailure(url, resp)
		}
		start, end, _, err := contentRange(resp)
		if err != nil {
			return err
		}
		if start != off || end != off+n-1 {
			return retryable{fmt.Errorf("wrong Content-Range %q for %s", resp.Header.Get("Content-Range"), rng)}
		}
		return f.readBody(resp, [][]byte{buf}, n)
	})
	if err != nil {
		return nil, err
	}
	return buf, nil
}
