//go:build goexperiment.simd && amd64

package kernels

import (
	"math"
	"os"
	"testing"
)

// logFastMaxULP is the documented bound of btLoop's fast logarithm
// against math.Log, in float32 ulps of the true value (see btLoop).
const logFastMaxULP = 2.0

// logFastErr runs logFastVec over in and returns the largest error in
// ulps and its input, failing on any special value that differs from
// log32's (NaN, ±Inf) or on a finite result where log32 gives none.
func logFastErr(t *testing.T, in []float32) (worst float64, worstX float32) {
	t.Helper()
	got := make([]float32, len(in))
	if n := logFastVec(got, in); n != len(in) {
		t.Fatalf("logFastVec handled %d of %d", n, len(in))
	}
	for i, x := range in {
		ref := math.Log(float64(x))
		g := float64(got[i])
		if math.IsNaN(ref) || math.IsInf(ref, 0) || math.IsNaN(g) || math.IsInf(g, 0) {
			if w := log32(x); math.Float32bits(got[i]) != math.Float32bits(w) && !(g != g && w != w) {
				t.Fatalf("logFast(%v = %#08x) = %v, log32 gives %v", x, math.Float32bits(x), got[i], w)
			}
			continue
		}
		_, e := math.Frexp(math.Abs(ref))
		u := math.Abs(g-ref) / math.Ldexp(1, max(e-24, -149))
		if u > worst {
			worst, worstX = u, x
		}
	}
	return worst, worstX
}

// TestLogFastBound checks the fast logarithm against math.Log: every
// float32 in [1, 2^20] (every 7th one with -short), every 4093rd bit
// pattern of all 2^32 (special values and subnormals included), the
// special values themselves, and with CHUNKPIPE_LOG32_EXHAUSTIVE=1 every
// float32.
func TestLogFastBound(t *testing.T) {
	needSIMD(t)
	var worst float64
	var worstX float32
	check := func(in []float32) {
		if w, x := logFastErr(t, in); w > worst {
			worst, worstX = w, x
		}
	}
	var buf []float32
	sweep := func(lo, hi, step uint64) {
		for b := lo; b < hi; b += step {
			buf = append(buf, math.Float32frombits(uint32(b)))
			if len(buf) == 1<<20 {
				check(buf)
				buf = buf[:0]
			}
		}
	}
	step := uint64(1)
	if testing.Short() {
		step = 7
	}
	if os.Getenv("CHUNKPIPE_LOG32_EXHAUSTIVE") == "1" {
		sweep(0, 1<<32, 1)
	} else {
		sweep(uint64(math.Float32bits(1)), uint64(math.Float32bits(0x1p20))+1, step)
		sweep(0, 1<<32, 4093)
	}
	buf = append(buf, 0, float32(math.Copysign(0, -1)), inf32, -inf32, nan32, 1, 0x1p-149, 0x1p-126, math.MaxFloat32,
		math.Float32frombits(0x7f800001), math.Float32frombits(0xffc00000), 1-0x1p-24, 1+0x1p-23, -1)
	check(buf)
	t.Logf("max error %.4f ulp at x=%v (%#08x)", worst, worstX, math.Float32bits(worstX))
	if worst > logFastMaxULP {
		t.Errorf("max error %.4f ulp at x=%v exceeds %v", worst, worstX, logFastMaxULP)
	}
}

// btFastMaxULP bounds, in float32 ulps of the result, how far the vector
// bt (fast logarithm) lands from the portable one (log32) on brightness
// temperatures of real bands (TestBTFastKelvin).
const btFastMaxULP = 4

// TestBTFastKelvin runs bt with both loops on the radiance of every
// positive uint16 count, with the anchors' constants and those of real
// ABI bands 7, 13, 14 and 16 (../shared/testdata/real/SOURCES.md), and
// checks the difference against btFastMaxULP; it logs it in kelvin.
func TestBTFastKelvin(t *testing.T) {
	needSIMD(t)
	sets := []struct {
		name               string
		scale, offset      float32
		fk1, fk2, bc1, bc2 float32
	}{
		{"anchors", AnchorsScaleFactor, AnchorsAddOffset, AnchorsPlanckFK1, AnchorsPlanckFK2, AnchorsPlanckBC1, AnchorsPlanckBC2},
		{"band7", 0.001564351, -0.0376, 203135, 3703.5, 0.44554, 0.99938},
		{"band13", 0.04572892, -1.6443, 10835.6, 1394.12, 0.07786, 0.99974},
		{"band14", 0.04949221, -1.7187, 8495.35, 1285.52, 0.21781, 0.99922},
		{"band16", 0.1760585, -5.2392, 5101.27, 1084.53, 0.06266, 0.99974},
	}
	for _, s := range sets {
		var rad []float32
		for i := 0; i < 1<<16; i++ {
			if r := float32(float32(float32(i)*s.scale) + s.offset); r > 0 {
				rad = append(rad, r)
			}
		}
		fast, exact := make([]float32, len(rad)), make([]float32, len(rad))
		if n := btVec(fast, rad, s.fk1, s.fk2, s.bc1, s.bc2); n != len(rad) {
			t.Fatalf("btVec handled %d of %d", n, len(rad))
		}
		btScalarRows(exact, rad, s.fk1, s.fk2, s.bc1, s.bc2)
		var worstK, worstU float64
		for i := range rad {
			d := math.Abs(float64(fast[i]) - float64(exact[i]))
			_, e := math.Frexp(math.Abs(float64(exact[i])))
			worstK = max(worstK, d)
			worstU = max(worstU, d/math.Ldexp(1, e-24))
		}
		t.Logf("%s: %d radiances, max |fast - exact| %.3g K = %.1f ulp", s.name, len(rad), worstK, worstU)
		if worstU > btFastMaxULP {
			t.Errorf("%s: max difference %.1f ulp exceeds %v", s.name, worstU, btFastMaxULP)
		}
	}
}
