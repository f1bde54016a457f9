//go:build unix

package regularfile_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"chunkpipe/internal/regularfile"
)

// openWithin runs f and fails the test if it does not return within a
// bound: the faults this package fixes are opens that block forever.
func openWithin(t *testing.T, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("open blocked (no writer on the FIFO)")
		return nil
	}
}

func TestOpenRefusesFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	err := openWithin(t, func() error {
		f, _, err := regularfile.Open(p)
		if f != nil {
			f.Close()
		}
		return err
	})
	var nr *regularfile.NotRegularError
	if !errors.As(err, &nr) || !strings.Contains(err.Error(), "FIFO") || !strings.Contains(err.Error(), p) {
		t.Fatalf("Open(FIFO) = %v, want a NotRegularError naming the path and FIFO", err)
	}
}

func TestOpenRefusesDevZeroLink(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero on this system")
	}
	p := filepath.Join(t.TempDir(), "0.0")
	if err := os.Symlink("/dev/zero", p); err != nil {
		t.Fatal(err)
	}
	_, err := regularfile.ReadAll(context.Background(), p, 1<<20)
	if err == nil || !strings.Contains(err.Error(), "character device") {
		t.Fatalf("ReadAll(/dev/zero link) = %v, want a character device error", err)
	}
}

func TestCheckAllowsDirectoriesWhenAsked(t *testing.T) {
	d := t.TempDir()
	if err := regularfile.Check(d, true); err != nil {
		t.Errorf("Check(dir, true) = %v", err)
	}
	if err := regularfile.Check(d, false); err == nil {
		t.Error("Check(dir, false) accepted a directory")
	}
	if err := regularfile.Check(filepath.Join(d, "missing"), false); err != nil {
		t.Errorf("Check(missing) = %v, want nil (open reports it)", err)
	}
}

func TestReadAllBounds(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	want := bytes.Repeat([]byte("chunkpipe"), 1000)
	if err := os.WriteFile(p, want, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := regularfile.ReadAll(context.Background(), p, int64(len(want)))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("ReadAll at the exact bound: %d bytes, %v", len(got), err)
	}
	_, err = regularfile.ReadAll(context.Background(), p, int64(len(want))-1)
	var tl *regularfile.TooLargeError
	if !errors.As(err, &tl) || tl.Size != int64(len(want)) {
		t.Fatalf("ReadAll over the bound = %v, want TooLargeError of %d bytes", err, len(want))
	}
}

func TestReadAllSparseHugeFileRefusedBeforeReading(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sparse")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	// 3 GB declared, no blocks written: reading it whole would allocate 3 GB.
	if err := f.Truncate(3 << 30); err != nil {
		t.Skipf("file system cannot hold a sparse 3 GiB file: %v", err)
	}
	f.Close()
	_, err = regularfile.ReadAll(context.Background(), p, 512)
	var tl *regularfile.TooLargeError
	if !errors.As(err, &tl) || tl.Size != 3<<30 {
		t.Fatalf("ReadAll(3 GiB sparse, max 512) = %v", err)
	}
}

func TestReadAllHonoursContext(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := regularfile.ReadAll(ctx, p, 10); !errors.Is(err, context.Canceled) {
		t.Fatalf("ReadAll(cancelled) = %v, want context.Canceled", err)
	}
}

// Reading a small file whole allocates about its size, not a read piece
// more: metadata files are read this way by the thousand.
func TestReadAllAllocatesFileSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "small")
	if err := os.WriteFile(path, make([]byte, 1000), 0o666); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b, err := regularfile.ReadAll(context.Background(), path, 1<<30)
	runtime.ReadMemStats(&after)
	if err != nil || len(b) != 1000 {
		t.Fatalf("read %d bytes, %v", len(b), err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<10 {
		t.Errorf("reading 1000 bytes allocated %d bytes", got)
	}
}
