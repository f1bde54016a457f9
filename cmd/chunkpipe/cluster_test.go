package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunClusterEmbedded runs a real ABI granule with --cluster embedded:2
// (worker processes of the built binary) and checks the .npy output and a
// histogram against the local run's.
func TestRunClusterEmbedded(t *testing.T) {
	in := filepath.Join(realDir(t), "abi", "OR_ABI-L1b-RadM1-M6C14_G17_s20193002000275_e20193002000332_c20193002000394.nc")
	dir := t.TempDir()
	local, remote := filepath.Join(dir, "local.npy"), filepath.Join(dir, "cluster.npy")
	common := []string{"run", in, "-k", "calibrate,bt", "--chunks", "128", "--progress", "none"}
	if code, _, errOut := chunkpipe(t, append(common, "-o", local, "--stats", "none")...); code != 0 {
		t.Fatalf("local run: exit %d: %s", code, errOut)
	}
	code, _, errOut := chunkpipe(t, append(common, "-o", remote, "--cluster", "embedded:2")...)
	if code != 0 {
		t.Fatalf("cluster run: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "16 chunks in 16 tasks") || strings.Count(errOut, "  worker ") == 0 {
		t.Errorf("run summary does not aggregate the workers:\n%s", errOut)
	}
	a, _ := os.ReadFile(local)
	b, _ := os.ReadFile(remote)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("cluster output (%d bytes) differs from the local run's (%d bytes)", len(b), len(a))
	}
	hist := []string{"run", in, "-k", "calibrate,bt,histogram:16", "--chunks", "128", "--progress", "none", "--stats", "none"}
	_, want, _ := chunkpipe(t, hist...)
	code, got, errOut := chunkpipe(t, append(hist, "--cluster", "embedded:2")...)
	if code != 0 || got != want || !strings.Contains(want, "histogram:16:") {
		t.Fatalf("cluster histogram (exit %d, %s):\n%s\nwant:\n%s", code, errOut, got, want)
	}
}
