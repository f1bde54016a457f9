package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats/geotiff"
)

// readBand reads band k (1-based) of a GeoTIFF.
func readBand(t *testing.T, path string, k int) *chunk.Array {
	t.Helper()
	r, err := geotiff.OpenFile(path, fmt.Sprintf("band:%d", k))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	a := chunk.NewArray(r.Info().DType, r.Info().Shape.Bounds())
	if err := r.ReadRegion(context.Background(), a.Rect, a); err != nil {
		t.Fatal(err)
	}
	return a
}

func abiBand(t *testing.T, band string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(realDir(t), "abi", "OR_ABI-L1b-RadM1-M6C"+band+"_G17_s2019300*.nc"))
	if len(m) != 1 {
		t.Fatalf("band %s: %v", band, m)
	}
	return m[0]
}

// --stack writes three ABI bands as the bands of one GeoTIFF, each
// calibrated with its own constants: band k equals the single-band run of
// input k bit for bit, also after coarsen:2 and as a COG. The stack read
// back as one multi-band input keeps all its bands.
func TestStackABIBands(t *testing.T) {
	dir := t.TempDir()
	names := []string{"07", "08", "14"}
	var inputs []string
	for _, b := range names {
		inputs = append(inputs, abiBand(t, b))
	}
	for _, chain := range []string{"calibrate,bt", "calibrate,bt,coarsen:2"} {
		stack := filepath.Join(dir, strings.ReplaceAll(chain, ":", "")+".tif")
		args := append([]string{"run"}, inputs...)
		args = append(args, "--stack", "-k", chain, "-o", stack, "--opt", "cog=true", "--chunks", "128", "--progress", "none", "--stats", "none")
		if code, _, errOut := chunkpipe(t, args...); code != 0 {
			t.Fatalf("%s: exit %d: %s", chain, code, errOut)
		}
		for k, in := range inputs {
			one := filepath.Join(dir, fmt.Sprintf("one_%s_%s.tif", names[k], strings.ReplaceAll(chain, ":", "")))
			if code, _, errOut := chunkpipe(t, "run", in, "-k", chain, "-o", one, "--progress", "none", "--stats", "none"); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			got, want := readBand(t, stack, k+1), readBand(t, one, 1)
			if string(got.Data[:got.Bytes()]) != string(want.Data[:want.Bytes()]) {
				t.Errorf("%s: band %d (c%s) differs from its single-band run", chain, k+1, names[k])
			}
		}
	}
	stack := filepath.Join(dir, "calibrate,bt.tif")
	again := filepath.Join(dir, "again.tif")
	if code, _, errOut := chunkpipe(t, "run", stack, "-o", again, "--progress", "none", "--stats", "none"); code != 0 {
		t.Fatalf("multi-band input: exit %d: %s", code, errOut)
	}
	for k := 1; k <= 3; k++ {
		got, want := readBand(t, again, k), readBand(t, stack, k)
		if string(got.Data[:got.Bytes()]) != string(want.Data[:want.Bytes()]) {
			t.Errorf("multi-band input: band %d not kept", k)
		}
	}
}

// What a stack cannot do is refused with a clear message and exit 1 or 2,
// leaving no output.
func TestStackRefusals(t *testing.T) {
	dir := t.TempDir()
	c07, c01 := abiBand(t, "07"), abiBand(t, "01")
	one := filepath.Join(dir, "one.tif")
	if code, _, errOut := chunkpipe(t, "run", c07, "-k", "calibrate,bt", "-o", one, "--progress", "none", "--stats", "none"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for name, c := range map[string]struct {
		args []string
		want string
	}{
		"netcdf output":   {[]string{c07, c07, "--stack", "-o", filepath.Join(dir, "s.nc")}, "cannot hold"},
		"reduction":       {[]string{c07, c07, "--stack", "-k", "calibrate,stats", "-o", filepath.Join(dir, "s.tif")}, "reduces instead"},
		"one band":        {[]string{one, "--stack", "-o", filepath.Join(dir, "s.tif")}, "has one band"},
		"shapes differ":   {[]string{c07, c01, "--stack", "-o", filepath.Join(dir, "s.tif")}, "one shape and type"},
		"processes":       {[]string{c07, c07, "--stack", "--lock", "processes", "-o", filepath.Join(dir, "s.tif")}, "free or gil"},
		"batch pattern":   {[]string{c07, c07, "--stack", "-o", filepath.Join(dir, "{stem}.tif")}, "one output"},
		"npy of 2 bands":  {[]string{c07, c07, "--stack", "-o", filepath.Join(dir, "s.npy")}, "cannot hold"},
		"missing output":  {[]string{c07, c07, "--stack"}, "needs -o"},
		"missing input 2": {[]string{c07, filepath.Join(dir, "nope.nc"), "--stack", "-o", filepath.Join(dir, "s.tif")}, "nope.nc"},
	} {
		code, _, errOut := chunkpipe(t, append(append([]string{"run"}, c.args...), "--progress", "none")...)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want an error containing %q", name, code, errOut, c.want)
		}
	}
	left := listDir(t, dir)
	if len(left) != 1 {
		t.Errorf("outputs left after refusals: %v", left)
	}
}
