package kernels

import (
	"math"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
)

// goldenDir holds numpy outputs made by tools/golden/make_kernel_golden.py
// with dask_pipeline.py's kernels on a 300x400 synthetic granule.
var goldenDir = filepath.Join("..", "testdata", "golden")

func loadGolden(t *testing.T, name string) *chunk.Array {
	t.Helper()
	a, err := readNpy(filepath.Join(goldenDir, name))
	if err != nil {
		t.Fatalf("golden file (regenerate with tools/golden/make_kernel_golden.py): %v", err)
	}
	return a
}

// TestGoldenNumpy checks the Go chains against numpy within rtol 1e-5
// with identical NaN positions, on the whole granule and on 64x48 chunks.
func TestGoldenNumpy(t *testing.T) {
	in := loadGolden(t, "input.npy")
	if in.DType != chunk.Int16 || in.Rect.Shape() != (chunk.Shape{Rows: 300, Cols: 400}) {
		t.Fatalf("input is %v %v", in.DType, in.Rect)
	}
	for _, c := range []struct{ chain, file string }{
		{"calibrate", "calibrate.npy"},
		{"calibrate,bt", "calibrate_bt.npy"},
		{"calibrate,blur:5", "blur.npy"},
		{"calibrate,coarsen:4", "coarsen4.npy"},
	} {
		want := loadGolden(t, c.file)
		ch := mustChain(t, c.chain, anchors(t))
		for _, got := range []*chunk.Array{whole(t, ch, in), chunked(t, ch, in, chunk.Shape{Rows: 64, Cols: 48})} {
			if got.Rect != want.Rect {
				t.Fatalf("%s: output %v, numpy %v", c.chain, got.Rect, want.Rect)
			}
			bad, worst := 0, 0.0
			for i := 0; i < want.Rect.Len(); i++ {
				g, w := float64(got.Float32s()[i]), float64At(want, i)
				if math.IsNaN(g) != math.IsNaN(w) || !close64(g, w, 1e-5, 0) {
					if bad < 3 {
						t.Errorf("%s: element %d = %v, numpy %v", c.chain, i, g, w)
					}
					bad++
				}
				if !math.IsNaN(w) && w != 0 {
					worst = math.Max(worst, math.Abs(g-w)/math.Abs(w))
				}
			}
			if bad > 0 {
				t.Errorf("%s: %d mismatches", c.chain, bad)
			}
			t.Logf("%s: max relative difference from numpy %.3g", c.chain, worst)
		}
	}

	// stats: numpy gives [min, max, mean, std, count_valid].
	want := loadGolden(t, "stats.npy")
	ch := mustChain(t, "calibrate,stats", anchors(t))
	p := ch.Reducer().NewPartial()
	if err := ch.Reduce(p, in.Rect, in, in.Rect.Shape(), NoPace, nil); err != nil {
		t.Fatal(err)
	}
	r := p.Result()
	for i, k := range []string{"min", "max", "mean", "std", "count"} {
		w := float64At(want, i)
		if !close64(r.Values[k], w, 1e-5, 0) {
			t.Errorf("stats %s = %v, numpy %v", k, r.Values[k], w)
		}
		t.Logf("stats %s = %v, numpy %v", k, r.Values[k], w)
	}
}
