package kernels

import (
	"math"
	"os"
	"testing"
)

// log32MaxULP is the documented bound of log32 (see its doc comment).
const log32MaxULP = 0.501

// ulpErr32 returns |got - math.Log(x)| in float32 ulps of the true value,
// and whether got has the special-case result math.Log gives.
func ulpErr32(x float32) (ulps float64, ok bool) {
	got := float64(log32(x))
	ref := math.Log(float64(x))
	if math.IsNaN(ref) || math.IsInf(ref, 0) {
		return 0, math.IsNaN(ref) && math.IsNaN(got) || ref == got
	}
	if math.IsNaN(got) || math.IsInf(got, 0) {
		return math.Inf(1), false
	}
	r := math.Abs(ref)
	_, e := math.Frexp(r) // r = f * 2^e, f in [0.5,1)
	ulp := math.Ldexp(1, max(e-24, -149))
	return math.Abs(got-ref) / ulp, true
}

func TestLog32Special(t *testing.T) {
	cases := []struct {
		name string
		x    float32
		want float64
	}{
		{"+0", 0, math.Inf(-1)},
		{"-0", float32(math.Copysign(0, -1)), math.Inf(-1)},
		{"+Inf", float32(math.Inf(1)), math.Inf(1)},
		{"-Inf", float32(math.Inf(-1)), math.NaN()},
		{"NaN", float32(math.NaN()), math.NaN()},
		{"-1", -1, math.NaN()},
		{"-tiny", -math.SmallestNonzeroFloat32, math.NaN()},
		{"1", 1, 0},
		{"e", float32(math.E), math.Log(float64(float32(math.E)))},
		{"2", 2, math.Ln2},
		{"0.5", 0.5, -math.Ln2},
		{"smallest subnormal", math.SmallestNonzeroFloat32, math.Log(math.SmallestNonzeroFloat32)},
		{"max", math.MaxFloat32, math.Log(math.MaxFloat32)},
	}
	for _, c := range cases {
		got := float64(log32(c.x))
		switch {
		case math.IsNaN(c.want):
			if !math.IsNaN(got) {
				t.Errorf("%s: log32(%v) = %v, want NaN", c.name, c.x, got)
			}
		case math.IsInf(c.want, 0) || c.want == 0 || c.x == 1:
			if got != c.want {
				t.Errorf("%s: log32(%v) = %v, want %v", c.name, c.x, got, c.want)
			}
		default:
			if got != float64(float32(c.want)) {
				t.Errorf("%s: log32(%v) = %v, want %v", c.name, c.x, got, float32(c.want))
			}
		}
	}
}

// checkLog32 checks one input against the bound and tracks the maximum.
func checkLog32(t *testing.T, x float32, worst *float64, worstX *float32) {
	u, ok := ulpErr32(x)
	if !ok {
		t.Fatalf("log32(%v) = %v, math.Log gives %v", x, log32(x), math.Log(float64(x)))
	}
	if u > *worst {
		*worst, *worstX = u, x
	}
}

// TestLog32Sweep checks every 997th float32 bit pattern (all signs and
// exponents), every float32 in [0.5, 2) (the cells next to 1 are the
// critical ones) and, with CHUNKPIPE_LOG32_EXHAUSTIVE=1, every float32.
func TestLog32Sweep(t *testing.T) {
	var worst float64
	var worstX float32
	step := uint64(997)
	if os.Getenv("CHUNKPIPE_LOG32_EXHAUSTIVE") == "1" {
		step = 1
	}
	for b := uint64(0); b < 1<<32; b += step {
		checkLog32(t, math.Float32frombits(uint32(b)), &worst, &worstX)
	}
	lo, hi := math.Float32bits(0.5), math.Float32bits(2)
	if testing.Short() {
		lo, hi = math.Float32bits(0.99), math.Float32bits(1.01)
	}
	for b := lo; b < hi; b++ {
		checkLog32(t, math.Float32frombits(b), &worst, &worstX)
	}
	t.Logf("max error %.6f ulp at x=%v", worst, worstX)
	if worst > log32MaxULP {
		t.Errorf("max error %.6f ulp at x=%v exceeds %v", worst, worstX, log32MaxULP)
	}
}

// TestLog32BTDomain checks log32 on every value bt feeds it, FK1/rad + 1,
// when rad calibrates any int16 or uint16 count with the anchors' constants
// and with real ABI band 7, 13, 14 and 16 constants.
func TestLog32BTDomain(t *testing.T) {
	sets := []struct {
		name               string
		scale, offset, fk1 float32
	}{
		{"anchors", AnchorsScaleFactor, AnchorsAddOffset, 13432.1},
		{"band7", 0.001564351, -0.0376, 203135},
		{"band13", 0.04572892, -1.6443, 10835.6},
		{"band14", 0.04949221, -1.7187, 8495.35},
		{"band16", 0.1760585, -5.2392, 5101.27},
	}
	for _, s := range sets {
		var worst float64
		var worstX float32
		for i := 0; i < 1<<16; i++ {
			for _, raw := range []float32{float32(uint16(i)), float32(int16(uint16(i)))} {
				rad := float32(float32(raw*s.scale) + s.offset)
				x := float32(s.fk1/rad) + 1
				checkLog32(t, x, &worst, &worstX)
			}
		}
		t.Logf("%s: max error %.6f ulp at x=%v", s.name, worst, worstX)
		if worst > log32MaxULP {
			t.Errorf("%s: max error %.6f ulp at x=%v exceeds %v", s.name, worst, worstX, log32MaxULP)
		}
	}
}
