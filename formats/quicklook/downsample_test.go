package quicklook_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats/quicklook"
)

func TestFactor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      chunk.Shape
		maxSize int
		want    int
	}{
		{chunk.Shape{Rows: 1, Cols: 1}, 2048, 1},
		{chunk.Shape{Rows: 2048, Cols: 2048}, 2048, 1},
		{chunk.Shape{Rows: 2049, Cols: 10}, 2048, 2},
		{chunk.Shape{Rows: 10, Cols: 4096}, 2048, 2},
		{chunk.Shape{Rows: 10, Cols: 4097}, 2048, 3},
		{chunk.Shape{Rows: 5424, Cols: 5424}, 2048, 3}, // ABI full disk, 2 km
		{chunk.Shape{Rows: 21696, Cols: 21696}, 2048, 11},
		{chunk.Shape{Rows: 3, Cols: 5000}, 1, 5000},
		{chunk.Shape{Rows: 30, Cols: 30}, 0, 1},
		{chunk.Shape{}, 2048, 1},
	}
	for _, tt := range tests {
		f := quicklook.Factor(tt.in, tt.maxSize)
		if f != tt.want {
			t.Errorf("Factor(%v, %d) = %d, want %d", tt.in, tt.maxSize, f, tt.want)
		}
		if tt.maxSize <= 0 || tt.in.Len() == 0 {
			continue
		}
		longer := max(tt.in.Rows, tt.in.Cols)
		if out := (longer + f - 1) / f; out > tt.maxSize {
			t.Errorf("Factor(%v, %d) = %d gives %d pixels", tt.in, tt.maxSize, f, out)
		}
		if f > 1 && (longer+f-2)/(f-1) <= tt.maxSize {
			t.Errorf("Factor(%v, %d) = %d is not the smallest factor that fits", tt.in, tt.maxSize, f)
		}
	}
}

func TestNewDownsamplerErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   chunk.Shape
		f    int
		want string
	}{
		{chunk.Shape{}, 1, "empty"},
		{chunk.Shape{Rows: 0, Cols: 5}, 1, "empty"},
		{chunk.Shape{Rows: 5, Cols: 5}, 0, "factor"},
		{chunk.Shape{Rows: 5, Cols: 5}, 1<<16 + 1, "factor"},
	}
	for _, tt := range tests {
		_, err := quicklook.NewDownsampler(tt.in, tt.f)
		checkErr(t, err, tt.want)
	}
	d, err := quicklook.NewDownsampler(chunk.Shape{Rows: 7, Cols: 10}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.OutShape(), (chunk.Shape{Rows: 3, Cols: 4}); got != want {
		t.Errorf("OutShape = %v, want %v", got, want)
	}
	if err := d.Add(chunk.NewArray(chunk.Float32, chunk.Rect(5, 5, 8, 8))); err == nil {
		t.Error("Add outside the input shape succeeded")
	}
	if err := d.Add(&chunk.Array{Rect: chunk.Rect(0, 0, 1, 1), Stride: 1}); err == nil {
		t.Error("Add of an invalid dtype succeeded")
	}
}

func TestDownsamplerPanics(t *testing.T) {
	t.Parallel()
	d, _ := quicklook.NewDownsampler(chunk.Shape{Rows: 4, Cols: 4}, 2)
	mustPanic(t, "row outside", func() { d.AddRow(4, 0, []float64{1}) })
	mustPanic(t, "columns outside", func() { d.AddRow(0, 2, []float64{1, 2, 3}) })
	mustPanic(t, "negative column", func() { d.AddRow(0, -1, []float64{1}) })
	d.AddRow(0, 0, []float64{1, 2, 3, 4})
	d.Means()
	mustPanic(t, "after Means", func() { d.AddRow(1, 0, []float64{1}) })
}

func mustPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s: no panic", name)
		}
	}()
	f()
}

// TestDownsamplerMatchesReference is the "any chunking gives the same
// result" property: random region sizes and orders, fed from several
// goroutines, against the naive oracle and against one whole-array region.
func TestDownsamplerMatchesReference(t *testing.T) {
	t.Parallel()
	type row struct {
		name    string
		shape   chunk.Shape
		f       int
		rh, rw  int // region size
		nanFrac float64
		aligned bool // region edges on multiples of f: bit-identical
	}
	tests := []row{
		{"aligned", chunk.Shape{Rows: 97, Cols: 131}, 4, 16, 24, 0.1, true},
		{"aligned ragged regions", chunk.Shape{Rows: 100, Cols: 90}, 5, 35, 10, 0.05, true},
		{"unaligned", chunk.Shape{Rows: 97, Cols: 131}, 4, 13, 17, 0.1, false},
		{"regions smaller than f", chunk.Shape{Rows: 60, Cols: 45}, 7, 3, 5, 0.2, false},
		{"1x1 regions", chunk.Shape{Rows: 20, Cols: 30}, 3, 1, 1, 0.1, false},
		{"f 1", chunk.Shape{Rows: 33, Cols: 17}, 1, 5, 4, 0.3, true},
		{"1x1 input", chunk.Shape{Rows: 1, Cols: 1}, 1, 1, 1, 0, true},
		{"huge factor", chunk.Shape{Rows: 37, Cols: 53}, 1000, 10, 11, 0.1, false},
		{"single row", chunk.Shape{Rows: 1, Cols: 500}, 9, 1, 45, 0.1, true},
		{"all NaN", chunk.Shape{Rows: 16, Cols: 16}, 4, 5, 5, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vals := randomField(tt.shape, 7, tt.nanFrac)
			ref, outShape := refMeans(vals, tt.shape, tt.f)
			whole := downsample(t, vals, tt.shape, tt.f, []chunk.Region{tt.shape.Bounds()}, 1)
			for seed := range uint64(4) {
				got := downsample(t, vals, tt.shape, tt.f, regions(tt.shape, tt.rh, tt.rw, seed), 4)
				if len(got) != outShape.Len() {
					t.Fatalf("%d means, want %d", len(got), outShape.Len())
				}
				for k := range got {
					if math.IsNaN(ref[k]) != math.IsNaN(got[k]) || math.Abs(got[k]-ref[k]) > 1e-12*math.Max(1, math.Abs(ref[k])) {
						t.Fatalf("seed %d: mean %d = %v, oracle %v", seed, k, got[k], ref[k])
					}
					if tt.aligned && math.Float64bits(got[k]) != math.Float64bits(whole[k]) {
						t.Fatalf("seed %d: mean %d = %v, whole-array %v: not bit-identical", seed, k, got[k], whole[k])
					}
				}
			}
		})
	}
}

// downsample feeds the regions rs of vals to a new Downsampler.
func downsample(t *testing.T, vals []float64, s chunk.Shape, f int, rs []chunk.Region, workers int) []float64 {
	t.Helper()
	d, err := quicklook.NewDownsampler(s, f)
	if err != nil {
		t.Fatal(err)
	}
	feed(t, func(_ context.Context, a *chunk.Array) error { return d.Add(a) }, vals, s, rs, chunk.Float64, workers)
	return d.Means()
}

func TestDownsamplerEdgeCases(t *testing.T) {
	t.Parallel()
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name  string
		shape chunk.Shape
		f     int
		vals  []float64
		want  []float64
	}{
		{"constant", chunk.Shape{Rows: 2, Cols: 4}, 2, []float64{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, []float64{0.1, 0.1}},
		{"NaN and Inf ignored", chunk.Shape{Rows: 2, Cols: 2}, 2, []float64{1, nan, inf, 3}, []float64{2}},
		{"all missing block", chunk.Shape{Rows: 2, Cols: 4}, 2, []float64{nan, -inf, 1, 1, nan, nan, 2, 4}, []float64{nan, 2}},
		{"partial edge blocks", chunk.Shape{Rows: 3, Cols: 3}, 2, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}, []float64{3, 4.5, 7.5, 9}},
		{"1x1", chunk.Shape{Rows: 1, Cols: 1}, 1, []float64{-5}, []float64{-5}},
		{"huge factor on 1x1", chunk.Shape{Rows: 1, Cols: 1}, 1 << 16, []float64{42}, []float64{42}},
		{"cancellation is compensated", chunk.Shape{Rows: 1, Cols: 4}, 4, []float64{1e17, 1, -1e17, 1}, []float64{0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := downsample(t, tt.vals, tt.shape, tt.f, regions(tt.shape, 1, 1, 3), 3)
			for k := range tt.want {
				if !(got[k] == tt.want[k] || math.IsNaN(got[k]) && math.IsNaN(tt.want[k])) {
					t.Errorf("mean %d = %v, want %v (all %v)", k, got[k], tt.want[k], got)
				}
			}
		})
	}
}

func TestFloat64RowDTypes(t *testing.T) {
	t.Parallel()
	s := chunk.Shape{Rows: 6, Cols: 9}
	vals := make([]float64, s.Len())
	for i := range vals {
		vals[i] = float64(i * 3 % 200)
	}
	r := chunk.Rect(1, 2, 5, 8)
	for _, dt := range []chunk.DType{chunk.Uint8, chunk.Int16, chunk.Uint16, chunk.Float32, chunk.Float64} {
		t.Run(dt.String(), func(t *testing.T) {
			// A strided view: the region inside a larger array.
			a := toArray(vals, s, s.Bounds(), dt).Sub(r)
			var buf []float64
			for row := r.Row0; row < r.Row1; row++ {
				buf = quicklook.Float64Row(buf, a, row)
				for i, v := range buf {
					if want := vals[row*s.Cols+r.Col0+i]; v != want {
						t.Fatalf("row %d col %d = %v, want %v", row, r.Col0+i, v, want)
					}
				}
			}
		})
	}
	for _, dt := range []chunk.DType{chunk.Int8, chunk.Int32, chunk.Uint32, chunk.Int64, chunk.Uint64} {
		a := chunk.NewArray(dt, chunk.Rect(0, 0, 1, 1))
		a.Data[0] = 100 // the low byte on little- and the high byte on big-endian hosts
		if got := quicklook.Float64Row(nil, a, 0); len(got) != 1 || got[0] == 0 {
			t.Errorf("%v: Float64Row = %v", dt, got)
		}
	}
	mustPanic(t, "row outside", func() { quicklook.Float64Row(nil, chunk.NewArray(chunk.Float32, r), 0) })
}

func ExampleDownsampler() {
	d, _ := quicklook.NewDownsampler(chunk.Shape{Rows: 2, Cols: 5}, 2)
	d.AddRow(1, 0, []float64{3, 4, 5, 6, math.NaN()})
	d.AddRow(0, 0, []float64{1, 2, 3, 4, 5})
	fmt.Println(d.OutShape(), d.Means())
	// Output: 1x3 [2.5 4.5 5]
}
