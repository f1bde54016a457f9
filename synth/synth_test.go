package synth

import (
	"context"
	"testing"

	"chunkpipe/chunk"
)

// A region generated on its own equals the same part of the whole granule,
// and the value statistics follow the anchors' recipe.
func TestRegionsAgreeWithWhole(t *testing.T) {
	g := New(chunk.Shape{Rows: 300, Cols: 400}, 7)
	whole := chunk.NewArray(chunk.Int16, g.Shape.Bounds())
	if err := g.ReadRegion(context.Background(), whole.Rect, whole); err != nil {
		t.Fatal(err)
	}
	for _, r := range []chunk.Region{chunk.Rect(0, 0, 1, 1), chunk.Rect(17, 33, 120, 299), chunk.Rect(250, 350, 300, 400)} {
		part := chunk.NewArray(chunk.Int16, r)
		if err := g.ReadRegion(context.Background(), r, part); err != nil {
			t.Fatal(err)
		}
		p, w := chunk.Elems[int16](part), chunk.Elems[int16](whole)
		for i := r.Row0; i < r.Row1; i++ {
			for j := r.Col0; j < r.Col1; j++ {
				if p[part.Offset(i, j)] != w[whole.Offset(i, j)] {
					t.Fatalf("region %v differs at (%d,%d)", r, i, j)
				}
			}
		}
	}
	var fill, lo, hi = 0, 1 << 15, -1
	for _, v := range chunk.Elems[int16](whole) {
		if v == Fill {
			fill++
			continue
		}
		lo, hi = min(lo, int(v)), max(hi, int(v))
	}
	frac := float64(fill) / float64(g.Shape.Len())
	if frac < 0.015 || frac > 0.025 {
		t.Errorf("fill fraction %.4f, want about 0.02", frac)
	}
	if lo < 700 || hi > 3200 {
		t.Errorf("valid counts span %d..%d, want about 835..3080", lo, hi)
	}
}
