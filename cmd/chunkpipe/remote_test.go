package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
