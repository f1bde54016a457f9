package zarr

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/remote"
	"chunkpipe/formats/remote/fakes3"
	"chunkpipe/formats/remote/remotetest"
)

// fixtureCases are the stores and variables of TestFixtures.
var fixtureCases = []struct{ store, variable string }{
	{"zlib_f4", ""}, {"gzip_i2", ""}, {"zstd_u2", ""}, {"lz4_i4", ""}, {"none_u1", ""},
	{"blosc_lz4_shuffle_f4", ""}, {"blosc_lz4_noshuffle_u1", ""}, {"blosc_blosclz_shuffle_i4", ""},
	{"blosc_blosclz_noshuffle_f8", ""}, {"blosc_blosclz_shuffle_u2", ""}, {"blosc_zstd_bitshuffle_f8", ""},
	{"blosc_zlib_shuffle_i8", ""}, {"nested_f4", ""}, {"forder_i4", ""}, {"bigendian_f8", ""},
	{"bigendian_i2", ""}, {"one_by_one_f4", ""}, {"big_chunk_u2", ""}, {"fill_nan_f4", ""},
	{"fill_int_i2", ""}, {"fill_inf_f8", ""}, {"group", "Rad"}, {"group", "/DQF"}, {"group", "sub/deep"},
	{"group", ""}, {"xarray", ""}, {"xarray", "CMI"},
}

// fastRetries keeps the tests' failing requests short.
var fastRetries = remote.Options{Retries: 1, Backoff: time.Millisecond, Timeout: 10 * time.Second}

// sameAsLocal opens the store at local and at u and requires the same
// outcome: the same error text but for the store's name, or the same
// Info, the same whole array bit for bit and the same description.
func sameAsLocal(t *testing.T, local, u, variable string) {
	t.Helper()
	sameAsLocalDescribed(t, local, u, variable, true)
}

// sameAsLocalDescribed is sameAsLocal, comparing the descriptions only
// when describe is set.
func sameAsLocalDescribed(t *testing.T, local, u, variable string, describe bool) {
	t.Helper()
	u = strings.TrimRight(u, "/")
	opts := formats.OpenOptions{Variable: variable}
	lr, lerr := Open(local, opts)
	rr, rerr := openURL(u, opts, fastRetries)
	if lerr != nil || rerr != nil {
		if lerr == nil || rerr == nil || strings.ReplaceAll(rerr.Error(), u, local) != lerr.Error() {
			t.Fatalf("%s %q: local error %v, remote error %v", u, variable, lerr, rerr)
		}
		return
	}
	defer lr.Close()
	defer rr.Close()
	li, ri := lr.Info(), rr.Info()
	if ri.Path != u || ri.Variable != li.Variable || ri.Shape != li.Shape || ri.DType != li.DType || ri.Storage != li.Storage ||
		!slices.Equal(ri.Dims, li.Dims) || formatAttrs(ri.Attrs) != formatAttrs(li.Attrs) || formatAttrs(ri.Global) != formatAttrs(li.Global) {
		t.Fatalf("%s %q: info %+v, local %+v", u, variable, ri, li)
	}
	if !bytes.Equal(arrayBytes(readAll(t, rr)), arrayBytes(readAll(t, lr))) {
		t.Fatalf("%s %q: array differs from the local store's", u, variable)
	}
	if !describe {
		return
	}
	var ld, rd bytes.Buffer
	if err := lr.Describe(&ld, formats.DescribeOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := rr.Describe(&rd, formats.DescribeOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.ReplaceAll(rd.String(), u, local) != ld.String() {
		t.Fatalf("%s %q: description\n%s\nlocal\n%s", u, variable, rd.String(), ld.String())
	}
}

func formatAttrs(a formats.Attrs) string {
	var b strings.Builder
	for _, x := range a {
		b.WriteString(x.Name + "=" + formats.DescribeOptions{}.Value(x.Value) + ";")
	}
	return b.String()
}

// writtenStore writes a group store with chunkpipe's writer (ragged edge
// chunks, zlib) under dir and returns its name.
func writtenStore(t *testing.T, dir string) string {
	src := randomArray(chunk.Float32, chunk.Rect(0, 0, 50, 37), 3)
	writeStore(t, filepath.Join(dir, "written.zarr"), src, chunk.Shape{Rows: 16, Cols: 16}, map[string]string{"compress": "zlib"},
		formats.Attrs{{Name: "units", Value: "K"}})
	return "written.zarr"
}

// TestRemoteFixturesMatchLocal reads every fixture store, and a store
// chunkpipe wrote, over HTTP and over S3: the same arrays, bit for bit,
// as the local reads.
func TestRemoteFixturesMatchLocal(t *testing.T) {
	written := t.TempDir()
	writtenStore(t, written)

	srv := remotetest.NewServer(os.DirFS(fixtureDir), 0)
	defer srv.Close()
	wsrv := remotetest.NewServer(os.DirFS(written), 0)
	defer wsrv.Close()

	s3 := fakes3.New()
	defer s3.Close()
	t.Setenv("CHUNKPIPE_S3_ENDPOINT", s3.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	putTree(t, s3, "fixtures", fixtureDir, "")
	putTree(t, s3, "fixtures", written, "w")

	for _, tc := range fixtureCases {
		local := filepath.Join(fixtureDir, tc.store+".zarr")
		sameAsLocal(t, local, srv.URLOf(tc.store+".zarr"), tc.variable)
		sameAsLocal(t, local, "s3://fixtures/"+tc.store+".zarr", tc.variable)
	}
	local := filepath.Join(written, "written.zarr")
	sameAsLocal(t, local, wsrv.URLOf("written.zarr/"), "")
	sameAsLocal(t, local, "s3://fixtures/w/written.zarr", "")
}

// putTree stores every file under dir in bucket, keys prefixed by prefix.
func putTree(t *testing.T, s3 *fakes3.Server, bucket, dir, prefix string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return s3.Put(bucket, strings.TrimPrefix(prefix+"/"+filepath.ToSlash(rel), "/"), data)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// requestLog records the paths a server was asked for.
type requestLog struct {
	mu    sync.Mutex
	paths []string
}

func (l *requestLog) record(_ int64, r *http.Request) remotetest.Fault {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.paths = append(l.paths, r.URL.Path)
	return remotetest.None
}

func (l *requestLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.paths
	l.paths = nil
	return p
}

// TestRemoteConsolidatedMetadata: a group store with .zmetadata opens
// with that one request, and reads fetch only the chunks they touch.
func TestRemoteConsolidatedMetadata(t *testing.T) {
	srv := remotetest.NewServer(os.DirFS(fixtureDir), 0)
	defer srv.Close()
	var log requestLog
	srv.SetFault(log.record)
	r, err := OpenURL(srv.URLOf("group.zarr"), formats.OpenOptions{Variable: "Rad"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := log.take(); !slices.Equal(got, []string{"/group.zarr/.zmetadata"}) {
		t.Errorf("open asked for %q, want only .zmetadata", got)
	}
	dst := chunk.NewArray(r.Info().DType, chunk.Rect(0, 0, 12, 12))
	if err := r.ReadRegion(context.Background(), dst.Rect, dst); err != nil {
		t.Fatal(err)
	}
	if got := log.take(); !slices.Equal(got, []string{"/group.zarr/Rad/0.0"}) {
		t.Errorf("reading chunk 0.0 asked for %q", got)
	}
}

// TestRemoteWithoutConsolidatedMetadata: an HTTP store without .zmetadata
// opens a named array document by document and cannot be searched; on S3
// the search lists the keys.
func TestRemoteWithoutConsolidatedMetadata(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "g.zarr"), os.DirFS(filepath.Join(fixtureDir, "group.zarr"))); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "g.zarr", ".zmetadata")); err != nil {
		t.Fatal(err)
	}
	local := filepath.Join(dir, "g.zarr")
	srv := remotetest.NewServer(os.DirFS(dir), 0)
	defer srv.Close()
	sameAsLocalDescribed(t, local, srv.URLOf("g.zarr"), "sub/deep", false)
	r, err := OpenURL(srv.URLOf("g.zarr"), formats.OpenOptions{Variable: "Rad"})
	if err != nil {
		t.Fatal(err)
	}
	var desc strings.Builder
	if err := r.Describe(&desc, formats.DescribeOptions{}); err != nil || !strings.Contains(desc.String(), "other arrays not listed") ||
		!strings.Contains(desc.String(), "array Rad: int16") {
		t.Errorf("description of an unlisted store (error %v):\n%s", err, desc.String())
	}
	r.Close()
	_, err = OpenURL(srv.URLOf("g.zarr"), formats.OpenOptions{})
	if err == nil || !strings.Contains(err.Error(), "name the array as the variable") || !strings.Contains(err.Error(), srv.URLOf("g.zarr")) {
		t.Errorf("search of an HTTP store: error %v", err)
	}

	s3 := fakes3.New()
	defer s3.Close()
	t.Setenv("CHUNKPIPE_S3_ENDPOINT", s3.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	putTree(t, s3, "b", dir, "p")
	for _, v := range []string{"", "Rad", "nope", "t"} {
		sameAsLocal(t, local, "s3://b/p/g.zarr", v) // "" and "nope" list the arrays in their errors
	}
}

// TestRemoteMissingChunkIsFill: a chunk key the server answers 404 for
// reads as the fill value, as a missing chunk file does; any other
// failure is an error naming the chunk's URL and key.
func TestRemoteMissingChunkIsFill(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "s.zarr")
	if err := os.CopyFS(store, os.DirFS(filepath.Join(fixtureDir, "fill_nan_f4.zarr"))); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(store, "0.1")); err != nil {
		t.Fatal(err)
	}
	srv := remotetest.NewServer(os.DirFS(dir), 0)
	defer srv.Close()
	sameAsLocal(t, store, srv.URLOf("s.zarr"), "")

	r, err := openURL(srv.URLOf("s.zarr"), formats.OpenOptions{}, fastRetries)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, fault := range []remotetest.Fault{remotetest.Forbidden, remotetest.Unavailable} {
		srv.SetFault(func(_ int64, req *http.Request) remotetest.Fault {
			if strings.HasSuffix(req.URL.Path, "/0.0") {
				return fault
			}
			return remotetest.None
		})
		dst := chunk.NewArray(r.Info().DType, r.Info().Shape.Bounds())
		err := r.ReadRegion(context.Background(), dst.Rect, dst)
		if err == nil || !strings.Contains(err.Error(), "chunk 0.0") || !strings.Contains(err.Error(), srv.URLOf("s.zarr/0.0")) {
			t.Errorf("fault %d: error %v, want one naming chunk 0.0 and its URL", fault, err)
		}
	}
}

// TestRemoteOversizedChunkRefused: a chunk larger than its codec can
// produce is refused by its size, as a local file is.
func TestRemoteOversizedChunkRefused(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "s.zarr")
	if err := os.CopyFS(store, os.DirFS(filepath.Join(fixtureDir, "none_u1.zarr"))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(store, "0.0"), make([]byte, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := remotetest.NewServer(os.DirFS(dir), 0)
	defer srv.Close()
	r, err := OpenURL(srv.URLOf("s.zarr"), formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dst := chunk.NewArray(r.Info().DType, r.Info().Shape.Bounds())
	err = r.ReadRegion(context.Background(), dst.Rect, dst)
	if err == nil || !strings.Contains(err.Error(), "chunk 0.0: file holds 1048576 bytes") {
		t.Errorf("error %v", err)
	}
}

// TestFormatsOpenZarrURL: formats.Open sends .zarr URLs to the store reader.
func TestFormatsOpenZarrURL(t *testing.T) {
	srv := remotetest.NewServer(os.DirFS(fixtureDir), 0)
	defer srv.Close()
	r, err := formats.Open(srv.URLOf("xarray.zarr/"), formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Info().Format != "zarr" || r.Info().Variable != "CMI" {
		t.Errorf("info %+v", r.Info())
	}
}

// withoutConsolidated serves a tree as if its stores had no consolidated
// metadata (.zmetadata), so that each document is fetched on its own.
type withoutConsolidated struct{ fs.FS }

func (w withoutConsolidated) Open(name string) (fs.File, error) {
	if path.Base(name) == zmetadataFile {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return w.FS.Open(name)
}

// TestRemoteOpenFetchesEachDocumentOnce opens an array of a group store
// without consolidated metadata over HTTP and checks that no metadata
// document, present or missing, is requested twice (opening probes for
// .zarray before reading it).
func TestRemoteOpenFetchesEachDocumentOnce(t *testing.T) {
	srv := remotetest.NewServer(withoutConsolidated{os.DirFS(fixtureDir)}, 0)
	defer srv.Close()
	var mu sync.Mutex
	seen := map[string]int{}
	srv.SetFault(func(_ int64, r *http.Request) remotetest.Fault {
		mu.Lock()
		seen[r.URL.Path]++
		mu.Unlock()
		return remotetest.None
	})
	r, err := openURL(srv.URLOf("group.zarr"), formats.OpenOptions{Variable: "Rad"}, fastRetries)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Describe(io.Discard, formats.DescribeOptions{}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if seen["/group.zarr/Rad/.zarray"] == 0 {
		t.Fatalf("Rad/.zarray never requested: %v", seen)
	}
	for p, n := range seen {
		if n > 1 && isMetaKey(p) {
			t.Errorf("%s requested %d times (all: %v)", p, n, seen)
		}
	}
}
