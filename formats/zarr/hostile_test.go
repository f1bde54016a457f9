//go:build unix

package zarr

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// hostileRead opens store and reads the whole array within a time bound,
// returning the first error and the bytes allocated meanwhile. A read that
// does not return fails the test instead of hanging it.
func hostileRead(t *testing.T, ctx context.Context, store string) (uint64, error) {
	t.Helper()
	type result struct {
		err   error
		alloc uint64
	}
	done := make(chan result, 1)
	go func() {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r, err := Open(store, formats.OpenOptions{})
		if err == nil {
			a := chunk.NewArray(r.Info().DType, r.Info().Shape.Bounds())
			err = r.ReadRegion(ctx, a.Rect, a)
		}
		runtime.ReadMemStats(&after)
		done <- result{err, after.TotalAlloc - before.TotalAlloc}
	}()
	select {
	case res := <-done:
		return res.alloc, res.err
	case <-time.After(20 * time.Second):
		t.Fatal("read of a hostile store did not return (hung)")
		return 0, nil
	}
}

// TestChunkStoredSizeBounded: a chunk file that holds 3 GiB (sparse) for a
// 640-byte chunk is refused before it is read, with an error naming the
// store, the chunk and both sizes, allocating next to nothing.
func TestChunkStoredSizeBounded(t *testing.T) {
	for _, fixture := range []string{"zlib_f4", "none_u1", "zstd_u2", "blosc_lz4_shuffle_f4"} {
		t.Run(fixture, func(t *testing.T) {
			store := copyStore(t, fixture)
			p := filepath.Join(store, "0.0")
			if err := os.Truncate(p, 3<<30); err != nil {
				t.Skipf("file system cannot hold a sparse 3 GiB file: %v", err)
			}
			alloc, err := hostileRead(t, context.Background(), store)
			if err == nil {
				t.Fatal("3 GiB chunk read without error")
			}
			for _, w := range []string{"zarr: " + store, "chunk 0.0", "holds 3221225472 bytes", "at most"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if alloc > 64<<20 {
				t.Errorf("allocated %d bytes refusing the chunk", alloc)
			}
		})
	}
}

// TestSpecialFilesRefused: a FIFO or a link to /dev/zero in place of a chunk
// or of the metadata is refused at once with an error that says what it
// is, instead of blocking on the open or reading without end.
func TestSpecialFilesRefused(t *testing.T) {
	tests := []struct {
		name, file, want string
		make             func(p string) error
	}{
		{"fifo chunk", "1.1", "FIFO", func(p string) error { return syscall.Mkfifo(p, 0o644) }},
		{"dev zero chunk", "1.1", "character device", func(p string) error { return os.Symlink("/dev/zero", p) }},
		{"fifo zarray", ".zarray", "FIFO", func(p string) error { return syscall.Mkfifo(p, 0o644) }},
		{"dev zero zattrs", ".zattrs", "character device", func(p string) error { return os.Symlink("/dev/zero", p) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := copyStore(t, "zlib_f4")
			p := filepath.Join(store, tc.file)
			os.Remove(p)
			if err := tc.make(p); err != nil {
				t.Skipf("cannot make %s: %v", tc.name, err)
			}
			alloc, err := hostileRead(t, context.Background(), store)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), store) {
				t.Fatalf("error %v, want one naming %s and %q", err, store, tc.want)
			}
			if alloc > 64<<20 {
				t.Errorf("allocated %d bytes refusing it", alloc)
			}
		})
	}
}

// TestReadHonoursCancel: a cancelled context stops a read with
// context.Canceled.
func TestReadHonoursCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := hostileRead(t, ctx, copyStore(t, "zlib_f4"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("read with a cancelled context: %v", err)
	}
}

// TestImpossibleShapeRefusedAtOpen: a shape of more than 2^50 elements is a
// bad file, reported by Open with the store's name (not left to the grid,
// where it looked like a usage error).
func TestImpossibleShapeRefusedAtOpen(t *testing.T) {
	store := copyStore(t, "zlib_f4")
	p := filepath.Join(store, ".zarray")
	if err := os.WriteFile(p, replace("37,\n        53", "1099511627776,\n        1099511627776")(mustRead(t, p)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(store, formats.OpenOptions{})
	if err == nil || !strings.Contains(err.Error(), "impossibly large") || !strings.Contains(err.Error(), store) {
		t.Fatalf("Open = %v, want an impossibly-large shape error naming the store", err)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
