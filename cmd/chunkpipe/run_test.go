package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --trace, --timeline and --cpuprofile follow the rules of -o: an
// existing file is refused without --overwrite, an input never (fault 5:
// they overwrote anything, the input included), and nothing is left of a
// refused run.
func TestDiagnosticFilesFollowOutputRules(t *testing.T) {
	dir := t.TempDir()
	in := synthFile(t, dir, "64x64")
	orig, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, flag := range []string{"--trace", "--timeline", "--cpuprofile"} {
		t.Run(flag, func(t *testing.T) {
			work := t.TempDir()
			out := filepath.Join(work, "o.npy")
			existing := filepath.Join(work, "keep.dat")
			if err := os.WriteFile(existing, []byte("precious"), 0o644); err != nil {
				t.Fatal(err)
			}
			base := []string{"run", in, "-k", "calibrate", "--progress", "none", "--stats", "none", "-o", out}
			code, _, errOut := chunkpipe(t, append(base, flag, existing)...)
			if code == 0 || !strings.Contains(errOut, "--overwrite") {
				t.Errorf("%s onto an existing file: exit %d, stderr %q; want a refusal naming --overwrite", flag, code, errOut)
			}
			if b, _ := os.ReadFile(existing); string(b) != "precious" {
				t.Errorf("%s replaced an existing file without --overwrite", flag)
			}
			code, _, errOut = chunkpipe(t, append(base, "--overwrite", flag, in)...)
			if code == 0 || !strings.Contains(errOut, "input") {
				t.Errorf("%s onto the input with --overwrite: exit %d, stderr %q; want a refusal", flag, code, errOut)
			}
			if b, _ := os.ReadFile(in); !bytes.Equal(b, orig) {
				t.Fatalf("%s overwrote the input", flag)
			}
			code, _, errOut = chunkpipe(t, append(base, flag, out)...)
			if code != 2 || !strings.Contains(errOut, "-o") {
				t.Errorf("%s onto the output: exit %d, stderr %q; want a usage error", flag, code, errOut)
			}
			if got := listDir(t, work); len(got) != 1 {
				t.Errorf("refused runs left %v", got)
			}
			fresh := filepath.Join(work, "diag.out")
			if code, _, errOut := chunkpipe(t, append(base, flag, fresh)...); code != 0 {
				t.Fatalf("%s to a new file: exit %d: %s", flag, code, errOut)
			}
			if st, err := os.Stat(fresh); err != nil || st.Size() == 0 {
				t.Errorf("%s wrote nothing: %v", flag, err)
			}
			if code, _, errOut := chunkpipe(t, append(base, "--overwrite", flag, fresh)...); code != 0 {
				t.Errorf("%s with --overwrite onto its own earlier file: exit %d: %s", flag, code, errOut)
			}
			if got := listDir(t, work); len(got) != 3 {
				t.Errorf("files after the runs: %v, want keep.dat, o.npy and diag.out", got)
			}
		})
	}
}

// A batch whose run cannot start (here a memory limit no chunk fits)
// reports the error with status 1 and leaves no output and no temporary
// file (fault 7: a nil dereference, status 2, temporary files left).
func TestBatchThatCannotStart(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "in")
	out := filepath.Join(dir, "out")
	os.Mkdir(src, 0o755)
	os.Mkdir(out, 0o755)
	a := synthFile(t, src, "128x128")
	b := filepath.Join(src, "b.npy")
	data, _ := os.ReadFile(a)
	os.WriteFile(b, data, 0o644)
	for _, pattern := range []string{"{stem}.npy", "{stem}.tif", "{stem}.zarr"} {
		code, _, errOut := chunkpipe(t, "run", a, b, "-k", "calibrate", "-o", filepath.Join(out, pattern), "--mem-limit", "1KiB", "--progress", "none")
		if code != 1 || !strings.Contains(errOut, "mem-limit") || strings.Contains(errOut, "panic") {
			t.Errorf("%s: exit %d, stderr %q; want status 1 and the memory error", pattern, code, errOut)
		}
		if got := listDir(t, out); len(got) != 0 {
			t.Errorf("%s: left behind %v", pattern, got)
		}
	}
}

// An absurd --workers is lowered with a note, and the run succeeds (fault
// 10: 1e7 workers took 17 GB, more a fatal out-of-memory error).
func TestWorkersCapped(t *testing.T) {
	dir := t.TempDir()
	in := synthFile(t, dir, "64x64")
	code, _, errOut := chunkpipe(t, "run", in, "-k", "calibrate", "-o", filepath.Join(dir, "o.npy"), "--workers", "1000000000000", "--progress", "none", "--stats", "none")
	if code != 0 || !strings.Contains(errOut, "--workers 1000000000000 lowered to") {
		t.Errorf("exit %d, stderr %q; want success and a note", code, errOut)
	}
}

// run --help groups its flags.
func TestRunHelpGroups(t *testing.T) {
	code, out, errOut := chunkpipe(t, "run", "--help")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	last := -1
	for _, g := range []string{"Input:", "Kernels and band math:", "Engine:", "Output:", "Diagnostics:"} {
		i := strings.Index(out, "\n"+g+"\n")
		if i < 0 {
			t.Errorf("run --help has no %q group:\n%s", g, out)
			continue
		}
		if i < last {
			t.Errorf("group %q out of order", g)
		}
		last = i
	}
}
