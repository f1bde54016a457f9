package main

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"chunkpipe/formats/remote/fakes3"
	"chunkpipe/formats/remote/remotetest"
)

// sameFiles checks that two directories hold the same names with the same
// bytes.
func sameFiles(t *testing.T, want, got string) {
	t.Helper()
	wn, gn := listDir(t, want), listDir(t, got)
	if strings.Join(wn, " ") != strings.Join(gn, " ") {
		t.Fatalf("outputs differ: local %v, remote %v", wn, gn)
	}
	for _, n := range wn {
		a, err1 := os.ReadFile(filepath.Join(want, n))
		b, err2 := os.ReadFile(filepath.Join(got, n))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: remote output differs from the local one (%v, %v)", n, err1, err2)
		}
	}
}

// A batch over an S3 prefix glob writes the same outputs as the same
// batch over the local files.
func TestRemoteBatchOverS3Glob(t *testing.T) {
	dir := realDir(t)
	local, _ := filepath.Glob(filepath.Join(dir, "abi", "OR_ABI-L1b-RadM1-M6C0[1-7]_*.nc"))
	if len(local) != 7 {
		t.Fatalf("%d local files for bands 1 to 7", len(local))
	}
	s3 := fakes3.New()
	defer s3.Close()
	for _, f := range append(local, filepath.Join(dir, "abi", "OR_ABI-L2-FDCC-M6_G16_s20200040316182_e20200040318554_c20200040319252.nc")) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := s3.Put("goes", "ABI-L1b/"+filepath.Base(f), data); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("CHUNKPIPE_S3_ENDPOINT", s3.URL)
	t.Setenv("AWS_NO_SIGN_REQUEST", "true")

	wantDir, gotDir := t.TempDir(), t.TempDir()
	args := append([]string{"run"}, local...)
	args = append(args, "-k", "calibrate,abi", "-o", filepath.Join(wantDir, "{stem}.npy"), "--progress", "none")
	if code, _, errOut := chunkpipe(t, args...); code != 0 {
		t.Fatalf("local batch: exit %d: %s", code, errOut)
	}
	code, _, errOut := chunkpipe(t, "run", "s3://goes/ABI-L1b/OR_ABI-L1b-RadM1-M6C0[1-7]_*.nc",
		"-k", "calibrate,abi", "-o", filepath.Join(gotDir, "{stem}.npy"), "--progress", "none")
	if code != 0 {
		t.Fatalf("S3 batch: exit %d: %s", code, errOut)
	}
	sameFiles(t, wantDir, gotDir)
	if n := strings.Count(errOut, " requests, "); n != 7 {
		t.Errorf("%d summary lines report requests, want 7:\n%s", n, errOut)
	}

	code, _, errOut = chunkpipe(t, "run", "s3://goes/ABI-L1b/*C99*.nc", "-o", filepath.Join(gotDir, "{stem}.npy"))
	if code == 0 || !strings.Contains(errOut, "s3://goes/ABI-L1b/*C99*.nc") {
		t.Errorf("a glob matching nothing: exit %d, %q", code, errOut)
	}
}

// A run over HTTP writes the same output as the local run, reports its
// requests, and a missing URL is an error naming it.
func TestRemoteRunOverHTTP(t *testing.T) {
	dir := realDir(t)
	s := remotetest.NewServer(os.DirFS(dir), 0)
	defer s.Close()
	name := "abi/OR_ABI-L1b-RadM1-M6C07_G17_s20193002000275_e20193002000344_c20193002000390.nc"
	wantDir, gotDir := t.TempDir(), t.TempDir()
	if code, _, errOut := chunkpipe(t, "run", filepath.Join(dir, name), "-k", "calibrate,bt", "-o", filepath.Join(wantDir, "bt.npy"), "--progress", "none"); code != 0 {
		t.Fatalf("local run: exit %d: %s", code, errOut)
	}
	code, _, errOut := chunkpipe(t, "run", s.URLOf(name), "-k", "calibrate,bt", "-o", filepath.Join(gotDir, "bt.npy"), "--progress", "none")
	if code != 0 {
		t.Fatalf("HTTP run: exit %d: %s", code, errOut)
	}
	sameFiles(t, wantDir, gotDir)
	if !strings.Contains(errOut, "remote: ") || !strings.Contains(errOut, " requests") {
		t.Errorf("no remote traffic line in the summary:\n%s", errOut)
	}

	code, out, errOut := chunkpipe(t, "info", s.URLOf(name))
	if code != 0 || !strings.Contains(out, "Rad") || !strings.Contains(out, "planck_fk1") {
		t.Errorf("info over HTTP: exit %d, %s\n%s", code, errOut, out)
	}

	missing := s.URLOf("abi/missing.nc")
	code, _, errOut = chunkpipe(t, "run", missing, "-o", filepath.Join(gotDir, "x.npy"), "--progress", "none")
	if code == 0 || !strings.Contains(errOut, missing) || !strings.Contains(errOut, "404") {
		t.Errorf("missing URL: exit %d, %q: want an error naming %s and 404", code, errOut, missing)
	}
	if names := listDir(t, gotDir); len(names) != 1 {
		t.Errorf("a failed run left output: %v", names)
	}
}

// demo io-net fetches every chunk over the loopback in both lock modes.
func TestDemoIONet(t *testing.T) {
	code, out, errOut := chunkpipe(t, "demo", "io-net", "--size", "256", "-w", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows := 0
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 9 && (f[0] == "free" || f[0] == "gil") {
			rows++
			if f[4] != "16" {
				t.Errorf("%s requests for 16 chunks: %q", f[4], line)
			}
		}
	}
	if rows != 4 {
		t.Errorf("%d table rows, want 4 (free and gil, 1 and 2 fetchers):\n%s", rows, out)
	}
}

// SIGINT while a fetch hangs, opening the file or in the middle of the
// run, ends the run with status 130 and no output.
func TestRemoteInterrupt(t *testing.T) {
	dir := t.TempDir()
	synthFile(t, dir, "2048x2048") // 8 MiB: the first request brings only half
	s := remotetest.NewServer(os.DirFS(dir), 0)
	defer s.Close()
	names := listDir(t, dir)
	if len(names) != 1 {
		t.Fatalf("synth made %v", names)
	}
	for _, tc := range []struct {
		name    string
		hangAt  int64 // the first request that hangs
		waitFor int64 // requests seen before the signal
	}{
		{"opening", 1, 1},
		{"reading", 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.Requests.Store(0)
			s.SetFault(func(n int64, _ *http.Request) remotetest.Fault {
				if n >= tc.hangAt {
					return remotetest.Hang
				}
				return remotetest.None
			})
			outDir := t.TempDir()
			cmd := exec.Command(bin, "run", s.URLOf(names[0]), "-o", filepath.Join(outDir, "o.npy"), "-k", "calibrate", "--chunks", "256", "--workers", "2", "--lock", "gil", "--progress", "none")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(20 * time.Second); s.Requests.Load() < tc.waitFor && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(20 * time.Millisecond)
			cmd.Process.Signal(syscall.SIGINT)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != 130 {
					t.Fatalf("exit %v, want 130: %s", err, stderr.String())
				}
			case <-time.After(20 * time.Second): // far below the 60 s request timeout
				cmd.Process.Kill()
				t.Fatalf("SIGINT did not stop a run whose fetch hangs: %s", stderr.String())
			}
			if left := listDir(t, outDir); len(left) != 0 {
				t.Errorf("left behind %v", left)
			}
		})
	}
}
