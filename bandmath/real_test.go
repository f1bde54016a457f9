package bandmath

import (
	"chunkpipe/internal/realdata"
	"math"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	_ "chunkpipe/formats/all"
	"chunkpipe/kernels"
)

// realDir returns the shared real-data directory (see realdata.Require).
func realDir(t *testing.T) string { return realdata.Require(t) }

// openABI opens the Rad variable of the GOES-17 Mesoscale-1 scan of
// 2019-10-27 20:00 UTC for one band, skipping the test when no registered
// format reads NetCDF4.
func openABI(t *testing.T, band string) formats.Reader {
	t.Helper()
	pattern := filepath.Join(realDir(t), "abi", "OR_ABI-L1b-RadM1-M6"+band+"_G17_s2019300*.nc")
	paths, err := filepath.Glob(pattern)
	if err != nil || len(paths) != 1 {
		t.Fatalf("want one file for %s, got %v (%v)", pattern, paths, err)
	}
	if !hdf5Registered() {
		t.Fatal("no registered format reads NetCDF4/HDF5 (magic \\x89HDF): formats/all must import formats/netcdf4")
	}
	r, err := formats.Open(paths[0], formats.OpenOptions{Variable: "Rad"})
	if err != nil {
		t.Fatalf("open %s: %v", paths[0], err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// hdf5Registered reports whether a registered format claims the HDF5
// signature that NetCDF4 files start with.
func hdf5Registered() bool {
	const sig = "\x89HDF\r\n\x1a\n"
	for _, f := range formats.Formats() {
		for _, m := range f.Magic {
			if f.Open != nil && len(m) > 0 && len(m) <= len(sig) && matchMagic(m, sig) {
				return true
			}
		}
	}
	return false
}

func matchMagic(magic, b string) bool {
	for i := 0; i < len(magic); i++ {
		if magic[i] != '?' && magic[i] != b[i] {
			return false
		}
	}
	return true
}

func realInputs(t *testing.T, bands ...string) ([]Input, map[string]kernels.Params) {
	var ins []Input
	params := map[string]kernels.Params{}
	for _, b := range bands {
		in, err := NewInput(openABI(t, b), "")
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in)
		params[in.Name] = in.Params
	}
	return ins, params
}

// TestRealFireTemperature builds the fire temperature channels from bands
// 5 (1 km), 6 and 7 (2 km) on both grids, in two tilings.
func TestRealFireTemperature(t *testing.T) {
	ins, params := realInputs(t, "C05", "C06", "C07")
	for i, want := range []string{"c05", "c06", "c07"} {
		if ins[i].Name != want {
			t.Fatalf("input %d named %q, want %q (band_id)", i, ins[i].Name, want)
		}
	}
	fire, _ := LookupRecipe("fire_temperature")
	progs, err := fire.Compile(params)
	if err != nil {
		t.Fatal(err)
	}
	coarse, err := NewSource(ins, GridCoarsest)
	if err != nil {
		t.Fatal(err)
	}
	fine, err := NewSource(ins, GridFinest)
	if err != nil {
		t.Fatal(err)
	}
	if coarse.Shape() != (chunk.Shape{Rows: 500, Cols: 500}) || fine.Shape() != (chunk.Shape{Rows: 1000, Cols: 1000}) {
		t.Fatalf("grids %v and %v", coarse.Shape(), fine.Shape())
	}
	whole := readAll(t, coarse, coarse.Shape().Bounds())
	// A second tiling, not aligned with the 250x250 storage chunks.
	tiled := &chunk.Array{}
	tiled.ResetPlanes(chunk.Float32, coarse.Shape().Bounds(), 3)
	g := chunk.Grid{Shape: coarse.Shape(), Chunk: chunk.Shape{Rows: 96, Cols: 130}}
	for i := range g.Len() {
		r := g.Region(g.Index(i))
		part := readAll(t, coarse, r)
		for k := 0; k < 3; k++ {
			dst := tiled.Plane(k).Sub(r)
			dst.CopyFrom(part.Plane(k))
		}
	}
	for i, v := range whole.Float32s() {
		if !sameBits(tiled.Float32s()[i], v) {
			t.Fatalf("tiled read differs at element %d", i)
		}
	}

	// Band 5 on the coarse grid is the NaN-ignoring 2x2 mean of band 5 on
	// the fine grid.
	fineC05 := readAll(t, fine, chunk.Rect(0, 0, 1000, 1000))
	for row := 0; row < 500; row += 7 {
		for col := 0; col < 500; col += 3 {
			var s float64
			n := 0
			for i := 0; i < 2; i++ {
				for j := 0; j < 2; j++ {
					if v := at(fineC05, 0, 2*row+i, 2*col+j); v == v {
						s += float64(v)
						n++
					}
				}
			}
			want := float32(math.NaN())
			if n > 0 {
				want = float32(s / float64(n))
			}
			if got := at(whole, 0, row, col); !sameBits(got, want) {
				t.Fatalf("c05 (%d,%d) = %v, want %v", row, col, got, want)
			}
		}
	}

	// Physical ranges of the channels.
	ranges := [3][2]float32{{180, 400}, {-0.05, 1.5}, {-0.05, 1.5}}
	for ch, p := range progs {
		if err := coarse.Order(p.Inputs()); err != nil {
			t.Fatal(err)
		}
		planes := readAll(t, coarse, coarse.Shape().Bounds())
		out := chunk.NewArray(chunk.Float32, coarse.Shape().Bounds())
		if err := p.Eval(out, planes); err != nil {
			t.Fatal(err)
		}
		valid := 0
		for _, v := range out.Float32s() {
			if v != v {
				continue
			}
			valid++
			if v < ranges[ch][0] || v > ranges[ch][1] {
				t.Fatalf("%s: %v outside %v", fire.Channels[ch].Expr, v, ranges[ch])
			}
		}
		if valid < out.Rect.Len()*9/10 {
			t.Errorf("%s: only %d of %d values valid", fire.Channels[ch].Expr, valid, out.Rect.Len())
		}
	}
}

// TestRealDust checks that the dust recipe binds to the real
// files' Planck constants and gives plausible temperature differences.
func TestRealDust(t *testing.T) {
	ins, params := realInputs(t, "C11", "C13", "C14", "C15")
	dust, _ := LookupRecipe("dust")
	progs, err := dust.Compile(params)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSource(ins, GridCoarsest)
	if err != nil {
		t.Fatal(err)
	}
	r := chunk.Rect(100, 100, 300, 357)
	for ch, p := range progs {
		if err := s.Order(p.Inputs()); err != nil {
			t.Fatal(err)
		}
		planes := readAll(t, s, r)
		out := chunk.NewArray(chunk.Float32, r)
		if err := p.Eval(out, planes); err != nil {
			t.Fatal(err)
		}
		lo, hi := float32(-30), float32(30)
		if ch == 2 {
			lo, hi = 180, 340
		}
		for _, v := range out.Float32s() {
			if v == v && (v < lo || v > hi) {
				t.Fatalf("%s = %v outside [%v, %v]", dust.Channels[ch].Expr, v, lo, hi)
			}
		}
	}
}
