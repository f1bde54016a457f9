package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"chunkpipe/chunk"
)

var nan32 = float32(math.NaN())
var inf32 = float32(math.Inf(1))

// f32Array returns a Float32 array over r holding vals row-major.
func f32Array(t testing.TB, r chunk.Region, vals ...float32) *chunk.Array {
	t.Helper()
	a := chunk.NewArray(chunk.Float32, r)
	if len(vals) > 0 {
		if len(vals) != r.Len() {
			t.Fatalf("f32Array: %d values for %v", len(vals), r)
		}
		copy(a.Float32s(), vals)
	}
	return a
}

// i16Array returns an Int16 array over r holding vals row-major.
func i16Array(t testing.TB, r chunk.Region, vals []int16) *chunk.Array {
	t.Helper()
	a := chunk.NewArray(chunk.Int16, r)
	copy(chunk.Elems[int16](a), vals)
	return a
}

// at returns element (r, c) of a Float32 array as float64.
func at(a *chunk.Array, r, c int) float64 {
	return float64(a.Float32s()[a.Offset(r, c)])
}

// randFloat32s returns n values of a given mix: mostly moderate values,
// with NaN, ±Inf, ±0, huge and tiny (subnormal) magnitudes when wild.
func randFloat32s(rng *rand.Rand, n int, wild bool) []float32 {
	v := make([]float32, n)
	for i := range v {
		x := float32(rng.NormFloat64()*30 + 80)
		if wild {
			switch k := rng.IntN(40); {
			case k == 0:
				x = nan32
			case k == 1:
				x = inf32
			case k == 2:
				x = -inf32
			case k == 3:
				x = float32(math.Copysign(0, -1))
			case k == 4:
				x = float32(rng.NormFloat64() * 1e30)
			case k == 5:
				x = float32(rng.NormFloat64() * 1e-40) // subnormal
			case k < 9:
				x = nan32
			}
		}
		v[i] = x
	}
	return v
}

// randCounts returns n int16 counts in [lo, hi] with about 5 % fill (-1).
func randCounts(rng *rand.Rand, n int, lo, hi int) []int16 {
	v := make([]int16, n)
	for i := range v {
		if rng.IntN(20) == 0 {
			v[i] = -1
		} else {
			v[i] = int16(lo + rng.IntN(hi-lo+1))
		}
	}
	return v
}

// sameBits reports the first position where two Float32 arrays over the
// same region differ in their bits.
func sameBits(t testing.TB, what string, got, want *chunk.Array) bool {
	t.Helper()
	if got.Rect != want.Rect {
		t.Errorf("%s: region %v, want %v", what, got.Rect, want.Rect)
		return false
	}
	for r := got.Rect.Row0; r < got.Rect.Row1; r++ {
		for c := got.Rect.Col0; c < got.Rect.Col1; c++ {
			g := got.Float32s()[got.Offset(r, c)]
			w := want.Float32s()[want.Offset(r, c)]
			if math.Float32bits(g) != math.Float32bits(w) {
				t.Errorf("%s: (%d,%d) = %v (%#08x), want %v (%#08x)", what, r, c, g, math.Float32bits(g), w, math.Float32bits(w))
				return false
			}
		}
	}
	return true
}

// close64 reports whether got is within rtol*|want| + atol of want, with
// NaN matching only NaN and infinities matching exactly.
func close64(got, want, rtol, atol float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	return math.Abs(got-want) <= rtol*math.Abs(want)+atol
}

// whole runs chain c over the whole input in one Apply.
func whole(t testing.TB, c *Chain, in *chunk.Array) *chunk.Array {
	t.Helper()
	shape := in.Rect.Shape()
	out := chunk.NewArray(c.OutDType(in.DType), c.OutputShape(shape).Bounds())
	if err := c.Apply(out, in, shape, NoPace, NewScratch()); err != nil {
		t.Fatalf("%v: whole Apply: %v", c, err)
	}
	return out
}

// anchors returns the "anchors" preset: the synthetic granule's constants
// that the golden files and the reference formulas were made with.
func anchors(t testing.TB) Params {
	t.Helper()
	p, err := Preset("anchors")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// withPlanck returns a copy of p (nil for none) plus the anchors' Planck
// constants, which bt needs: tests of chains with bt that care about
// other parameters (or none) start from it.
func withPlanck(p Params) Params {
	q := Params{}
	for name, v := range p {
		q[name] = v
	}
	q.SetFloat("planck_fk1", AnchorsPlanckFK1, SourcePreset)
	q.SetFloat("planck_fk2", AnchorsPlanckFK2, SourcePreset)
	q.SetFloat("planck_bc1", AnchorsPlanckBC1, SourcePreset)
	q.SetFloat("planck_bc2", AnchorsPlanckBC2, SourcePreset)
	return q
}

func mustChain(t testing.TB, text string, p Params) *Chain {
	t.Helper()
	c, err := ParseChain(text, p)
	if err != nil {
		t.Fatalf("ParseChain(%q): %v", text, err)
	}
	return c
}

// countingPacer counts Pace calls.
type countingPacer struct{ n int }

func (c *countingPacer) Pace() { c.n++ }
