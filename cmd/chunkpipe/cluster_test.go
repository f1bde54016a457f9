package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"chunkpipe/trace"
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

// historyTime matches the timestamp of the history attribute, which
// differs between two runs a second apart.
var historyTime = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)

// TestRunClusterFormatsAndTrace runs a real ABI granule to NetCDF and
// GeoTIFF (with tiles across chunks, so parts of tiles travel too) with
// --cluster embedded:2 and checks the files against the local run's (one
// worker for the GeoTIFF, which then appends tiles in chunk order), but
// for the history timestamp; and that --trace and --timeline write a
// Chrome trace with a process per worker and a PNG.
func TestRunClusterFormatsAndTrace(t *testing.T) {
	in := filepath.Join(realDir(t), "abi", "OR_ABI-L1b-RadM1-M6C14_G17_s20193002000275_e20193002000332_c20193002000394.nc")
	dir := t.TempDir()
	for _, c := range []struct{ ext, extra string }{{".nc", "--workers=2"}, {".tif", "--opt=tile=96"}} {
		local, remote := filepath.Join(dir, "local"+c.ext), filepath.Join(dir, "cluster"+c.ext)
		common := []string{"run", in, "-k", "calibrate,bt", "--chunks", "128", "--progress", "none", "--stats", "none", c.extra}
		if code, _, errOut := chunkpipe(t, append(common, "-o", local, "--workers", "1")...); code != 0 {
			t.Fatalf("local run: exit %d: %s", code, errOut)
		}
		args := append(common, "-o", remote, "--cluster", "embedded:2")
		if c.ext == ".tif" {
			args = append(args, "--trace", filepath.Join(dir, "t.json"), "--timeline", filepath.Join(dir, "t.png"))
		}
		if code, _, errOut := chunkpipe(t, args...); code != 0 {
			t.Fatalf("cluster run: exit %d: %s", code, errOut)
		}
		a, _ := os.ReadFile(local)
		b, _ := os.ReadFile(remote)
		a, b = historyTime.ReplaceAll(a, []byte("T")), historyTime.ReplaceAll(b, []byte("T"))
		if len(a) < 1000 || !bytes.Equal(a, b) {
			t.Fatalf("%s: cluster output (%d bytes) differs from the local run's (%d bytes)", c.ext, len(b), len(a))
		}
	}
	f, err := os.Open(filepath.Join(dir, "t.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum, err := trace.Validate(f)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Kinds["read"] != 16 || sum.Kinds["compute"] != 16 || sum.Kinds["write"] != 16 || sum.Meta["cluster"] != "embedded:2" {
		t.Errorf("trace kinds %v, meta %v: want 16 read, compute and write spans", sum.Kinds, sum.Meta)
	}
	if len(sum.Workers) < 2 || sum.Workers[0] != "coordinator" || !strings.Contains(sum.Workers[1], " slot 01") {
		t.Errorf("trace tracks %v: want the coordinator, then worker slots", sum.Workers)
	}
	png, err := os.ReadFile(filepath.Join(dir, "t.png"))
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("timeline: %v, %d bytes, not a PNG", err, len(png))
	}
}

// TestRunClusterPlanned runs the jobs workers plan again from the request
// (band math, a stack of two bands with tiles across chunks, a resampled
// input, and its histogram) with --cluster embedded:2 and checks each
// output against the local run's, but for the history timestamp; --rgb is
// refused.
func TestRunClusterPlanned(t *testing.T) {
	abi := filepath.Join(realDir(t), "abi")
	c07 := filepath.Join(abi, "OR_ABI-L1b-RadM1-M6C07_G17_s20193002000275_e20193002000344_c20193002000390.nc")
	c14 := filepath.Join(abi, "OR_ABI-L1b-RadM1-M6C14_G17_s20193002000275_e20193002000332_c20193002000394.nc")
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
	}{
		{"expr.tif", []string{c07, c14, "--expr", "bt(c07) - bt(c14)", "--chunks", "128"}},
		{"stack.tif", []string{c07, c14, "--stack", "-k", "calibrate,bt", "--chunks", "100"}},
		{"resample.nc", []string{c14, "-k", "calibrate,bt", "--resample", "latlon:0.05", "--chunks", "64"}},
	} {
		local, remote := filepath.Join(dir, "local-"+c.name), filepath.Join(dir, "cluster-"+c.name)
		common := append([]string{"run", "--progress", "none", "--stats", "none"}, c.args...)
		if code, _, errOut := chunkpipe(t, append(common, "-o", local, "--workers", "1")...); code != 0 {
			t.Fatalf("%s: local run: exit %d: %s", c.name, code, errOut)
		}
		if code, _, errOut := chunkpipe(t, append(common, "-o", remote, "--cluster", "embedded:2")...); code != 0 {
			t.Fatalf("%s: cluster run: exit %d: %s", c.name, code, errOut)
		}
		a, _ := os.ReadFile(local)
		b, _ := os.ReadFile(remote)
		a, b = historyTime.ReplaceAll(a, []byte("T")), historyTime.ReplaceAll(b, []byte("T"))
		if len(a) < 1000 || !bytes.Equal(a, b) {
			t.Errorf("%s: cluster output (%d bytes) differs from the local run's (%d bytes)", c.name, len(b), len(a))
		}
	}
	// A histogram without a range: a stats pass first, planned too.
	hist := []string{"run", c14, "-k", "calibrate,bt,histogram:8", "--resample", "latlon:0.05", "--chunks", "64", "--progress", "none", "--stats", "none"}
	_, want, _ := chunkpipe(t, hist...)
	code, got, errOut := chunkpipe(t, append(hist, "--cluster", "embedded:2")...)
	if code != 0 || got != want || !strings.Contains(want, "histogram:8:") {
		t.Errorf("resampled histogram on the cluster (exit %d, %s):\n%s\nwant:\n%s", code, errOut, got, want)
	}
	code, _, errOut = chunkpipe(t, "run", c07, c14, "--rgb", "dust", "-o", filepath.Join(dir, "rgb.png"), "--cluster", "embedded:1", "--progress", "none")
	if code != 2 || !strings.Contains(errOut, "RGB") {
		t.Errorf("--rgb with --cluster: exit %d, %s; want a usage error naming RGB", code, errOut)
	}
}
