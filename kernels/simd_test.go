//go:build goexperiment.simd && amd64

package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"chunkpipe/chunk"
)

// btFastRef is bt's portable loop with btLoop's fast logarithm in place
// of log32: the reference the vector bt must match bit for bit (the other
// steps are single float32 operations, the same on both paths).
func btFastRef(t *testing.T, k *BT, in []float32) []float32 {
	t.Helper()
	out := make([]float32, len(in))
	for i, rad := range in {
		x := float32(k.fk1 / rad)
		x = float32(x + 1)
		var lg [1]float32
		logFastVec(lg[:], []float32{x})
		y := float32(k.fk2 / lg[0])
		y = float32(y - k.bc1)
		out[i] = float32(y / k.bc2)
	}
	return out
}

// needSIMD skips, saying why, on a CPU without the vector paths (the
// comparisons below would compare the portable path with itself).
func needSIMD(t *testing.T) {
	t.Helper()
	if !simdCPU {
		t.Skipf("CPU without AVX-512: the vector paths do not run here (path %q)", simdName())
	}
	if simdName() != "avx512" || !simdActive() {
		t.Fatalf("vector paths off on an AVX-512 CPU (simdName %q)", simdName())
	}
}

// portable runs f with the vector paths switched off. The tests of this
// file do not run in parallel, and other tests are unaffected: both paths
// give the same bits.
func portable(f func()) {
	simdOn.Store(false)
	defer simdOn.Store(true)
	f()
}

// simdParams has a fill value and a valid range that the test data hits.
func simdParams() Params {
	p := withPlanck(nil)
	p.SetFloat("_FillValue", 42.5, SourceFile)
	p.SetFloats("missing_value", []float64{-7, 1e30}, SourceFile)
	p.SetFloats("valid_range", []float64{-50, 1e38}, SourceFile)
	return p
}

// simdInput returns float32 values over r: wild ones (NaN, ±Inf, ±0,
// subnormals, huge) or moderate ones, some of them the fill value.
func simdInput(t *testing.T, rng *rand.Rand, r chunk.Region, wild bool) *chunk.Array {
	v := randFloat32s(rng, r.Len(), wild)
	for i := range v {
		switch rng.IntN(30) {
		case 0:
			v[i] = 42.5 // simdParams' _FillValue
		case 1:
			v[i] = AnchorsFillValue
		}
	}
	return f32Array(t, r, v...)
}

// TestSIMDKernelsMatchPortable runs each float32 kernel with and without
// the vector paths over blocks of every width up to a few vectors and at
// every column offset modulo the vector width (so rows start unaligned
// and end in tails of every length), and compares the bits.
func TestSIMDKernelsMatchPortable(t *testing.T) {
	needSIMD(t)
	rng := rand.New(rand.NewPCG(15, 1))
	specs := []string{"calibrate", "calibrate/defaults", "bt", "blur:3", "blur:5:nearest", "coarsen:2", "coarsen:4", "coarsen:3"}
	for _, spec := range specs {
		p := simdParams()
		if s, ok := strings.CutSuffix(spec, "/defaults"); ok {
			spec, p = s, nil // one fill value (-1), no valid range
		}
		k, err := ParseKernel(spec, p)
		if err != nil {
			t.Fatal(err)
		}
		f, h := k.Factor(), k.Halo()
		for _, wild := range []bool{false, true} {
			for _, cols := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 33, 64, 77, 200} {
				for c0 := 0; c0 < 8; c0++ {
					out := chunk.Rect(2, c0, 5, c0+cols)
					src := simdInput(t, rng, out.Scale(f).Grow(h+3), wild)
					got := chunk.NewArray(chunk.Float32, out)
					want := chunk.NewArray(chunk.Float32, out)
					if err := k.Apply(got, src, NoPace); err != nil {
						t.Fatal(err)
					}
					if bt, ok := k.(*BT); ok {
						// bt's vector loop has its own logarithm (see btLoop).
						for r := out.Row0; r < out.Row1; r++ {
							copy(want.Float32s()[(r-out.Row0)*cols:], btFastRef(t, bt, src.Float32s()[(r-src.Rect.Row0)*src.Rect.Cols()+c0-src.Rect.Col0:][:cols]))
						}
					} else {
						portable(func() { err = k.Apply(want, src, NoPace) })
					}
					if err != nil {
						t.Fatal(err)
					}
					if !sameBits(t, fmt.Sprintf("%s wild=%v over %v", spec, wild, out), got, want) {
						return
					}
				}
			}
		}
	}
}

// TestSIMDBlurFixedPath makes sure both blur paths were compared: values
// 1e30 apart force the fixed-order path, moderate ones the running sums.
func TestSIMDBlurFixedPath(t *testing.T) {
	needSIMD(t)
	k, err := NewBlur(5, chunk.Boundary{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(15, 2))
	for _, wide := range []bool{false, true} {
		out := chunk.Rect(0, 3, 6, 50)
		src := simdInput(t, rng, out.Grow(2), false)
		if wide {
			src.Float32s()[5] = 1e30
		}
		if k.exact(src.Float32s(), src, src.Rect) == wide {
			t.Fatalf("wide=%v: exact() = %v", wide, !wide)
		}
		got, want := chunk.NewArray(chunk.Float32, out), chunk.NewArray(chunk.Float32, out)
		if err := k.Apply(got, src, NoPace); err != nil {
			t.Fatal(err)
		}
		portable(func() { err = k.Apply(want, src, NoPace) })
		if err != nil {
			t.Fatal(err)
		}
		sameBits(t, fmt.Sprintf("blur:5 wide=%v", wide), got, want)
	}
}

// TestSIMDChunkingBitIdentical is the chunking property on float32 input
// for the chains whose kernels have vector paths: every tiling gives the
// bits of one whole-array Apply, and that is the portable path's result
// for the chains without bt (whose vector loop has its own logarithm).
func TestSIMDChunkingBitIdentical(t *testing.T) {
	needSIMD(t)
	rng := rand.New(rand.NewPCG(15, 3))
	chains := []string{"calibrate,bt", "bt,coarsen:2", "calibrate,coarsen:4,blur:5", "blur:3,coarsen:2", "bt,blur:7:reflect"}
	for _, text := range chains {
		c := mustChain(t, text, simdParams())
		for _, wild := range []bool{false, true} {
			sh := chunk.Shape{Rows: 40 + rng.IntN(40), Cols: 60 + rng.IntN(90)}
			in := simdInput(t, rng, sh.Bounds(), wild)
			want := whole(t, c, in)
			if !strings.Contains(text, "bt") {
				// bt's vector loop has its own logarithm (within
				// logFastMaxULP of log32's; TestSIMDKernelsMatchPortable
				// checks the rest of it bit for bit).
				var ref *chunk.Array
				portable(func() { ref = whole(t, c, in) })
				if !sameBits(t, fmt.Sprintf("%s wild=%v: vector vs portable", text, wild), want, ref) {
					continue
				}
			}
			for k := 0; k < 3; k++ {
				ch := chunk.Shape{Rows: 1 + rng.IntN(sh.Rows), Cols: 1 + rng.IntN(sh.Cols)}
				got := chunked(t, c, in, ch)
				if !sameBits(t, fmt.Sprintf("%s wild=%v on %v, chunks %v", text, wild, sh, ch), got, want) {
					break
				}
			}
		}
	}
}

// TestSIMDHooksRun checks that each vector hook takes the vector-width
// prefix of a 21-element row (so the comparisons above did compare the
// two paths), and none of it when switched off.
func TestSIMDHooksRun(t *testing.T) {
	needSIMD(t)
	in := make([]float32, 4*4*21) // 4 rows of 4*21 values, for coarsen:4
	out := make([]float32, 21)
	sum, cnt := make([]float64, 21+4), make([]int32, 21+4)
	hooks := map[string]func() int{
		"calibrateF32Vec": func() int { d := newCalDomain32(nil, -1, 1); return calibrateF32Vec(out, in[:21], 1, 0, &d) },
		"btVec":           func() int { return btVec(out, in[:21], 1, 1, 0, 1) },
		"logFastVec":      func() int { return logFastVec(out, in[:21]) },
		"addRowVec":       func() int { return addRowVec(sum[:21], cnt[:21], in[:21], 1, 1) },
		"windowMeansVec":  func() int { return windowMeansVec(out, sum, cnt, 5) },
		"blockMeansVec2":  func() int { return blockMeansVec(out, in, 2*21, 2) },
		"blockMeansVec4":  func() int { return blockMeansVec(out, in, 4*21, 4) },
	}
	for name, h := range hooks {
		want := 16
		if name == "btVec" || name == "logFastVec" {
			want = 21 // bt's loop takes the tail too (see btVec)
		}
		if n := h(); n != want {
			t.Errorf("%s handled %d elements, want %d", name, n, want)
		}
		var n int
		portable(func() { n = h() })
		if n != 0 {
			t.Errorf("%s handled %d elements with the vector paths off", name, n)
		}
	}
}

// TestSIMDStatsMatchPortable folds random blocks into stats partials with
// and without the vector path and compares them exactly (counts, min and
// max bits, the integers S and Q) and their Results bit for bit, on data
// the vector path takes (moderate values, one sign or both, with NaN,
// ±Inf, ±0, exponents at the edges of the window) and data it must hand
// back (wild exponents, subnormals, huge values), at lengths around the
// vector width and the batch size.
func TestSIMDStatsMatchPortable(t *testing.T) {
	needSIMD(t)
	rng := rand.New(rand.NewPCG(15, 4))
	negZero := float32(math.Copysign(0, -1))
	gens := map[string]func() float32{
		"moderate": func() float32 { return float32(rng.NormFloat64()*30 + 80) },
		"signed":   func() float32 { return float32(rng.NormFloat64() * 500) },
		"with-nan-inf-zero": func() float32 {
			switch rng.IntN(20) {
			case 0:
				return nan32
			case 1:
				return inf32
			case 2:
				return -inf32
			case 3:
				return negZero
			case 4:
				return 0
			}
			return float32(rng.Float64() * 300)
		},
		// One infinity now and then: most batches have none.
		"rare-inf": func() float32 {
			switch rng.IntN(3000) {
			case 0:
				return inf32
			case 1:
				return -inf32
			}
			return float32(rng.NormFloat64() * 40)
		},
		"inf-only":     func() float32 { return []float32{inf32, -inf32}[rng.IntN(2)] },
		"pos-inf-nan":  func() float32 { return []float32{inf32, nan32}[rng.IntN(2)] },
		"signed-zeros": func() float32 { return []float32{0, negZero}[rng.IntN(2)] },
		"neg-zero-nan": func() float32 { return []float32{negZero, nan32, negZero}[rng.IntN(3)] },
		"zeros":        func() float32 { return 0 },
		"neg-zero-neg": func() float32 { return []float32{negZero, -3.5, -0.25}[rng.IntN(3)] },
		"pos-and-zero": func() float32 { return []float32{0, 7, negZero, 1e-3}[rng.IntN(4)] },
		// Exponents exactly 10 binades apart (the window's edge), then 11.
		"span-10": func() float32 { return float32(1+rng.Float64()) * []float32{1, 1024}[rng.IntN(2)] },
		"span-11": func() float32 { return float32(1+rng.Float64()) * []float32{1, 2048}[rng.IntN(2)] },
		// Full 24-bit significands at the top of the window (largest terms).
		"full-bits": func() float32 {
			m := float32(1<<23 + rng.IntN(1<<23))
			return m * []float32{0x1p-23, -0x1p-13}[rng.IntN(2)]
		},
		// Terms near the window's bound (h and l of 12 full bits at the
		// top) with odd units at its bottom: lane sums near 2^51 units,
		// where batches four times longer round.
		"top-heavy": func() float32 {
			if rng.IntN(8) == 0 {
				return float32(1 + float64(2*rng.IntN(1<<21)+1)*0x1p-23)
			}
			return -float32(0xffffff-rng.IntN(256)) * 0x1p-13
		},
		"tiny-normal": func() float32 { return float32(1+rng.Float64()) * 0x1p-126 },
		"subnormal":   func() float32 { return float32(rng.NormFloat64() * 1e-42) },
		"rare-subnormal": func() float32 {
			if rng.IntN(3000) == 0 {
				return 1e-44
			}
			return float32(rng.NormFloat64() * 1e-37)
		},
		"wild":     func() float32 { return randFloat32s(rng, 1, true)[0] },
		"huge":     func() float32 { return float32((1 + rng.Float64()) * 1e37) },
		"max-ew":   func() float32 { return float32(1+rng.Float64()) * []float32{0x1p80, 0x1p90}[rng.IntN(2)] },
		"nan-only": func() float32 { return nan32 },
	}
	for name, gen := range gens {
		for _, cols := range []int{1, 63, 64, 65, 300, 2048, 2048 + 17, 4096, 4096 + 16, 5000, 2*4096 + 33, 40000} {
			r := chunk.Rect(0, rng.IntN(8), 3, 0)
			r.Col1 = r.Col0 + cols
			v := make([]float32, r.Len())
			for i := range v {
				v[i] = gen()
			}
			src := f32Array(t, r, v...)
			got, want := Stats{}.NewPartial(), Stats{}.NewPartial()
			got.Add(src, NoPace)
			portable(func() { want.Add(src, NoPace) })
			what := fmt.Sprintf("stats %s cols=%d", name, cols)
			sameStatsPartial(t, what, got.(*statsPartial), want.(*statsPartial))
			if !sameResult(t, what, got.Result(), want.Result()) {
				continue
			}
			// Merged partials from both paths agree as well.
			got.Merge(want)
			want.Merge(want)
			sameResult(t, what+" merged", got.Result(), want.Result())
		}
	}
}

// sameStatsPartial reports whether two stats partials hold the same
// counts, extremes (bits) and exact sums S and Q, whatever buckets the
// sums are spread over.
func sameStatsPartial(t *testing.T, what string, got, want *statsPartial) bool {
	t.Helper()
	gs, gq := got.exactSums()
	ws, wq := want.exactSums()
	ok := got.finite == want.finite && got.nan == want.nan && got.posInf == want.posInf && got.negInf == want.negInf &&
		math.Float32bits(got.min) == math.Float32bits(want.min) && math.Float32bits(got.max) == math.Float32bits(want.max) &&
		gs.Cmp(ws) == 0 && gq.Cmp(wq) == 0
	if !ok {
		t.Errorf("%s: finite %d nan %d +inf %d -inf %d min %v max %v S %v Q %v, want %d %d %d %d %v %v %v %v", what,
			got.finite, got.nan, got.posInf, got.negInf, got.min, got.max, gs, gq,
			want.finite, want.nan, want.posInf, want.negInf, want.min, want.max, ws, wq)
	}
	return ok
}

// TestSIMDStatsWindow checks which batches the vector path takes, and
// that what it takes matches the scalar path exactly.
func TestSIMDStatsWindow(t *testing.T) {
	needSIMD(t)
	batch := func(vals ...float32) []float32 {
		b := make([]float32, 64)
		for i := range b {
			b[i] = vals[i%len(vals)]
		}
		return b
	}
	negZero := float32(math.Copysign(0, -1))
	cases := []struct {
		name string
		b    []float32
		want bool
	}{
		{"radiances", batch(0.5, 3, 150, nan32), true},
		{"span 10", batch(1, 1024.5), true},
		{"span 11", batch(1, 2048.5), false},
		{"span 10 negative", batch(-1, 2047.5, nan32), true},
		{"span 11 negative", batch(-1, -2048.5, nan32), false},
		{"span 11 by the smallest", batch(1024, 0.999), false},
		{"zeros and inf", batch(0, inf32, -inf32, nan32), true},
		{"inf and radiances", batch(3, inf32, 150, nan32, -inf32), true},
		{"inf beside a wide span", batch(1, inf32, 2048.5), false},
		{"inf only", batch(inf32), true},
		{"-inf only", batch(-inf32), true},
		{"nan only", batch(nan32), true},
		{"+0 only", batch(0), true},
		{"-0 only", batch(negZero), true},
		{"-0 and +0", batch(negZero, 0), true},
		{"zeros beside a value", batch(0, 5, negZero), true},
		{"smallest normal", batch(0x1p-126, 0x1.fffffep-126), true},
		{"subnormals", batch(1e-44, 1e-40, 1e-39), false},
		{"one subnormal", batch(0x1p-126, 0x1p-126, 0x1p-126, 1e-44), false},
		{"2^90", batch(0x1p90, 0x1.fffffep90), true},
		{"2^91", batch(0x1p90, 0x1p91), false},
		{"largest finite", batch(math.MaxFloat32), false},
	}
	for _, c := range cases {
		p := newStatsPartial()
		got := p.addBatchVec(c.b)
		if got != c.want {
			t.Errorf("%s: addBatchVec = %v, want %v", c.name, got, c.want)
		}
		if !got {
			if p.finite != 0 || p.nan != 0 || p.posInf != 0 || p.negInf != 0 {
				t.Errorf("%s: a refused batch changed the partial", c.name)
			}
			continue
		}
		want := newStatsPartial()
		want.addScalar(c.b)
		sameStatsPartial(t, c.name, p, want)
	}
}
