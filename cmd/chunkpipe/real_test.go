package main

import (
	"chunkpipe/internal/realdata"
	"context"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// realDir returns the real instrument data directory (see realdata.Require).
func realDir(t *testing.T) string { return realdata.Require(t) }

// products is testdata/abi/products.json, written by
// tools/oracle/abi_products.py with netCDF4-python and numpy.
type products struct {
	Files []struct {
		File    string
		Band    int
		Chain   string
		Shape   []int
		NaN     int `json:"nan"`
		NaNSum  float64
		Samples [][3]any
	}
	BTDiff struct {
		C07, C14 string
		NaNSum   float64
		Samples  [][3]any
		Argmax   [2]int
		Max      float64
	}
	Fire struct {
		C07, C06, C05 string
		Pixels        [][5]int
	}
}

func loadProducts(t *testing.T) *products {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "abi", "products.json"))
	if err != nil {
		t.Fatal(err)
	}
	var p products
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

// readFloat32 reads a whole float32 output with chunkpipe's own reader.
func readFloat32(t *testing.T, path string) ([]float32, chunk.Shape) {
	t.Helper()
	r, err := formats.Open(path, formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	a := chunk.NewArray(info.DType, info.Shape.Bounds())
	if err := r.ReadRegion(context.Background(), a.Rect, a); err != nil {
		t.Fatal(err)
	}
	return a.Float32s(), info.Shape
}

// checkAgainst compares an output with the oracle's NaN count, sum and
// samples within rtol.
func checkAgainst(t *testing.T, name string, got []float32, shape chunk.Shape, nan int, sum float64, samples [][3]any, rtol float64) {
	t.Helper()
	n, s := 0, 0.0
	for _, v := range got {
		if v != v {
			n++
		} else {
			s += float64(v)
		}
	}
	if nan >= 0 && n != nan {
		t.Errorf("%s: %d NaN, oracle %d", name, n, nan)
	}
	if math.Abs(s-sum) > rtol*math.Abs(sum) {
		t.Errorf("%s: sum %.9g, oracle %.9g", name, s, sum)
	}
	for _, smp := range samples {
		r, c := int(smp[0].(float64)), int(smp[1].(float64))
		v := float64(got[r*shape.Cols+c])
		if smp[2] == nil {
			if !math.IsNaN(v) {
				t.Errorf("%s (%d,%d) = %v, oracle NaN", name, r, c, v)
			}
			continue
		}
		want := smp[2].(float64)
		if math.Abs(v-want) > rtol*math.Abs(want) {
			t.Errorf("%s (%d,%d) = %v, oracle %v", name, r, c, v, want)
		}
	}
}

// chunkpipe run on every real ABI L1b band with calibrate and the band's
// physical kernel matches netCDF4-python and numpy within rtol 1e-5, with
// fill pixels NaN.
func TestRealABIProducts(t *testing.T) {
	dir := realDir(t)
	p := loadProducts(t)
	out := t.TempDir()
	sawFill := false
	for _, f := range p.Files {
		o := filepath.Join(out, strings.TrimSuffix(f.File, ".nc")+".npy")
		code, _, errOut := chunkpipe(t, "run", filepath.Join(dir, "abi", f.File), "-o", o, "-k", f.Chain, "--progress", "none", "--stats", "none")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f.File, code, errOut)
		}
		got, shape := readFloat32(t, o)
		if shape.Rows != f.Shape[0] || shape.Cols != f.Shape[1] {
			t.Fatalf("%s: shape %v, oracle %v", f.File, shape, f.Shape)
		}
		checkAgainst(t, f.File, got, shape, f.NaN, f.NaNSum, f.Samples, 1e-5)
		sawFill = sawFill || f.NaN > 0
	}
	if !sawFill {
		t.Error("no real file had fill pixels; the NaN check proved nothing")
	}
}

// bt(c07) - bt(c14) over the 2019-10-27 scan equals numpy within rtol 1e-5,
// and its largest difference is at the fire.
func TestRealBTDifference(t *testing.T) {
	dir := realDir(t)
	p := loadProducts(t)
	o := filepath.Join(t.TempDir(), "diff.npy")
	code, _, errOut := chunkpipe(t, "run", "--band", "c07="+filepath.Join(dir, "abi", p.BTDiff.C07), "--band", "c14="+filepath.Join(dir, "abi", p.BTDiff.C14),
		"--expr", "bt(c07) - bt(c14)", "-o", o, "--progress", "none", "--chunks", "128")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got, shape := readFloat32(t, o)
	checkAgainst(t, "bt(c07)-bt(c14)", got, shape, -1, p.BTDiff.NaNSum, p.BTDiff.Samples, 1e-5)
	best, at := float32(math.Inf(-1)), 0
	for i, v := range got {
		if v > best {
			best, at = v, i
		}
	}
	if r, c := at/shape.Cols, at%shape.Cols; r != p.BTDiff.Argmax[0] || c != p.BTDiff.Argmax[1] {
		t.Errorf("largest difference %v at (%d,%d), oracle (%d,%d)", best, r, c, p.BTDiff.Argmax[0], p.BTDiff.Argmax[1])
	}
}

// The Fire Temperature RGB of the 2019-10-27 scan matches numpy's levels at
// a few pixels (the fire pixel among them) within one level.
func TestRealFireTemperatureRGB(t *testing.T) {
	dir := realDir(t)
	p := loadProducts(t)
	o := filepath.Join(t.TempDir(), "fire.png")
	code, _, errOut := chunkpipe(t, "run", filepath.Join(dir, "abi", p.Fire.C07), filepath.Join(dir, "abi", p.Fire.C06), filepath.Join(dir, "abi", p.Fire.C05),
		"--rgb", "fire_temperature", "-o", o, "--progress", "none", "--workers", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	fh, err := os.Open(o)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 500 || b.Dy() != 500 {
		t.Fatalf("composite is %v, want 500x500 (the 2 km grid)", b)
	}
	for _, px := range p.Fire.Pixels {
		r, g, b, _ := img.At(px[1], px[0]).RGBA()
		got := [3]int{int(r >> 8), int(g >> 8), int(b >> 8)}
		for k := 0; k < 3; k++ {
			if d := got[k] - px[2+k]; d < -1 || d > 1 {
				t.Errorf("pixel (%d,%d): RGB %v, numpy %v", px[0], px[1], got, px[2:])
				break
			}
		}
	}
	fire := p.Fire.Pixels[0]
	if fire[2] < 250 {
		t.Errorf("the fire pixel's red is %d; the oracle should put the fire at full red", fire[2])
	}
}

// A batch over every real ABI L1b file finishes with a summary line per
// file; with a damaged file added, exit status is 1 and every other output
// is still complete.
func TestRealBatch(t *testing.T) {
	dir := realDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "abi", "OR_ABI-L1b-*.nc"))
	if len(files) < 10 {
		t.Fatalf("only %d ABI L1b files", len(files))
	}
	out := t.TempDir()
	args := append([]string{"run"}, files...)
	args = append(args, "-k", "calibrate,abi", "-o", filepath.Join(out, "{stem}.npy"), "--progress", "none")
	code, _, errOut := chunkpipe(t, args...)
	if code != 0 {
		t.Fatalf("batch exit %d: %s", code, errOut)
	}
	if n := strings.Count(errOut, "\nok ") + boolInt(strings.HasPrefix(errOut, "ok ")); n != len(files) {
		t.Errorf("%d summary lines for %d files:\n%s", n, len(files), errOut)
	}
	// Now with a damaged copy of one file among them.
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "OR_ABI-L1b-damaged.nc")
	os.WriteFile(bad, data[:len(data)*2/3], 0o644)
	out2 := t.TempDir()
	args = append([]string{"run", bad}, files...)
	args = append(args, "-k", "calibrate,abi", "-o", filepath.Join(out2, "{stem}.npy"), "--progress", "none")
	code, _, errOut = chunkpipe(t, args...)
	if code != 1 {
		t.Fatalf("batch with a damaged file: exit %d, want 1: %s", code, errOut)
	}
	if !strings.Contains(errOut, "FAILED "+bad) {
		t.Errorf("no FAILED line for the damaged file:\n%s", errOut)
	}
	names := listDir(t, out2)
	if len(names) != len(files) {
		t.Errorf("%d outputs for %d good files: %v", len(names), len(files), names)
	}
	for _, f := range files {
		o := filepath.Join(out2, strings.TrimSuffix(filepath.Base(f), ".nc")+".npy")
		r, err := formats.Open(o, formats.OpenOptions{})
		if err != nil {
			t.Errorf("output of %s: %v", f, err)
			continue
		}
		r.Close()
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
