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

// info has a dimensions section, prints whole numbers as integers, marks
// every cut string, and prints everything whole with --full.
func TestInfoDisplay(t *testing.T) {
	abi := filepath.Join(realDir(t), "abi", "OR_ABI-L1b-RadM1-M6C07_G17_s20193002000275_e20193002000344_c20193002000390.nc")
	code, out, e := chunkpipe(t, "info", abi)
	if code != 0 {
		t.Fatal(e)
	}
	for _, want := range []string{"dimensions:\n  y = 500 (rows)\n  x = 500 (cols)\n", "goes_imager_projection = -2147483647\n", "--full shows all"} {
		if !strings.Contains(out, want) {
			t.Errorf("info lacks %q", want)
		}
	}
	if strings.Contains(out, "e+06") || strings.Contains(out, "e+09") {
		t.Errorf("info prints a whole number with an exponent")
	}
	code, full, e := chunkpipe(t, "info", "--full", abi)
	if code != 0 {
		t.Fatal(e)
	}
	if strings.Contains(full, "full shows all") || strings.Contains(full, `..."`) {
		t.Errorf("info --full still cuts a value")
	}
	// LUT_Filenames is 1694 bytes: whole with --full, cut without.
	lut := func(s string) string {
		i := strings.Index(s, "LUT_Filenames = ")
		if i < 0 {
			t.Fatal("no LUT_Filenames")
		}
		return s[i : i+strings.Index(s[i:], "\n")]
	}
	if n := len(lut(full)); n < 1694 {
		t.Errorf("--full LUT_Filenames is %d bytes", n)
	}
	if n := len(lut(out)); n > 300 {
		t.Errorf("LUT_Filenames is %d bytes without --full", n)
	}
}

// Smaller command-line faults of issue 13: bt on raw counts is refused,
// --chunks -1x88 parses, --param takes lists and rejects unknown names
// and bad values.
func TestCommandLineChecks(t *testing.T) {
	dir := t.TempDir()
	in := synthFile(t, dir, "100x200")
	outDir := filepath.Join(dir, "out")
	if err := os.Mkdir(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(outDir, "o.npy")
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bt on counts", []string{"run", in, "-k", "bt", "--preset", "anchors", "-o", out}, 1, "calibrate them first"},
		{"bt without Planck constants", []string{"run", in, "-k", "calibrate,bt", "-o", out}, 2, "bt needs planck_fk1, planck_fk2, planck_bc1, planck_bc2"},
		{"bt with some Planck constants", []string{"run", in, "-k", "calibrate,bt", "--param", "planck_fk1=13432.1", "--param", "planck_bc1=0.09102", "-o", out}, 2,
			"bt needs planck_fk2, planck_bc2, which the input lacks (an ABI L1b emissive band carries them): give them with --param planck_fk2=VALUE --param planck_bc2=VALUE, or --preset anchors"},
		{"reflectance on counts", []string{"run", in, "-k", "reflectance", "--param", "kappa0=0.1", "-o", out}, 1, "calibrate"},
		{"unknown param", []string{"run", in, "-k", "calibrate", "--param", "scale=2", "-o", out}, 2, "known: _FillValue"},
		{"param not a number", []string{"run", in, "-k", "calibrate", "--param", "scale_factor=abc", "-o", out}, 2, "not a number"},
		{"list param reaches calibrate", []string{"run", in, "-k", "calibrate", "--param", "valid_range=5,1", "-o", out}, 2, "[5, 1] is empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, e := chunkpipe(t, c.args...)
			if code != c.code || !strings.Contains(e, c.want) {
				t.Errorf("exit %d (want %d): %s (want %q)", code, c.code, e, c.want)
			}
			if names := listDir(t, outDir); len(names) != 0 {
				t.Errorf("left behind: %v", names)
			}
		})
	}
	code, out2, e := chunkpipe(t, "run", in, "--chunks", "-1x88", "-k", "calibrate,stats", "--param", "valid_range=0,4094", "--progress", "none")
	if code != 0 || !strings.Contains(e, "1x3 chunks of 100x88") || !strings.Contains(out2, "count=") {
		t.Errorf("--chunks -1x88: exit %d: %s", code, e)
	}
}
