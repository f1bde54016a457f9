package kernels

import (
	"math"
	"testing"
)

// TestCalDomain32MatchesFloat64 checks calDomain32's claim: for every
// float32 x, its float32 test gives decode's float64 answer. Bounds and
// fills are float32 values, values between two float32s, beyond the
// float32 range, ±Inf and NaN; x runs over the float32 neighbours of
// every bound and fill, special values, and every 65521st bit pattern.
func TestCalDomain32MatchesFloat64(t *testing.T) {
	inf := math.Inf(1)
	between := float64(float32(1.5)) + 1e-12 // no float32 equals it
	bounds := []float64{
		-inf, inf, math.NaN(), 0, math.Copysign(0, -1), -50, 1e38, -1e38, 1e300, -1e300,
		between, -between, math.MaxFloat32, -math.MaxFloat32, 1e-46, -1e-46,
		math.SmallestNonzeroFloat32, float64(math.Float32frombits(0x00400001)) * 1.0000001,
	}
	fillSets := [][]float64{nil, {42.5}, {-999, 1e30, between}, {math.NaN(), 0}, {inf, -inf, 65535}}
	probe := []float32{float32(math.NaN()), float32(inf), float32(-inf), 0, float32(math.Copysign(0, -1)),
		math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, 42.5, -999, 65535}
	for _, b := range bounds {
		c := float32(b)
		probe = append(probe, c, math.Nextafter32(c, float32(inf)), math.Nextafter32(c, float32(-inf)))
	}
	for u := uint64(0); u < 1<<32; u += 65521 {
		probe = append(probe, math.Float32frombits(uint32(u)))
	}
	bad64 := func(x float32, fills []float64, lo, hi float64) bool {
		v := float64(x)
		for _, f := range fills {
			if v == f {
				return true
			}
		}
		return v < lo || v > hi
	}
	bad32 := func(x float32, d calDomain32) bool {
		for _, f := range d.fills {
			if x == f {
				return true
			}
		}
		return x < d.lo || x > d.hi
	}
	checked := 0
	for _, lo := range bounds {
		for _, hi := range bounds {
			for _, fills := range fillSets {
				d := newCalDomain32(fills, lo, hi)
				for _, x := range probe {
					if got, want := bad32(x, d), bad64(x, fills, lo, hi); got != want {
						t.Fatalf("x=%v (bits %#x) fills=%v lo=%v hi=%v: float32 test %v, float64 test %v (domain %+v)",
							x, math.Float32bits(x), fills, lo, hi, got, want, d)
					}
					checked++
				}
			}
		}
	}
	if checked < 1e6 {
		t.Fatalf("only %d cases checked", checked)
	}
}
