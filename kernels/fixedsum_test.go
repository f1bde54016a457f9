package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"chunkpipe/chunk"
)

// smallTable returns a 65536-entry table holding vals first, then zeros.
func smallTable(vals ...float32) []float32 {
	tab := make([]float32, 1<<16)
	copy(tab, vals)
	return tab
}

func TestNewFixedTable(t *testing.T) {
	if newFixedTable(smallTable(1, inf32)) != nil {
		t.Error("a table holding +Inf has a fixed-point form")
	}
	if newFixedTable(smallTable(1, 0x1p-140)) != nil {
		t.Error("a table whose values span 2^140 has a fixed-point form")
	}
	if newFixedTable(make([]float32, 300)) != nil {
		t.Error("a 300-entry table has a fixed-point form")
	}
	// ulp exponents: 1.5 -> -23, -0.25 -> -25, 0.75 -> -24, so q = -25.
	ft := newFixedTable(smallTable(1.5, -0.25, nan32, 0.75, float32(math.Copysign(0, -1))))
	if ft == nil {
		t.Fatal("no fixed-point form")
	}
	if ft.q != -25 {
		t.Errorf("q = %d, want -25", ft.q)
	}
	if want := uint64(3) << 24; ft.maxM != want { // 1.5 * 2^25
		t.Errorf("maxM = %d, want %d", ft.maxM, want)
	}
	wantTerms := []int64{(3<<24)<<fixedCountBits | 1, (-1<<23)<<fixedCountBits | 1, 0, (3<<23)<<fixedCountBits | 1, 1, 1}
	for i, w := range wantTerms {
		if ft.terms[i] != w {
			t.Errorf("terms[%d] = %#x, want %#x", i, ft.terms[i], w)
		}
	}
	for _, c := range []struct {
		v    float32
		fits bool
	}{{nan32, true}, {0.5, true}, {-1.5, true}, {2.5, false}, {0x1p-26, false}, {inf32, false}} {
		if _, ok := ft.term(c.v); ok != c.fits {
			t.Errorf("term(%v) fits = %v, want %v", c.v, ok, c.fits)
		}
	}
	// 25 * 3*2^24 < 2^53, but not 2^29 * 3*2^24.
	if !ft.exactFor(30, 25) || ft.exactFor(1<<29, 25) || ft.exactFor(30, maxFixedTerms+1) {
		t.Error("exactFor gives the wrong bound")
	}
}

// TestFixedMeansSameBitsAsDivision checks the reciprocal shortcut against
// float32(M*2^q / c) on random sums and on exact float32 ties, where one
// float64 ulp of error would flip the rounding.
func TestFixedMeansSameBitsAsDivision(t *testing.T) {
	ft := newFixedTable(smallTable(1.5, -0.25, nan32, 0.75))
	rng := rand.New(rand.NewPCG(11, 12))
	var sums []int64
	add := func(m int64, c int) { sums = append(sums, m<<fixedCountBits|int64(c)) }
	for range 200000 {
		c := 1 + rng.IntN(maxFixedTerms)
		if rng.IntN(2) == 0 {
			c = []int{9, 16, 24, 25, 49}[rng.IntN(5)]
		}
		add(rng.Int64N(1<<53)-1<<52, c)
	}
	for c := 1; c <= maxFixedTerms; c++ {
		add(0, c)
		for range 8 {
			// mid is an odd integer in [2^24, 2^25): a float32 midpoint.
			mid := int64(1<<24 + 2*rng.IntN(1<<23) + 1)
			for _, shift := range []int{0, 3, 17} {
				m := int64(c) * mid << shift
				if m >= 1<<52 {
					continue
				}
				add(m, c)
				add(-m, c)
				add(m+1, c)
				add(m-1, c)
			}
		}
	}
	add(0, 0)
	out := make([]float32, len(sums))
	ft.means(out, sums)
	for i, s := range sums {
		c := s & maxFixedTerms
		want := float32(math.NaN())
		if c != 0 {
			want = float32(math.Ldexp(float64(s>>fixedCountBits), ft.q) / float64(c))
		}
		if math.Float32bits(out[i]) != math.Float32bits(want) {
			t.Fatalf("mean of M=%d c=%d: %v (%#08x), want %v (%#08x)", s>>fixedCountBits, c, out[i], math.Float32bits(out[i]), want, math.Float32bits(want))
		}
	}
}

// rawCounts returns an int16 array over r of counts in [lo, hi] with
// about 5 % fill (-1).
func rawCounts(t *testing.T, rng *rand.Rand, r chunk.Region, lo, hi int) *chunk.Array {
	return i16Array(t, r, randCounts(rng, r.Len(), lo, hi))
}

// TestBlurAndCoarsenFromCountsSameBits checks that blur and coarsen
// computed from raw counts through the fixed-point table give the bits of
// calibrating first and running the float kernels, for every boundary
// mode, chunked and whole, and that the fixed path is the one taken.
func TestBlurAndCoarsenFromCountsSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	src := rawCounts(t, rng, chunk.Rect(0, 0, 53, 67), 0, 4094)
	src.Data[2], src.Data[3] = 0xff, 0x7f // 32767: the far end of the table
	shape := src.Rect.Shape()
	rad := whole(t, mustChain(t, "calibrate", nil), src)
	var specs []string
	for _, n := range []int{1, 3, 5, 7} {
		for _, b := range []string{"", ":nearest", ":none", ":constant:2.5", ":constant:1e-30"} {
			specs = append(specs, fmt.Sprintf("blur:%d%s", n, b))
		}
	}
	specs = append(specs, "coarsen:2", "coarsen:3", "coarsen:4", "coarsen:5", "blur:3,coarsen:2", "coarsen:2,blur:3")
	for _, spec := range specs {
		t.Run(spec, func(t *testing.T) {
			want := whole(t, mustChain(t, spec, nil), rad)
			c := mustChain(t, "calibrate,"+spec, nil)
			sameBits(t, "whole", whole(t, c, src), want)
			sameBits(t, "chunked 7x9", chunked(t, c, src, chunk.Shape{Rows: 7, Cols: 9}), want)
			sameBits(t, "chunked 20x67", chunked(t, c, src, chunk.Shape{Rows: 20, Cols: 67}), want)

			// The fixed path itself, on a corner chunk and an inner one.
			ft := c.fixedTable(chunk.Int16, c.kernels[0].(*Calibrate).lut(chunk.Int16))
			if ft == nil {
				t.Fatal("the default calibration has no fixed-point table")
			}
			k := c.kernels[1]
			f := k.Factor()
			for _, o := range []chunk.Region{chunk.Rect(0, 0, 5, 6), chunk.Rect(4, 5, 9, 11)} {
				dst := chunk.NewArray(chunk.Float32, o)
				in := src.Sub(o.Scale(f).Grow(k.Halo()).Intersect(shape.Bounds()))
				var ok bool
				var err error
				switch k := k.(type) {
				case *Blur:
					ok, err = k.applyFixed(dst, in, ft, shape.Bounds(), NoPace, NewScratch())
				case *Coarsen:
					ok, err = k.applyFixed(dst, in, ft, NoPace, NewScratch())
				}
				if err != nil {
					t.Fatal(err)
				}
				if wantOK := spec[len(spec)-5:] != "1e-30"; ok != wantOK {
					t.Fatalf("applyFixed ok = %v, want %v", ok, wantOK)
				}
				if !ok {
					continue
				}
				ref := whole(t, mustChain(t, k.Name(), nil), rad)
				sameBits(t, fmt.Sprintf("fixed path over %v", o), dst, ref.Sub(o))
			}
		})
	}
}

// On arrays narrower than the halo, blur from counts reflects (or repeats,
// or fills) exactly as the float path's Extend does.
func TestBlurFromCountsTinyArrays(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for _, sh := range []chunk.Shape{{Rows: 1, Cols: 1}, {Rows: 2, Cols: 3}, {Rows: 3, Cols: 2}, {Rows: 1, Cols: 9}} {
		src := rawCounts(t, rng, sh.Bounds(), 0, 4094)
		rad := whole(t, mustChain(t, "calibrate", nil), src)
		for _, spec := range []string{"blur:7", "blur:9:nearest", "blur:5:none", "blur:7:constant:2.5"} {
			want := whole(t, mustChain(t, spec, nil), rad)
			c := mustChain(t, "calibrate,"+spec, nil)
			sameBits(t, fmt.Sprintf("%s on %v", spec, sh), whole(t, c, src), want)
			sameBits(t, fmt.Sprintf("%s on %v, 1x1 chunks", spec, sh), chunked(t, c, src, chunk.Shape{Rows: 1, Cols: 1}), want)
		}
	}
}
