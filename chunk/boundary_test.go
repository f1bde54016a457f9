package chunk

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestBoundaryMap(t *testing.T) {
	refl := Boundary{Kind: Reflect}
	// numpy.pad(mode='symmetric') on [0 1 2]: ... 1 0 | 0 1 2 | 2 1 0 0 1 ...
	want := map[int]int{-1: 0, -2: 1, -3: 2, -4: 2, -5: 1, -6: 0, -7: 0, 3: 2, 4: 1, 5: 0, 6: 0, 7: 1}
	for i, w := range want {
		if j, ok := refl.Map(i, 3); !ok || j != w {
			t.Errorf("reflect Map(%d, 3) = %d, want %d", i, j, w)
		}
	}
	if j, _ := refl.Map(-4, 1); j != 0 {
		t.Errorf("reflect on a 1-element axis gave %d", j)
	}
	near := Boundary{Kind: Nearest}
	if j, _ := near.Map(-9, 4); j != 0 {
		t.Error("nearest low")
	}
	if j, _ := near.Map(99, 4); j != 3 {
		t.Error("nearest high")
	}
	if _, ok := (Boundary{Kind: Constant, Value: 5}).Map(-1, 4); ok {
		t.Error("constant maps outside index into the array")
	}
	for _, s := range []string{"reflect", "nearest", "constant:2.5", "none"} {
		b, err := ParseBoundary(s)
		if err != nil || b.String() != s {
			t.Errorf("ParseBoundary(%q) = %v, %v", s, b, err)
		}
	}
	if _, err := ParseBoundary("wrap"); err == nil {
		t.Error("unknown boundary accepted")
	}
	if _, err := ParseBoundary("constant:x"); err == nil {
		t.Error("bad constant accepted")
	}
}

// Extend equals padding the whole array and cutting out the halo region,
// also when the halo is wider than the chunk or the array itself.
func TestExtendMatchesWholePadding(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	modes := []Boundary{{Kind: Reflect}, {Kind: Nearest}, {Kind: Constant, Value: -7}, {Kind: None}}
	for n := 0; n < 300; n++ {
		shape := Shape{1 + rng.IntN(12), 1 + rng.IntN(12)}
		bounds := shape.Bounds()
		whole := NewArray(Float32, bounds)
		for i := range whole.Float32s() {
			whole.Float32s()[i] = float32(i)
		}
		b := modes[rng.IntN(len(modes))]
		h := rng.IntN(15)
		r0, c0 := rng.IntN(shape.Rows), rng.IntN(shape.Cols)
		out := Rect(r0, c0, r0+1+rng.IntN(shape.Rows-r0), c0+1+rng.IntN(shape.Cols-c0))
		halo := out.Grow(h)
		src := NewArray(Float32, halo.Intersect(bounds))
		src.CopyFrom(whole)
		dst := NewArray(Float32, halo)
		if err := b.Extend(dst, src, bounds); err != nil {
			t.Fatalf("%v h=%d %v: %v", shape, h, out, err)
		}
		for r := halo.Row0; r < halo.Row1; r++ {
			for c := halo.Col0; c < halo.Col1; c++ {
				i, okr := b.Map(r, shape.Rows)
				j, okc := b.Map(c, shape.Cols)
				want := b.Fill()
				if okr && okc {
					want = float32(i*shape.Cols + j)
				}
				got := dst.Float32s()[dst.Offset(r, c)]
				if got != want && !(math.IsNaN(float64(got)) && math.IsNaN(float64(want))) {
					t.Fatalf("%v %v h=%d at (%d,%d): got %v want %v", shape, b, h, r, c, got, want)
				}
			}
		}
	}
}
