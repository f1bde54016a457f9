package hdf5

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// paddedFile is a file of size bytes whose first bytes are data and the
// rest zeros, as a sparse file reads; it records the largest read.
type paddedFile struct {
	data    []byte
	size    int64
	maxRead int
}

func (p *paddedFile) ReadAt(b []byte, off int64) (int, error) {
	p.maxRead = max(p.maxRead, len(b))
	if off >= p.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(b)), p.size-off))
	clear(b[:n])
	if off < int64(len(p.data)) {
		copy(b[:n], p.data[off:])
	}
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}

// TestAbsurdChunkSizeRefused: a chunk whose index entry declares 3e9
// stored bytes, in a file long enough to hold them (sparse), is refused
// before it is allocated or read, with an error naming the file, the
// variable and the chunk. Before, the filtered chunk was read whole (3 GB)
// and its valid deflate prefix decoded, and the unfiltered one read its
// first bytes: both succeeded.
func TestAbsurdChunkSizeRefused(t *testing.T) {
	b, err := os.ReadFile(fixturePath("v0_classic.h5"))
	if err != nil {
		t.Fatal(err)
	}
	for path, filters := range map[string]int{"/grp/sub/chunked_deflate": 1, "/partial_fill": 0} {
		t.Run(path, func(t *testing.T) {
			pf := &paddedFile{data: b, size: 3_100_000_000}
			f, err := OpenReaderAt(pf, pf.size, "absurd.h5")
			if err != nil {
				t.Fatal(err)
			}
			ds := mustDataset(t, f, path)
			if ds.Layout() != LayoutChunked || len(ds.Filters()) != filters {
				t.Fatalf("%s: layout %v with filters %v, want chunked with %d", path, ds.Layout(), ds.Filters(), filters)
			}
			ci, err := ds.chunkIdx()
			if err != nil {
				t.Fatal(err)
			}
			if ci.implicit || len(ci.entries) == 0 {
				t.Fatalf("%s: no explicit chunk entries", path)
			}
			key, first := uint64(0), true
			for k := range ci.entries {
				if first || k < key {
					key, first = k, false
				}
			}
			e := ci.entries[key]
			e.size = 3_000_000_000
			ci.entries[key] = e
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err = ds.ReadAll()
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatal("chunk declaring 3e9 stored bytes read without error")
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("error %v is not ErrCorrupt", err)
			}
			for _, w := range []string{"absurd.h5", "variable " + path, "chunk (", "stores 3000000000 bytes"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if pf.maxRead > 1<<20 {
				t.Errorf("read %d bytes at once", pf.maxRead)
			}
			if d := after.TotalAlloc - before.TotalAlloc; d > 64<<20 {
				t.Errorf("allocated %d bytes", d)
			}
		})
	}
}

// TestOpenRefusesNonRegular: a link to /dev/zero given as the file is
// refused at once.
func TestOpenRefusesNonRegular(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	p := filepath.Join(t.TempDir(), "zero.h5")
	if err := os.Symlink("/dev/zero", p); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(p); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("Open(/dev/zero link) = %v", err)
	}
}
