package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// Options tune a [File]. The zero value works: each zero field gets the
// default its comment names.
type Options struct {
	// BlockSize is the cache's block size; 0: 64 KiB.
	BlockSize int64
	// Cache holds the file's blocks; nil: one cache of 64 MiB shared by
	// every file opened without one.
	Cache *Cache
	// SpanBytes is the most one cache miss fetches: the missing block and
	// the missing blocks after it; the first request, which learns the
	// size, fetches this much too. 0: 4 MiB, the size of range request
	// that object stores answer at full throughput, and enough for a whole
	// ABI mesoscale or CONUS granule of the lower-resolution bands.
	SpanBytes int64
	// DirectBytes: reads of at least this many bytes bypass the cache;
	// 0: SpanBytes.
	DirectBytes int64
	// Retries is how many times a failed request is repeated; 0: 5, and
	// negative: none.
	Retries int
	// Backoff is the wait before the first retry, doubled for each
	// further one (with jitter, at most 5 s); 0: 100 ms.
	Backoff time.Duration
	// Timeout bounds one request, body included; 0: 60 s.
	Timeout time.Duration
	// Client sends the requests; nil: a shared client.
	Client *http.Client
}

func (o Options) withDefaults() Options {
	if o.BlockSize <= 0 {
		o.BlockSize = 64 << 10
	}
	if o.Cache == nil {
		o.Cache = sharedCache
	}
	if o.SpanBytes <= 0 {
		o.SpanBytes = 4 << 20
	}
	if o.SpanBytes < o.BlockSize {
		o.SpanBytes = o.BlockSize
	}
	if o.DirectBytes <= 0 {
		o.DirectBytes = o.SpanBytes
	}
	switch {
	case o.Retries == 0:
		o.Retries = 5
	case o.Retries < 0:
		o.Retries = 0
	}
	if o.Backoff <= 0 {
		o.Backoff = 100 * time.Millisecond
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if o.Client == nil {
		o.Client = sharedClient
	}
	return o
}

var sharedClient = &http.Client{Transport: &http.Transport{
	Proxy:                 http.ProxyFromEnvironment,
	MaxIdleConnsPerHost:   32,
	IdleConnTimeout:       90 * time.Second,
	ResponseHeaderTimeout: 30 * time.Second,
	ForceAttemptHTTP2:     true,
}}

// Stats counts a File's traffic. Requests and Bytes count every request
// sent (retries included) and the body bytes received.
type Stats struct {
	Requests  int64         // range requests sent, retries included
	Retries   int64         // of those, repeats after a failure
	Bytes     int64         // body bytes received
	FetchTime time.Duration // summed request time (overlapping requests add up)
	CacheHits int64         // blocks served from the cache
	Misses    int64         // blocks fetched into the cache
	Evictions int64         // blocks dropped to keep the cache in bounds
}

// Add returns the sum of s and t.
func (s Stats) Add(t Stats) Stats {
	return Stats{s.Requests + t.Requests, s.Retries + t.Retries, s.Bytes + t.Bytes, s.FetchTime + t.FetchTime,
		s.CacheHits + t.CacheHits, s.Misses + t.Misses, s.Evictions + t.Evictions}
}

type counters struct {
	requests, retries, bytes, fetchNanos, hits, misses, evictions atomic.Int64
}

// File reads one remote file by range requests. It is safe for concurrent
// use. Its reads stop, with the cause as error, when the context it was
// opened with ends, when [File.Abort] is called or when it is closed.
type File struct {
	url    string // as given: http(s):// or s3://
	target target
	size   int64
	etag   string // the strong ETag of the first answer, required of the others (If-Match)
	opts   Options
	ctx    context.Context
	cancel context.CancelCauseFunc
	cache  *Cache
	count  counters
}

// ErrClosed is the cause of reads on a closed File.
var ErrClosed = errors.New("remote: file closed")

// Open opens url (http://, https:// or s3://) and learns its size with a
// first range request, whose bytes seed the cache. Fetches of the file run
// under ctx until Close.
func Open(ctx context.Context, url string, opts Options) (*File, error) {
	t, err := resolve(url)
	if err != nil {
		return nil, err
	}
	return openTarget(ctx, url, t, opts)
}

func openTarget(ctx context.Context, url string, t target, opts Options) (*File, error) {
	f := &File{url: url, target: t, opts: opts.withDefaults(), size: -1}
	f.ctx, f.cancel = context.WithCancelCause(ctx)
	f.cache = f.opts.Cache
	if err := f.probe(); err != nil {
		f.cancel(ErrClosed)
		return nil, err
	}
	return f, nil
}

// URL returns the URL the file was opened with.
func (f *File) URL() string { return f.url }

// Size returns the file's length in bytes.
func (f *File) Size() int64 { return f.size }

// Stats returns the traffic so far.
func (f *File) Stats() Stats {
	c := &f.count
	return Stats{Requests: c.requests.Load(), Retries: c.retries.Load(), Bytes: c.bytes.Load(),
		FetchTime: time.Duration(c.fetchNanos.Load()), CacheHits: c.hits.Load(), Misses: c.misses.Load(),
		Evictions: c.evictions.Load()}
}

// Abort stops every fetch in flight and every later read, which fail with
// cause (ErrClosed when nil).
func (f *File) Abort(cause error) {
	if cause == nil {
		cause = ErrClosed
	}
	f.cancel(cause)
}

// Close stops the file's fetches and drops its cache.
func (f *File) Close() error {
	f.cancel(ErrClosed)
	f.cache.drop(f)
	return nil
}

// ReadAt reads len(p) bytes at off, as [io.ReaderAt] says: fewer only at
// the end of the file, with io.EOF.
func (f *File) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("remote: %s: negative offset %d", f.url, off)
	}
	if off >= f.size {
		if len(p) == 0 {
			return 0, nil
		}
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > f.size-off {
		n = f.size - off
	}
	var err error
	if n >= f.opts.DirectBytes {
		err = f.fetch(off, [][]byte{p[:n]})
	} else {
		err = f.readCached(p[:n], off)
	}
	if err != nil {
		return 0, err
	}
	if n < int64(len(p)) {
		return int(n), io.EOF
	}
	return int(n), nil
}

// probe fetches the first span and learns the size from its Content-Range.
func (f *File) probe() error {
	first := f.opts.SpanBytes
	buf := make([]byte, first)
	n, total, err := f.fetchProbe(buf)
	if err != nil {
		return err
	}
	f.size = total
	f.seed(buf[:n], n == total)
	return nil
}
