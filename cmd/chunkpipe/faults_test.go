package main

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// readVariable reads a whole variable of a file, undecoded, as float64.
func readVariable(t *testing.T, path, variable string) ([]float64, chunk.Shape) {
	t.Helper()
	r, err := formats.Open(path, formats.OpenOptions{Variable: variable})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	a := chunk.NewArray(info.DType, info.Shape.Bounds())
	if err := r.ReadRegion(context.Background(), a.Rect, a); err != nil {
		t.Fatal(err)
	}
	out := make([]float64, info.Shape.Len())
	for r := range info.Shape.Rows {
		if err := chunk.ConvertRow(out[r*info.Shape.Cols:][:info.Shape.Cols], a, r, 0); err != nil {
			t.Fatal(err)
		}
	}
	return out, info.Shape
}

// calibrate on a variable without scale_factor and add_offset is CF
// decoding only: the VIIRS L2P lat (float32, no fill) comes out unchanged,
// and l2p_flags (int16, _FillValue 2048) unchanged but for NaN at the
// fill. Before the fix both were scaled by the synthetic granule's
// 0.04572892 and -1.6443053.
func TestCalibrateRealNoScaleIsIdentity(t *testing.T) {
	in := filepath.Join(realDir(t), "netcdf", "SS_VIIRS_NPP-NAVO-L2P-v3.0.nc")
	dir := t.TempDir()
	for _, c := range []struct {
		variable string
		fill     float64 // NaN: none
	}{{"lat", math.NaN()}, {"l2p_flags", 2048}} {
		raw, shape := readVariable(t, in, c.variable)
		out := filepath.Join(dir, c.variable+".npy")
		if code, _, e := chunkpipe(t, "run", in, "--var", c.variable, "-k", "calibrate", "-o", out, "--progress", "none", "--stats", "none"); code != 0 {
			t.Fatalf("%s: exit %d: %s", c.variable, code, e)
		}
		got, gshape := readFloat32(t, out)
		if gshape != shape {
			t.Fatalf("%s: output shape %v, input %v", c.variable, gshape, shape)
		}
		fills := 0
		for i, v := range raw {
			if v == c.fill {
				fills++
				if got[i] == got[i] {
					t.Fatalf("%s[%d]: fill %v -> %v, want NaN", c.variable, i, v, got[i])
				}
				continue
			}
			if float64(got[i]) != float64(float32(v)) {
				t.Fatalf("%s[%d]: raw %v -> %v, want it unchanged", c.variable, i, v, got[i])
			}
		}
		if c.fill == c.fill && fills == 0 {
			t.Errorf("%s: no fill value %v in the input; the test checks nothing about fills", c.variable, c.fill)
		}
	}
}

// synth writes the anchors' constants as attributes where the format keeps
// them: calibrate,bt,stats on its NetCDF copy equals the .npy copy run with
// --preset anchors, and the .npy copy without the preset is not scaled.
func TestSynthAttributesMatchPreset(t *testing.T) {
	dir := t.TempDir()
	npy := synthFile(t, dir, "60x70")
	nc := filepath.Join(dir, "granule.nc")
	if code, _, e := chunkpipe(t, "synth", "-o", nc, "--shape", "60x70", "--progress", "none"); code != 0 {
		t.Fatal(e)
	}
	stats := func(args ...string) string {
		t.Helper()
		code, out, e := chunkpipe(t, append([]string{"run", "-k", "calibrate,bt,stats", "--progress", "none", "--stats", "none"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, e)
		}
		return out
	}
	fromAttrs, fromPreset := stats(nc), stats(npy, "--preset", "anchors")
	if fromAttrs != fromPreset || !strings.Contains(fromAttrs, "mean") {
		t.Errorf("NetCDF copy:\n%s\n.npy with --preset anchors:\n%s", fromAttrs, fromPreset)
	}
	code, out, _ := chunkpipe(t, "run", npy, "-k", "calibrate,stats", "--progress", "none", "--stats", "none")
	if code != 0 || !strings.Contains(out, "max") || strings.Contains(out, "185.") {
		t.Errorf(".npy without a preset: exit %d, want raw counts (max 4094), got:\n%s", code, out)
	}
	if code, _, e := chunkpipe(t, "run", npy, "--preset", "nope", "-k", "calibrate"); code != 2 || !strings.Contains(e, "anchors") {
		t.Errorf("unknown preset: exit %d: %s", code, e)
	}
}

// A batch whose RunBatch fails (a memory limit below one chunk) reports
// the error, exit 1 or 2, and leaves no output or temporary file; before
// the fix it dereferenced the nil batch (SIGSEGV, exit 2).
func TestBatchRunBatchError(t *testing.T) {
	dir := t.TempDir()
	a := synthFile(t, dir, "64x64")
	b := filepath.Join(dir, "b.npy")
	if err := os.Link(a, b); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(dir, "out")
	if err := os.Mkdir(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, e := chunkpipe(t, "run", a, b, "-k", "calibrate", "-o", filepath.Join(outDir, "{stem}.npy"), "--mem-limit", "1KiB", "--progress", "none")
	if code != 1 && code != 2 || strings.Contains(e, "panic") || strings.Contains(e, "SIGSEGV") {
		t.Errorf("exit %d: %s", code, e)
	}
	if !strings.Contains(e, "mem") {
		t.Errorf("error does not name the memory limit: %s", e)
	}
	if names := listDir(t, outDir); len(names) != 0 {
		t.Errorf("left behind: %v", names)
	}
}
