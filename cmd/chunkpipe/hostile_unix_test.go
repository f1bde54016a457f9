//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"chunkpipe/formats"
)

// chunkpipeWithin runs the binary like chunkpipe does, but kills it after
// a bound and fails the test: the inputs here used to hang the command.
func chunkpipeWithin(t *testing.T, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("chunkpipe %v hung (killed after 30 s)", args)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

// zarrStore writes a small Zarr store with the command and returns its
// path and its array's .zarray path.
func zarrStore(t *testing.T, in, dir, name string) (string, string) {
	t.Helper()
	store := filepath.Join(dir, name)
	if code, _, errOut := chunkpipe(t, "run", in, "-o", store, "--chunks", "16", "--progress", "none", "--stats", "none"); code != 0 {
		t.Fatalf("writing %s failed (%d): %s", store, code, errOut)
	}
	m, _ := filepath.Glob(filepath.Join(store, "*", ".zarray"))
	if len(m) != 1 {
		t.Fatalf("%s: want one array, found %v", store, m)
	}
	return store, m[0]
}

// TestHostileInputs: bad files exit 1 (not 2: they are not usage errors)
// with an error naming the file, and special files never hang the run.
func TestHostileInputs(t *testing.T) {
	dir := t.TempDir()
	in := synthFile(t, dir, "32x32")
	shapeStore, zarray := zarrStore(t, in, dir, "shape.zarr")
	meta, _ := os.ReadFile(zarray)
	os.WriteFile(zarray, bytes.Replace(meta, []byte("32,\n        32"), []byte("1099511627776,\n        1099511627776"), 1), 0o644)

	h5, err := os.ReadFile("../../testdata/hdf5/v0_classic.h5")
	if err != nil {
		t.Fatal(err)
	}
	le := func(a, b uint64) []byte {
		return binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, a), b)
	}
	bigH5 := filepath.Join(dir, "huge.h5")
	os.WriteFile(bigH5, bytes.ReplaceAll(h5, le(16, 16), le(1<<26, 1<<26)), 0o644)

	fifo := filepath.Join(dir, "pipe.npy")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	// replaceChunk swaps chunk 1.1 of a store's array for a special file.
	replaceChunk := func(store string, make func(string) error) {
		m, _ := filepath.Glob(filepath.Join(store, "*", "1.1"))
		if len(m) != 1 {
			t.Fatalf("%s: no chunk 1.1", store)
		}
		os.Remove(m[0])
		if err := make(m[0]); err != nil {
			t.Fatal(err)
		}
	}
	fifoStore, _ := zarrStore(t, in, dir, "fifo.zarr")
	replaceChunk(fifoStore, func(p string) error { return syscall.Mkfifo(p, 0o644) })
	zeroStore, _ := zarrStore(t, in, dir, "zero.zarr")
	replaceChunk(zeroStore, func(p string) error { return os.Symlink("/dev/zero", p) })

	cases := []struct {
		name, input, want string
	}{
		{"zarr shape over 2^50 elements", shapeStore, "impossibly large"},
		{"hdf5 shape over 2^50 elements", bigH5, "impossibly large"},
		{"FIFO input", fifo, "FIFO"},
		{"FIFO chunk in a zarr store", fifoStore, "FIFO"},
		{"/dev/zero chunk in a zarr store", zeroStore, "character device"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"run", c.input, "-k", "stats", "--progress", "none", "--stats", "none"}
			if strings.HasSuffix(c.input, ".h5") {
				args = append(args, "--var", "fletcher")
			}
			code, errOut := chunkpipeWithin(t, args...)
			if code != exitFailure {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitFailure, errOut)
			}
			if !strings.Contains(errOut, filepath.Base(c.input)) || !strings.Contains(errOut, c.want) {
				t.Errorf("stderr %q does not name %s and %q", errOut, filepath.Base(c.input), c.want)
			}
		})
	}
}

// TestBadFileIsNotUsage: an error marked formats.ErrBadFile exits 1 even
// when the command wrapped it as a usage error.
func TestBadFileIsNotUsage(t *testing.T) {
	err := usage(fmt.Errorf("in.zarr: %w: shape too large", formats.ErrBadFile))
	if code := report(context.Background(), err); code != exitFailure {
		t.Errorf("report(bad file as usage) = %d, want %d", code, exitFailure)
	}
	if code := report(context.Background(), usage(errors.New("--chunks 0"))); code != exitUsage {
		t.Errorf("report(usage) = %d, want %d", code, exitUsage)
	}
}

// TestOutputFiles: under umask 022 outputs are 0644 (a Zarr store's
// directories 0755); a temporary left by a killed run (a dead pid in its
// name) is removed by the next run to the same target and reported; and
// --overwrite refuses to delete a .zarr directory that is not a store.
func TestOutputFiles(t *testing.T) {
	dir := t.TempDir()
	in := synthFile(t, dir, "32x32")
	outDir := filepath.Join(dir, "out")
	os.Mkdir(outDir, 0o755)

	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(outDir, fmt.Sprintf(".o.npy.chunkpipe-tmp-%d-deadbeef", dead.Process.Pid))
	os.WriteFile(stale, []byte("half a file"), 0o600)

	old := syscall.Umask(0o022)
	code, errOut := chunkpipeWithin(t, "run", in, "-o", filepath.Join(outDir, "o.npy"), "--progress", "none", "--stats", "none")
	code2, errOut2 := chunkpipeWithin(t, "run", in, "-o", filepath.Join(outDir, "o.zarr"), "--chunks", "16", "--progress", "none", "--stats", "none")
	syscall.Umask(old)
	if code != 0 || code2 != 0 {
		t.Fatalf("runs failed: %d %s; %d %s", code, errOut, code2, errOut2)
	}
	for name, want := range map[string]os.FileMode{"o.npy": 0o644, "o.zarr": os.ModeDir | 0o755} {
		st, err := os.Stat(filepath.Join(outDir, name))
		if err != nil || st.Mode() != want {
			t.Errorf("%s: mode %v (%v), want %v", name, st.Mode(), err, want)
		}
	}
	if _, err := os.Lstat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temporary %s not removed", filepath.Base(stale))
	}
	if !strings.Contains(errOut, filepath.Base(stale)) || !strings.Contains(errOut, "no longer running") {
		t.Errorf("removal not reported on stderr: %q", errOut)
	}

	plain := filepath.Join(outDir, "notes.zarr")
	os.Mkdir(plain, 0o755)
	os.WriteFile(filepath.Join(plain, "todo.txt"), []byte("keep me"), 0o644)
	code, errOut = chunkpipeWithin(t, "run", in, "-o", plain, "--overwrite", "--chunks", "16", "--progress", "none", "--stats", "none")
	if code != exitFailure || !strings.Contains(errOut, "refusing to replace") {
		t.Errorf("--overwrite onto a plain directory: exit %d, %q", code, errOut)
	}
	if b, err := os.ReadFile(filepath.Join(plain, "todo.txt")); err != nil || string(b) != "keep me" {
		t.Errorf("plain directory damaged: %q %v", b, err)
	}
}
