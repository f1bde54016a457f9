package netcdf3_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/netcdf3"
)

var allDTypes = chunk.DTypes()

// randomArray fills an array with seeded random bits: every bit pattern,
// NaNs and infinities included, must survive a round trip.
func randomArray(t chunk.DType, s chunk.Shape, seed uint64) *chunk.Array {
	a := chunk.NewArray(t, s.Bounds())
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range a.Data {
		a.Data[i] = byte(rng.Uint32())
	}
	return a
}

// regions lists the chunks of a grid over shape in the given order.
func regions(s, c chunk.Shape, order string, seed uint64) []chunk.Region {
	var out []chunk.Region
	for r := 0; r < s.Rows; r += c.Rows {
		for col := 0; col < s.Cols; col += c.Cols {
			out = append(out, chunk.Rect(r, col, min(r+c.Rows, s.Rows), min(col+c.Cols, s.Cols)))
		}
	}
	switch order {
	case "reverse":
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	case "shuffled":
		rand.New(rand.NewPCG(seed, 2)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	}
	return out
}

// writeAll writes src through a new writer, its regions from several
// goroutines at once, and commits. The regions are strided views of src.
func writeAll(t testing.TB, spec formats.CreateSpec, src *chunk.Array, regs []chunk.Region) *netcdf3.Writer {
	t.Helper()
	w, err := netcdf3.Create(spec)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(regs))
	for _, rg := range regs {
		wg.Go(func() { errs <- w.WriteRegion(context.Background(), src.Sub(rg)) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			w.Abort()
			t.Fatalf("WriteRegion: %v", err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return w
}

func TestRoundTrip(t *testing.T) {
	shapes := []chunk.Shape{sh(1, 1), sh(1, 7), sh(7, 1), sh(5, 5), sh(37, 53)}
	chunks := []chunk.Shape{sh(1, 1), sh(3, 4), sh(2, 1<<20), sh(1<<20, 1<<20)}
	dir := t.TempDir()
	n := 0
	for _, dt := range allDTypes {
		for _, s := range shapes {
			for _, c := range chunks {
				for _, order := range []string{"forward", "reverse", "shuffled"} {
					n++
					name := fmt.Sprintf("%v/%v/chunk%dx%d/%s", dt, s, min(c.Rows, s.Rows), min(c.Cols, s.Cols), order)
					path := filepath.Join(dir, fmt.Sprintf("f%d.nc", n))
					src := randomArray(dt, s, uint64(n))
					spec := formats.CreateSpec{Path: path, Shape: s, DType: dt, Variable: "v"}
					w := writeAll(t, spec, src, regions(s, c, order, uint64(n)))
					wantVer := netcdf3.CDF2
					if dt == chunk.Uint8 || dt == chunk.Uint16 || dt == chunk.Uint32 || dt == chunk.Int64 || dt == chunk.Uint64 {
						wantVer = netcdf3.CDF5
					}
					r, err := netcdf3.Open(path, formats.OpenOptions{})
					if err != nil {
						t.Fatalf("%s: Open: %v", name, err)
					}
					if w.Version() != wantVer || r.Version() != wantVer {
						t.Errorf("%s: written as %v, read as %v, want %v", name, w.Version(), r.Version(), wantVer)
					}
					if info := r.Info(); info.Variable != "v" || info.Shape != s || info.DType != dt {
						t.Fatalf("%s: read %s %v %v", name, info.Variable, info.Shape, info.DType)
					}
					equalBits(t, name, readAll(t, r).Data, src.Data, dt.Size())
					r.Close()
				}
			}
		}
	}
}

func TestWriterVersionsAndAttrs(t *testing.T) {
	tests := []struct {
		name    string
		dtype   chunk.DType
		option  string
		attrs   formats.Attrs
		want    netcdf3.Version
		wantCDL []string // lines Describe must print
		wantErr string
	}{
		{name: "float32 default", dtype: chunk.Float32, want: netcdf3.CDF2,
			attrs:   formats.Attrs{at("units", "K"), at("long_name", "brightness temperature")},
			wantCDL: []string{"\tfloat data(y, x) ;", "\t\tdata:units = \"K\" ;", "\t\tdata:_FillValue = NaNf ;", "\t\t:Conventions = \"CF-1.8\" ;", "\t\t:history = \"chunkpipe test\" ;"}},
		{name: "float64 explicit fill", dtype: chunk.Float64, want: netcdf3.CDF2, attrs: formats.Attrs{at("_FillValue", -999.0)},
			wantCDL: []string{"\t\tdata:_FillValue = -999. ;"}},
		{name: "int16 typed attributes", dtype: chunk.Int16, want: netcdf3.CDF2,
			attrs:   formats.Attrs{at("_FillValue", int64(-1)), at("valid_range", []int64{0, 4095}), at("scale_factor", float32(0.5)), at("add_offset", 1.25), at("count", int64(3)), at("big", int64(1)<<40)},
			wantCDL: []string{"\t\tdata:_FillValue = -1s ;", "\t\tdata:valid_range = 0s, 4095s ;", "\t\tdata:scale_factor = 0.5f ;", "\t\tdata:add_offset = 1.25 ;", "\t\tdata:count = 3 ;", "\t\tdata:big = 1099511627776. ;"}},
		{name: "uint16 needs cdf5", dtype: chunk.Uint16, want: netcdf3.CDF5, attrs: formats.Attrs{at("big", int64(1)<<40)},
			wantCDL: []string{"\tushort data(y, x) ;", "\t\tdata:big = 1099511627776LL ;"}},
		{name: "forced cdf1", dtype: chunk.Int32, option: "cdf1", want: netcdf3.CDF1},
		{name: "forced cdf5", dtype: chunk.Float32, option: "CDF5", want: netcdf3.CDF5},
		{name: "cdf2 cannot hold uint8", dtype: chunk.Uint8, option: "cdf2", wantErr: "needs cdf5"},
		{name: "unknown option", dtype: chunk.Int8, option: "netcdf4", wantErr: `option netcdf="netcdf4"`},
		{name: "fill out of range", dtype: chunk.Int8, attrs: formats.Attrs{at("_FillValue", int64(300))}, wantErr: "attribute _FillValue: value 300 is out of range for byte"},
		{name: "fractional integer fill", dtype: chunk.Int16, attrs: formats.Attrs{at("_FillValue", 1.5)}, wantErr: "out of range for short"},
		{name: "unsupported value", dtype: chunk.Int16, attrs: formats.Attrs{at("flags", []string{"a"})}, wantErr: "attribute flags: unsupported value type []string"},
		{name: "invalid dtype", dtype: chunk.Invalid, wantErr: "cannot write type invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out.nc")
			spec := formats.CreateSpec{Path: path, Shape: chunk.Shape{Rows: 3, Cols: 4}, DType: tc.dtype, Attrs: tc.attrs,
				Global: formats.Attrs{at("history", "chunkpipe test")}, Options: map[string]string{"netcdf": tc.option}}
			if tc.wantErr != "" {
				_, err := netcdf3.Create(spec)
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "netcdf3: "+path) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				if _, err := os.Stat(path); err == nil {
					t.Error("failed Create left the output")
				}
				return
			}
			src := randomArray(tc.dtype, spec.Shape, 7)
			writeAll(t, spec, src, []chunk.Region{spec.Shape.Bounds()})
			r, err := netcdf3.Open(path, formats.OpenOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Version() != tc.want {
				t.Errorf("version %v, want %v", r.Version(), tc.want)
			}
			var cdl bytes.Buffer
			r.Describe(&cdl, formats.DescribeOptions{})
			for _, line := range tc.wantCDL {
				if !strings.Contains(cdl.String(), line+"\n") {
					t.Errorf("Describe lacks %q:\n%s", line, cdl.String())
				}
			}
			if len(tc.attrs) > 0 && len(r.Info().Attrs) < len(tc.attrs) {
				t.Errorf("attributes %v, want %v", r.Info().Attrs, tc.attrs)
			}
			equalBits(t, "data", readAll(t, r).Data, src.Data, tc.dtype.Size())
		})
	}
}

func TestWriterDoesNotModifySpec(t *testing.T) {
	attrs := make(formats.Attrs, 1, 4)
	attrs[0] = formats.Attr{Name: "units", Value: "K"}
	global := make(formats.Attrs, 1, 4)
	global[0] = formats.Attr{Name: "Conventions", Value: "CF-1.6"}
	spec := formats.CreateSpec{Path: filepath.Join(t.TempDir(), "o.nc"), Shape: chunk.Shape{Rows: 1, Cols: 1}, DType: chunk.Float32, Attrs: attrs, Global: global}
	w, err := netcdf3.Create(spec)
	if err != nil {
		t.Fatal(err)
	}
	w.Abort()
	if attrs[:cap(attrs)][1] != (formats.Attr{}) || global[0].Value != "CF-1.6" {
		t.Errorf("Create changed the spec's attributes: %v %v", attrs[:2], global)
	}
}

func TestWriterErrors(t *testing.T) {
	dir := t.TempDir()
	s := chunk.Shape{Rows: 4, Cols: 6}
	spec := formats.CreateSpec{Path: filepath.Join(dir, "e.nc"), Shape: s, DType: chunk.Int16}
	w, err := netcdf3.Create(spec)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	bad := []struct {
		name string
		a    *chunk.Array
		want string
	}{
		{"wrong type", chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 1, 1)), "region type does not match the output's int16"},
		{"outside", chunk.NewArray(chunk.Int16, chunk.Rect(3, 5, 5, 6)), "outside the 4x6 output"},
		{"negative", chunk.NewArray(chunk.Int16, chunk.Rect(-1, 0, 1, 1)), "outside"},
		{"short data", &chunk.Array{DType: chunk.Int16, Rect: chunk.Rect(0, 0, 2, 2), Stride: 2, Data: make([]byte, 6)}, "are too few"},
		{"nil", nil, "region type"},
	}
	for _, b := range bad {
		if err := w.WriteRegion(ctx, b.a); err == nil || !strings.Contains(err.Error(), b.want) || !strings.Contains(err.Error(), "variable data") {
			t.Errorf("%s: error %v, want one containing %q", b.name, err, b.want)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := w.WriteRegion(cctx, chunk.NewArray(chunk.Int16, chunk.Rect(0, 0, 1, 1))); err != context.Canceled {
		t.Errorf("cancelled WriteRegion: %v", err)
	}
	if err := w.WriteRegion(ctx, chunk.NewArray(chunk.Int16, chunk.Rect(0, 0, 3, 6))); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err == nil || !strings.Contains(err.Error(), "only 18 of 24 elements were written") {
		t.Errorf("incomplete Commit: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("incomplete Commit left %v", ents)
	}
	if err := w.Abort(); err != nil {
		t.Errorf("second Abort: %v", err)
	}
	for _, shape := range []chunk.Shape{sh(0, 5), sh(5, 0)} {
		if _, err := netcdf3.Create(formats.CreateSpec{Path: filepath.Join(dir, "z.nc"), Shape: shape, DType: chunk.Int8}); err == nil || !strings.Contains(err.Error(), "unlimited") {
			t.Errorf("shape %v: %v", shape, err)
		}
	}
}

// TestCoordsCarriedOver writes a NetCDF fixture's variable to a new file
// with its coordinates and scalar variables, whole and coarsened.
func TestCoordsCarriedOver(t *testing.T) {
	r, err := netcdf3.Open(filepath.Join(fixtureDir, "offset64.nc"), formats.OpenOptions{Variable: "v_float32"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	src := readAll(t, r)
	in := info.Geo.(*netcdf3.Coords)
	if len(in.Scalars) != 1 || in.Scalars[0].Name != "goes_imager_projection" {
		t.Fatalf("scalars %+v", in.Scalars)
	}
	mean := func(v []float64, f int) []float64 {
		out := make([]float64, len(v)/f)
		for i := range out {
			for _, x := range v[i*f : (i+1)*f] {
				out[i] += x
			}
			out[i] /= float64(f)
		}
		return out
	}
	for _, factor := range []int{1, 2, 3} {
		t.Run(fmt.Sprint("factor", factor), func(t *testing.T) {
			out := chunk.Shape{Rows: info.Shape.Rows / factor, Cols: info.Shape.Cols / factor}
			path := filepath.Join(t.TempDir(), "c.nc")
			spec := formats.CreateSpec{Path: path, Shape: out, DType: chunk.Float32, Source: &info, Factor: factor, Attrs: info.Attrs}
			writeAll(t, spec, src.Sub(out.Bounds()), []chunk.Region{out.Bounds()})
			got, err := netcdf3.Open(path, formats.OpenOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer got.Close()
			gi := got.Info()
			c, ok := gi.Geo.(*netcdf3.Coords)
			if !ok || c.X == nil || c.Y == nil || len(c.Scalars) != 1 {
				t.Fatalf("coordinates %+v", gi.Geo)
			}
			if gi.Variable != "data" || fmt.Sprint(gi.Dims) != "[y x]" {
				t.Errorf("variable %s dims %v", gi.Variable, gi.Dims)
			}
			if fmt.Sprint(c.Y.Values) != fmt.Sprint(mean(in.Y.Values, factor)) || fmt.Sprint(c.X.Values) != fmt.Sprint(mean(in.X.Values, factor)) {
				t.Errorf("coordinates y %v x %v, want means of %v and %v by %d", c.Y.Values, c.X.Values, in.Y.Values, in.X.Values, factor)
			}
			if u, _ := c.X.Attrs.String("units"); u != "rad" {
				t.Errorf("x units %q", u)
			}
			wantX := chunk.Float32
			if factor > 1 {
				wantX = chunk.Float64
			}
			if c.X.DType != wantX {
				t.Errorf("x type %v, want %v", c.X.DType, wantX)
			}
			p := c.Scalars[0]
			if h, _ := p.Attrs.Float("perspective_point_height"); h != 35786023 || p.DType != chunk.Int32 {
				t.Errorf("projection %+v", p)
			}
			if gm, _ := gi.Attrs.String("grid_mapping"); gm != "goes_imager_projection" {
				t.Errorf("grid_mapping %q", gm)
			}
		})
	}
	// A coordinate that fits neither the output nor the factor is an error.
	spec := formats.CreateSpec{Path: filepath.Join(t.TempDir(), "bad.nc"), Shape: chunk.Shape{Rows: 2, Cols: 2}, DType: chunk.Float32, Source: &info, Factor: 1}
	if _, err := netcdf3.Create(spec); err == nil || !strings.Contains(err.Error(), "coordinate y has 7 values, the output dimension 2") {
		t.Errorf("mismatched coordinates: %v", err)
	}
}

func TestWithCoordsAndRegisteredFunc(t *testing.T) {
	c := &netcdf3.Coords{
		Y:       &netcdf3.Var{Name: "lat", DType: chunk.Int16, Attrs: formats.Attrs{at("scale_factor", 0.5), at("add_offset", 10.0), at("_FillValue", int64(-1))}, Values: []float64{0, 2, 4, 6}},
		Scalars: []netcdf3.Var{{Name: "crs", DType: chunk.Int64, Attrs: formats.Attrs{at("grid_mapping_name", "latitude_longitude")}}},
	}
	spec := formats.CreateSpec{Path: filepath.Join(t.TempDir(), "w.nc"), Shape: chunk.Shape{Rows: 2, Cols: 3}, DType: chunk.Float32, Factor: 2,
		Source: &formats.Info{Dims: []string{"band", "row", "col"}}}
	spec2 := netcdf3.WithCoords(spec, c)
	if spec.Source.Geo != nil {
		t.Fatal("WithCoords modified the original spec's source")
	}
	writeAll(t, spec2, chunk.NewArray(chunk.Float32, spec.Shape.Bounds()), []chunk.Region{spec.Shape.Bounds()})
	r, err := netcdf3.Open(spec.Path, formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := r.Info().Geo.(*netcdf3.Coords)
	// Packed values 0,2 and 4,6 unpack to 10,11 and 12,13: means 10.5, 12.5.
	if fmt.Sprint(r.Info().Dims) != "[lat col]" || fmt.Sprint(got.Y.Values) != "[10.5 12.5]" || len(got.Y.Attrs) != 0 {
		t.Errorf("dims %v y %+v", r.Info().Dims, got.Y)
	}
	if r.Version() != netcdf3.CDF5 || len(got.Scalars) != 1 || got.Scalars[0].Values[0] != -9223372036854775806 {
		t.Errorf("version %v scalars %+v", r.Version(), got.Scalars)
	}

	// A registered converter supplies coordinates for foreign sources.
	type foreign struct{ x []float64 }
	formats.RegisterCFGridFunc(func(src *formats.Info) (formats.CFGrid, error) {
		if f, ok := src.Geo.(foreign); ok {
			return &netcdf3.Coords{X: &netcdf3.Var{Name: "x", DType: chunk.Float64, Values: f.x}}, nil
		}
		return nil, nil
	})
	spec3 := formats.CreateSpec{Path: filepath.Join(t.TempDir(), "f.nc"), Shape: chunk.Shape{Rows: 1, Cols: 2}, DType: chunk.Int8, Source: &formats.Info{Geo: foreign{[]float64{math.Pi, -1}}}}
	writeAll(t, spec3, chunk.NewArray(chunk.Int8, spec3.Shape.Bounds()), []chunk.Region{spec3.Shape.Bounds()})
	r3, err := netcdf3.Open(spec3.Path, formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r3.Close()
	if c := r3.Info().Geo.(*netcdf3.Coords); c.X == nil || c.X.Values[0] != math.Pi {
		t.Errorf("registered coordinates: %+v", c)
	}
}

// TestConcurrentReads reads random regions of one Reader from many
// goroutines (run with -race) and checks every one.
func TestConcurrentReads(t *testing.T) {
	for _, file := range []string{"records.nc", "offset64.nc"} {
		variable := map[string]string{"records.nc": "series_s", "offset64.nc": "v_float64"}[file]
		r, err := netcdf3.Open(filepath.Join(fixtureDir, file), formats.OpenOptions{Variable: variable})
		if err != nil {
			t.Fatal(err)
		}
		info := r.Info()
		whole := readAll(t, r)
		var wg sync.WaitGroup
		for g := range 16 {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(g), 3))
				for range 200 {
					r0, c0 := rng.IntN(info.Shape.Rows), rng.IntN(info.Shape.Cols)
					rg := chunk.Rect(r0, c0, r0+1+rng.IntN(info.Shape.Rows-r0), c0+1+rng.IntN(info.Shape.Cols-c0))
					a := chunk.NewArray(info.DType, rg)
					if err := r.ReadRegion(context.Background(), rg, a); err != nil {
						t.Error(err)
						return
					}
					want := chunk.NewArray(info.DType, rg)
					want.CopyFrom(whole)
					if !bytes.Equal(a.Data, want.Data) {
						t.Errorf("%s: region %v differs", file, rg)
						return
					}
				}
			})
		}
		wg.Wait()
		r.Close()
	}
}
