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
