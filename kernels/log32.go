package kernels

import "math"

// log32 is a fast float32 natural logarithm with the special cases of
// math.Log: log32(+Inf) = +Inf, log32(±0) = -Inf, log32(x < 0) = NaN,
// log32(NaN) = NaN.
//
// Method (after ARM's optimized-routines logf): write x = 2^k * z with z in
// [0.699, 1.398) by integer arithmetic on the float32 bits, pick c, one of
// 128 table points near z (c = 1 exactly for the two cells next to 1, so
// there is no cancellation near log(1) = 0), and evaluate in float64
//
//	log(x) = k*ln2 + log(c) + log1p(r),  r = z/c - 1,  |r| <= 2^-7
//	log1p(r) ~ r - r^2/2 + r^3/3 - r^4/4 + r^5/5
//
// The float64 result is within 1e-3 float32 ulp of the true logarithm
// (truncation <= |r|^6/6 <= 4e-14, against an ulp of at least 2^-31 when
// |r| is that large), so after the single rounding to float32 the error is
// at most 0.501 ulp: the result is the correctly rounded logarithm except
// for inputs whose logarithm lies within 1e-3 ulp of a rounding midpoint. TestLog32 checks this bound against
// math.Log for every input bt can meet and a sweep of float32 values; over
// every float32 (CHUNKPIPE_LOG32_EXHAUSTIVE=1) the maximum is 0.50004 ulp.
func log32(x float32) float32 {
	ix := math.Float32bits(x)
	k := int32(0)
	if ix-0x00800000 >= 0x7f800000-0x00800000 {
		// Zero, subnormal, negative, infinite or NaN.
		switch {
		case ix&0x7fffffff == 0:
			return float32(math.Inf(-1))
		case ix == 0x7f800000:
			return x
		case ix&0x80000000 != 0 || ix > 0x7f800000:
			return float32(math.NaN())
		}
		// Subnormal: scale into the normal range.
		ix = math.Float32bits(x * 0x1p23)
		k = -23
	}
	const off = 0x3f330000
	tmp := ix - off
	i := (tmp >> (23 - log32TableBits)) % log32N
	k += int32(tmp) >> 23
	iz := ix - (tmp & 0xff800000)
	z := float64(math.Float32frombits(iz))
	e := &log32Table[i]
	r := z*e.invc - 1
	y0 := e.logc + float64(k)*math.Ln2
	r2 := r * r
	y := y0 + r + r2*(-0.5+r*(1.0/3+r*(-0.25+r*0.2)))
	return float32(y)
}

const (
	log32TableBits = 7
	log32N         = 1 << log32TableBits
)

type log32Entry struct{ invc, logc float64 }

// log32Table holds, per cell of z, 1/c and log(c) for the cell's midpoint c
// (c = 1 for the cells on either side of 1).
var log32Table = func() (t [log32N]log32Entry) {
	const off = 0x3f330000
	for i := range t {
		lo := math.Float32frombits(uint32(off + i<<(23-log32TableBits)))
		hi := math.Float32frombits(uint32(off + (i+1)<<(23-log32TableBits)))
		c := (float64(lo) + float64(hi)) / 2
		if lo == 1 || hi == 1 {
			c = 1
		}
		t[i] = log32Entry{invc: 1 / c, logc: math.Log(c)}
	}
	return t
}()
