package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bin is the chunkpipe binary built once for the end-to-end tests.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "chunkpipe-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "chunkpipe")
	args := []string{"build", "-o", bin, "."}
	if raceEnabled {
		args = []string{"build", "-race", "-o", bin, "."}
	}
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building chunkpipe: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// chunkpipe runs the binary and returns its exit status, stdout and stderr.
func chunkpipe(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), stdout.String(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stdout.String(), stderr.String()
}

// listDir returns the names in dir.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func synthFile(t *testing.T, dir, shape string) string {
	t.Helper()
	p := filepath.Join(dir, "granule.npy")
	if code, _, errOut := chunkpipe(t, "synth", "-o", p, "--shape", shape, "--progress", "none"); code != 0 {
		t.Fatalf("synth failed (%d): %s", code, errOut)
	}
	return p
}

// Bad input gets a one-line error naming what is wrong, exit status 1 or 2,
// and leaves no output behind.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	good := synthFile(t, dir, "64x80")
	data, _ := os.ReadFile(good)
	trunc := filepath.Join(dir, "trunc.npy")
	os.WriteFile(trunc, data[:len(data)/2], 0o644)
	rawBad := filepath.Join(dir, "bad.raw")
	os.WriteFile(rawBad, make([]byte, 1001), 0o644)
	outDir := filepath.Join(dir, "out")
	os.Mkdir(outDir, 0o755)
	out := filepath.Join(outDir, "o.npy")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"truncated npy", []string{"run", trunc, "-o", out, "-k", "calibrate"}, 1, "trunc.npy"},
		{"raw size mismatch", []string{"run", rawBad + ":int16:10x50", "-o", out, "-k", "calibrate"}, 1, "1001 bytes"},
		{"raw flags size mismatch", []string{"run", rawBad, "--dtype", "int16", "--shape", "10x50", "-o", out}, 1, "bad.raw"},
		{"unknown kernel", []string{"run", good, "-o", out, "-k", "calibrate,frobnicate"}, 2, "frobnicate"},
		{"bad chunk spec", []string{"run", good, "-o", out, "-k", "calibrate", "--chunks", "512x"}, 2, "512x"},
		{"zero chunk spec", []string{"run", good, "-o", out, "-k", "calibrate", "--chunks", "0"}, 2, "chunk spec"},
		{"spec larger than array", []string{"run", good, "-o", out, "--chunks", "100"}, 2, "larger than"},
		{"missing file", []string{"run", filepath.Join(dir, "nope.npy"), "-o", out}, 1, "nope.npy"},
		{"no output directory", []string{"run", good, "-o", filepath.Join(dir, "missing", "o.npy")}, 1, "does not exist"},
		{"bad lock", []string{"run", good, "-o", out, "--lock", "maybe"}, 2, "lock"},
		{"bad param", []string{"run", good, "-o", out, "-k", "calibrate", "--param", "oops"}, 2, "oops"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := chunkpipe(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, c.code, errOut)
			}
			if !strings.Contains(errOut, c.want) {
				t.Errorf("stderr %q does not mention %q", errOut, c.want)
			}
			if lines := strings.Count(strings.TrimSpace(firstError(errOut)), "\n"); lines > 0 {
				t.Errorf("error is not one line: %q", errOut)
			}
			if names := listDir(t, outDir); len(names) != 0 {
				t.Errorf("left behind: %v", names)
			}
		})
	}
}

// firstError returns the "chunkpipe: ..." line of stderr (usage text may follow).
func firstError(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "chunkpipe:") {
			return l
		}
	}
	return s
}

// An existing output is refused unless --overwrite, and a successful run
// leaves exactly the output.
func TestOverwrite(t *testing.T) {
	dir := t.TempDir()
	in := synthFile(t, dir, "40x40")
	out := filepath.Join(dir, "o.npy")
	if code, _, e := chunkpipe(t, "run", in, "-o", out, "-k", "calibrate", "--progress", "none"); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := chunkpipe(t, "run", in, "-o", out, "-k", "calibrate"); code == 0 || !strings.Contains(e, "--overwrite") {
		t.Fatalf("existing output not refused: %d %s", code, e)
	}
	if code, _, e := chunkpipe(t, "run", in, "-o", out, "-k", "calibrate,bt", "--preset", "anchors", "--overwrite", "--progress", "none"); code != 0 {
		t.Fatal(e)
	}
	if names := listDir(t, dir); len(names) != 2 {
		t.Errorf("files after runs: %v", names)
	}
}

// SIGINT or SIGTERM in the middle of a run ends it with status 130, no
// output and no temporary file, in every lock mode.
func TestInterrupt(t *testing.T) {
	dir := t.TempDir()
	in := synthFile(t, dir, "1024x1024")
	outDir := filepath.Join(dir, "out")
	os.Mkdir(outDir, 0o755)
	delays := []time.Duration{5 * time.Millisecond, 30 * time.Millisecond, 80 * time.Millisecond, 150 * time.Millisecond}
	interrupted := 0
	for i, lock := range []string{"free", "gil", "processes", "free", "gil", "processes"} {
		sig := []os.Signal{syscall.SIGINT, syscall.SIGTERM}[i%2]
		cmd := exec.Command(bin, "run", in, "-o", filepath.Join(outDir, "o.npy"), "-k", "calibrate,median:5", "--chunks", "128", "--lock", lock, "--workers", "2", "--progress", "none")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Signal in the middle of the run: once its temporary output
		// exists, then after a varying delay.
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if es, _ := os.ReadDir(outDir); len(es) > 0 {
				break
			}
		}
		time.Sleep(delays[i%len(delays)])
		cmd.Process.Signal(sig)
		t0 := time.Now()
		err := cmd.Wait()
		var ee *exec.ExitError
		code := 0
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		if code != 130 && code != 0 {
			t.Errorf("%s/%v: exit %d, want 130: %s", lock, sig, code, stderr.String())
		}
		if d := time.Since(t0); d > 3*time.Second {
			t.Errorf("%s: took %v to stop", lock, d)
		}
		if code == 130 {
			interrupted++
			if names := listDir(t, outDir); len(names) != 0 {
				t.Errorf("%s: left behind %v", lock, names)
			}
		}
		os.RemoveAll(outDir)
		os.Mkdir(outDir, 0o755)
	}
	if interrupted < 3 {
		t.Errorf("only %d of the runs were interrupted; the test proved little", interrupted)
	}
}
