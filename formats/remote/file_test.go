package remote

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	_ "chunkpipe/formats/raw"
	"chunkpipe/formats/remote/remotetest"
)

// testData returns n seeded pseudo-random bytes.
func testData(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// fastOptions retry quickly and give up on a request after 5 s.
var fastOptions = Options{BlockSize: 4 << 10, SpanBytes: 16 << 10, Backoff: time.Millisecond, Timeout: 5 * time.Second}

func newTestServer(t *testing.T, data []byte) *remotetest.Server {
	t.Helper()
	s := remotetest.NewServer(fstest.MapFS{"f.bin": {Data: data}}, 0)
	t.Cleanup(s.Close)
	return s
}

func TestReadAtMatchesData(t *testing.T) {
	data := testData(300_000)
	s := newTestServer(t, data)
	f, err := Open(context.Background(), s.URLOf("f.bin"), fastOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Size() != int64(len(data)) {
		t.Fatalf("Size %d, want %d", f.Size(), len(data))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 7))
			for range 200 {
				off := r.Int64N(int64(len(data)))
				n := r.IntN(40_000)
				p := make([]byte, n)
				m, err := f.ReadAt(p, off)
				want := data[off:min(off+int64(n), int64(len(data)))]
				if m != len(want) || !bytes.Equal(p[:m], want) {
					errs <- errors.New("wrong bytes")
					return
				}
				if m < n && err != io.EOF || m == n && err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n, err := f.ReadAt(make([]byte, 1), int64(len(data))); n != 0 || err != io.EOF {
		t.Errorf("read at the end: %d, %v; want 0, EOF", n, err)
	}
}

func TestCacheSharesRequests(t *testing.T) {
	data := testData(100_000)
	s := newTestServer(t, data)
	f, err := Open(context.Background(), s.URLOf("f.bin"), fastOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The first 16 KiB came with the size probe: reads there cost nothing.
	for off := int64(0); off < 16<<10; off += 100 {
		if _, err := f.ReadAt(make([]byte, 50), off); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.Stats().Requests; got != 1 {
		t.Errorf("%d requests for reads inside the first span, want 1", got)
	}
	// A miss at 20000 (block 4) fetches one span, blocks 4 to 7: reads up
	// to its end are hits.
	for off := int64(20000); off < 32<<10-100; off += 1000 {
		if _, err := f.ReadAt(make([]byte, 100), off); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.Stats().Requests; got != 2 {
		t.Errorf("%d requests after reads inside a second span, want 2", got)
	}
}

func TestCacheBoundedInBytes(t *testing.T) {
	data := testData(200_000)
	s := newTestServer(t, data)
	opts := fastOptions
	opts.Cache = NewCache(20 << 10)
	f, err := Open(context.Background(), s.URLOf("f.bin"), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := make([]byte, 1000)
	for off := int64(0); off+1000 <= int64(len(data)); off += 1000 {
		if _, err := f.ReadAt(p, off); err != nil || !bytes.Equal(p, data[off:off+1000]) {
			t.Fatalf("at %d: %v or wrong bytes", off, err)
		}
		if held := opts.Cache.Bytes(); held > 20<<10 {
			t.Fatalf("cache holds %d bytes, limit %d", held, 20<<10)
		}
	}
	if f.Stats().Evictions == 0 {
		t.Error("no block was evicted from a cache smaller than the file")
	}
}

func TestFaultsGiveRightDataOrClearError(t *testing.T) {
	data := testData(120_000)
	faults := []struct {
		name  string
		fault remotetest.Fault
		want  string // in the error when every request fails
	}{
		{"dropped connection", remotetest.Drop, "EOF"},
		{"503", remotetest.Unavailable, "503"},
		{"truncated body", remotetest.Truncate, "body cut short"},
		{"wrong Content-Range", remotetest.WrongRange, "wrong Content-Range"},
	}
	for _, tc := range faults {
		for _, every := range []bool{false, true} {
			name := tc.name + "/then success"
			if every {
				name = tc.name + "/always"
			}
			t.Run(name, func(t *testing.T) {
				s := newTestServer(t, data)
				f, err := Open(context.Background(), s.URLOf("f.bin"), fastOptions)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				base := s.Requests.Load()
				s.SetFault(func(n int64, _ *http.Request) remotetest.Fault {
					if every || n <= base+2 {
						return tc.fault
					}
					return remotetest.None
				})
				small, big := make([]byte, 3000), make([]byte, 40_000)
				_, err1 := f.ReadAt(small, 50_000)
				_, err2 := f.ReadAt(big, 70_000)
				if !every {
					if err1 != nil || err2 != nil {
						t.Fatalf("errors after transient faults: %v, %v", err1, err2)
					}
					if !bytes.Equal(small, data[50_000:53_000]) || !bytes.Equal(big, data[70_000:110_000]) {
						t.Fatal("wrong bytes after transient faults")
					}
					if f.Stats().Retries == 0 {
						t.Error("no retry counted")
					}
					return
				}
				for _, err := range []error{err1, err2} {
					if err == nil {
						t.Fatal("no error though every request failed")
					}
					if !strings.Contains(err.Error(), s.URLOf("f.bin")) || !strings.Contains(err.Error(), tc.want) {
						t.Errorf("error %q does not name the URL and %q", err, tc.want)
					}
				}
			})
		}
	}
}

func TestFaultOnOpen(t *testing.T) {
	data := testData(50_000)
	s := newTestServer(t, data)
	s.SetFault(func(n int64, _ *http.Request) remotetest.Fault {
		if n == 1 {
			return remotetest.Truncate
		}
		return remotetest.None
	})
	f, err := Open(context.Background(), s.URLOf("f.bin"), fastOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := make([]byte, len(data))
	if _, err := f.ReadAt(p, 0); err != nil || !bytes.Equal(p, data) {
		t.Fatalf("whole file after a truncated first answer: %v or wrong bytes", err)
	}
}

func TestStatusErrorsNameURL(t *testing.T) {
	s := newTestServer(t, testData(1000))
	for _, tc := range []struct {
		name, path string
		fault      remotetest.Fault
		code       int
	}{
		{"404", "missing.nc", remotetest.None, 404},
		{"403", "f.bin", remotetest.Forbidden, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.SetFault(func(int64, *http.Request) remotetest.Fault { return tc.fault })
			before := s.Requests.Load()
			u := s.URLOf(tc.path)
			_, err := Open(context.Background(), u, fastOptions)
			var se *StatusError
			if !errors.As(err, &se) || se.Code != tc.code || !strings.Contains(err.Error(), u) {
				t.Fatalf("error %v: want a %d StatusError naming %s", err, tc.code, u)
			}
			if n := s.Requests.Load() - before; n != 1 {
				t.Errorf("%d requests for a %d, want 1 (no retries)", n, tc.code)
			}
		})
	}
}

func TestIgnoredRange(t *testing.T) {
	// A file larger than the first request: an error.
	s := newTestServer(t, testData(100_000))
	s.SetFault(func(int64, *http.Request) remotetest.Fault { return remotetest.IgnoreRange })
	_, err := Open(context.Background(), s.URLOf("f.bin"), fastOptions)
	if err == nil || !strings.Contains(err.Error(), "range") || !strings.Contains(err.Error(), s.URLOf("f.bin")) {
		t.Fatalf("error %v: want one naming the URL and the ignored range", err)
	}
	// A file that fits the first request: read whole, then no request.
	small := testData(1000)
	s = newTestServer(t, small)
	s.SetFault(func(int64, *http.Request) remotetest.Fault { return remotetest.IgnoreRange })
	f, err := Open(context.Background(), s.URLOf("f.bin"), fastOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := make([]byte, 1000)
	if _, err := f.ReadAt(p, 0); err != nil || !bytes.Equal(p, small) || f.Size() != 1000 || f.Stats().Requests != 1 {
		t.Fatalf("small file sent whole: %v, size %d, %d requests", err, f.Size(), f.Stats().Requests)
	}
}

func TestAbortStopsHungFetch(t *testing.T) {
	data := testData(100_000)
	s := newTestServer(t, data)
	f, err := Open(context.Background(), s.URLOf("f.bin"), fastOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hung := make(chan struct{})
	var once sync.Once
	s.SetFault(func(int64, *http.Request) remotetest.Fault {
		once.Do(func() { close(hung) })
		return remotetest.Hang
	})
	cause := errors.New("interrupted")
	go func() {
		<-hung
		f.Abort(cause)
	}()
	done := make(chan error, 1)
	go func() {
		_, err := f.ReadAt(make([]byte, 100), 60_000)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, cause) {
			t.Fatalf("error %v, want the abort's cause", err)
		}
	case <-time.After(4 * time.Second): // below the 5 s request timeout: only the abort can end it
		t.Fatal("a hung fetch was not stopped by Abort")
	}
}

func TestReadRegionCancelStopsHungFetch(t *testing.T) {
	data := testData(2 * 300 * 400) // a 300x400 int16 raw array
	s := newTestServer(t, data)
	opts := formats.OpenOptions{Raw: formats.RawSpec{DType: chunk.Int16, Shape: chunk.Shape{Rows: 300, Cols: 400}}}
	ropts := fastOptions
	ropts.SpanBytes, ropts.DirectBytes = 4<<10, 4<<10 // only the first block comes with the probe
	r, err := OpenReader(context.Background(), s.URLOf("f.bin"), opts, ropts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, ok := StatsOf(r); !ok {
		t.Error("StatsOf does not see the remote reader")
	}
	hung := make(chan struct{})
	var once sync.Once
	s.SetFault(func(int64, *http.Request) remotetest.Fault {
		once.Do(func() { close(hung) })
		return remotetest.Hang
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-hung
		cancel()
	}()
	done := make(chan error, 1)
	go func() {
		reg := chunk.Region{Row0: 100, Col0: 0, Row1: 200, Col1: 400}
		done <- r.ReadRegion(ctx, reg, chunk.NewArray(chunk.Int16, reg))
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
	case <-time.After(4 * time.Second): // below the 5 s request timeout
		t.Fatal("cancelling ReadRegion's context did not stop a hung fetch")
	}
}

func TestTinyCacheStillReads(t *testing.T) {
	data := testData(100_000)
	s := newTestServer(t, data)
	opts := fastOptions
	opts.Cache = NewCache(1) // smaller than one block: every block is evicted at once
	f, err := Open(context.Background(), s.URLOf("f.bin"), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := make([]byte, 10_000)
	if _, err := f.ReadAt(p, 33_333); err != nil || !bytes.Equal(p, data[33_333:43_333]) {
		t.Fatalf("%v or wrong bytes", err)
	}
}

func TestChangedFileIsAnError(t *testing.T) {
	data := testData(100_000)
	s := newTestServer(t, data)
	f, err := Open(context.Background(), s.URLOf("f.bin"), fastOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.ReadAt(make([]byte, 100), 50_000); err != nil {
		t.Fatal(err)
	}
	s.Version.Add(1) // the file is replaced
	_, err = f.ReadAt(make([]byte, 100), 80_000)
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusPreconditionFailed || !strings.Contains(err.Error(), "changed") {
		t.Fatalf("error %v: want a 412 saying the file changed", err)
	}
}

func TestSharedCacheBoundsFilesTogether(t *testing.T) {
	data := testData(100_000)
	s := newTestServer(t, data)
	opts := fastOptions
	opts.Cache = NewCache(40 << 10)
	var files []*File
	for range 3 {
		f, err := Open(context.Background(), s.URLOf("f.bin"), opts)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	p := make([]byte, 500)
	for off := int64(0); off+500 <= int64(len(data)); off += 3000 {
		for _, f := range files {
			if _, err := f.ReadAt(p, off); err != nil || !bytes.Equal(p, data[off:off+500]) {
				t.Fatalf("at %d: %v or wrong bytes", off, err)
			}
			if held := opts.Cache.Bytes(); held > 40<<10 {
				t.Fatalf("three files hold %d bytes in a cache of %d", held, 40<<10)
			}
		}
	}
	for _, f := range files {
		f.Close()
	}
	if held := opts.Cache.Bytes(); held != 0 {
		t.Errorf("closed files still hold %d bytes", held)
	}
}
