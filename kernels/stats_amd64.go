//go:build goexperiment.simd && amd64

package kernels

import (
	"math"
	"simd/archsimd"
)

// The vector path of the stats reducer. It reaches the same exact integers
// S and Q as the scalar buckets (see [Stats]) batch by batch, in one pass
// over each batch of up to statsBatch values, 16 at a time:
//
// Integer lanes (Int32x16) count the non-NaN values, keep the largest
// |x| bits of the finite values and the smallest |x| bits - 1 (unsigned,
// so zeros and non-finite values never win), and the extremes of the raw
// bits of the non-NaN values (signed max and min, unsigned max), from
// which min and max follow with -0 < +0 (see minMaxBits).
//
// At the same time, float64 lanes sum the finite values (NaN and ±Inf
// blended to +0), each split once in float64 as x = h + l, h = x with all
// but the top 12 significant bits cleared and l = x - h (exact), into
// sum x, sum h*h, sum h*l and sum l*l, each product by a fused
// multiply-add. Eight accumulators, two per sum (low and high 8 values),
// each take statsBatch/16 = 256 terms per lane.
//
// Only after the loop does the batch check its window: every finite
// non-zero value must be a normal float32 (exponent field e >= 1) with e
// in [Ew, Ew+statsSpan], Ew = max(emax-statsSpan, 1) <= statsMaxEw. If it
// fails, the lane sums are dropped and the batch takes the scalar path.
// If it holds, every lane sum was exact, whatever order the window came
// to be known in: a normal x is m * 2^(e-150) with 2^23 <= |m| < 2^24, so
// h = mh * 2^(e-138) and l = ml * 2^(e-150) with |mh|, |ml| < 2^12 (the
// same split as of the float32 significand's halves), and with
// d = e - Ew in [0, statsSpan]:
//
//	x   = m * 2^d         units of 2^(Ew-150),   |.| < 2^34
//	h*h = mh*mh * 2^(2d)  units of 2^(2Ew-276),  |.| < 2^44
//	h*l = mh*ml * 2^(2d)  units of 2^(2Ew-288),  |.| < 2^44
//	l*l = ml*ml * 2^(2d)  units of 2^(2Ew-300),  |.| < 2^44
//
// Each product has at most 24 significant bits, so it is exact in
// float64 and the fused multiply-add rounds exactly what mul-then-add
// would (neither rounds). Every partial lane sum is an integer number of
// its unit below 256 * 2^44 = 2^52 in magnitude, exactly representable,
// so every add is exact; the two accumulators of a sum add up to below
// 2^53 units, still exact. (Float32 subnormals are not split at their
// float32 halves by the float64 mask, so batches with them are refused;
// so are batches with no room for Ew's buckets, e >= 208 or ±Inf mixed
// with nothing else does not matter: ±Inf are blended out of the sums.)
// The lane sums are turned into int64 counts of their units, added, and
// split into 24-bit pieces that go to the buckets of the matching power
// of two, so every bucket add stays below 2^24 in magnitude and each
// batch of n >= 16 values adds to a bucket at most 3 times, as the
// scalar path's 2^39-value bound needs. Short rows (under statsMinN) and
// the last len%16 values of a row take the scalar path.
const (
	statsBatch = 2048
	statsSpan  = 10
	statsMinN  = 64  // shorter runs: scalar
	statsMaxEw = 207 // Ew+48 must be a bucket
)

// statsAddVec folds the leading values of in, in batches, into s and
// returns how many it took (a multiple of 16).
func statsAddVec(s *statsPartial, in []float32) int {
	if !simdActive() || len(in) < statsMinN {
		return 0
	}
	n := len(in) &^ 15
	for i := 0; i < n; i += statsBatch {
		b := in[i:min(i+statsBatch, n)]
		ok := s.addBatchVec(b)
		archsimd.ClearAVXUpperBits() // before scalar code (see simd_amd64.go)
		if !ok {
			s.addScalar(b)
		}
	}
	return n
}

// Constants of addBatchVec, read from memory as operands of the vector
// instructions: the compiler keeps vectors in 16 registers only, and the
// loop's accumulators need most of them.
var (
	statsAbsMask = [16]uint32{0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff}
	statsExpInf  = [16]uint32{0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000}
	statsOnes    = [16]uint32{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	statsOnesI   = [16]int32{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	statsHiBits  = [8]uint64{hiBits, hiBits, hiBits, hiBits, hiBits, hiBits, hiBits, hiBits}
)

// hiBits keeps a float64's sign, exponent and top 12 significant bits.
const hiBits = ^uint64(1<<41 - 1)

// addBatchVec folds b (a multiple of 16 values, at most statsBatch) into
// s, or returns false, with s untouched, when b is outside the window.
func (s *statsPartial) addBatchVec(b []float32) bool {
	nNaN := archsimd.BroadcastInt32x16(0)                // NaN lanes
	aMin1 := archsimd.BroadcastUint32x16(math.MaxUint32) // min |x| bits - 1
	sMax := archsimd.BroadcastInt32x16(math.MinInt32)    // signed max of the bits, non-NaN
	sMin := archsimd.BroadcastInt32x16(math.MaxInt32)    // signed min of the bits, non-NaN
	uMax := archsimd.BroadcastUint32x16(0)               // unsigned max of the bits, non-NaN
	fz := archsimd.BroadcastFloat64x8(0)
	sx, qa, qb, qc := fz, fz, fz, fz
	for rest := b; len(rest) >= 16; rest = rest[16:] {
		p := (*[16]float32)(rest)
		xu := archsimd.LoadFloat32x16(p).AsUint32x16()
		a := xu.And(archsimd.LoadUint32x16(&statsAbsMask))
		aMin1 = aMin1.Min(a.Sub(archsimd.LoadUint32x16(&statsOnes)))
		valid := a.LessEqual(archsimd.LoadUint32x16(&statsExpInf))
		nNaN = nNaN.Add(archsimd.LoadInt32x16(&statsOnesI)).Merge(nNaN, a.Greater(archsimd.LoadUint32x16(&statsExpInf)))
		xi := xu.AsInt32x16()
		sMax = sMax.Max(xi).Merge(sMax, valid)
		sMin = sMin.Min(xi).Merge(sMin, valid)
		uMax = uMax.Max(xu).Merge(uMax, valid)

		xm := archsimd.LoadMaskedFloat32x16(p, valid) // NaN lanes: +0
		x0 := xm.GetLo().ConvertToFloat64()
		h0 := x0.AsUint64x8().And(archsimd.LoadUint64x8(&statsHiBits)).AsFloat64x8()
		l0 := x0.Sub(h0)
		sx = sx.Add(x0)
		qa = h0.MulAdd(h0, qa)
		qb = h0.MulAdd(l0, qb)
		qc = l0.MulAdd(l0, qc)
		x1 := xm.GetHi().ConvertToFloat64()
		h1 := x1.AsUint64x8().And(archsimd.LoadUint64x8(&statsHiBits)).AsFloat64x8()
		l1 := x1.Sub(h1)
		sx = sx.Add(x1)
		qa = h1.MulAdd(h1, qa)
		qb = h1.MulAdd(l1, qb)
		qc = l1.MulAdd(l1, qc)
	}
	nValid := len(b) - int(hsum32(nNaN))

	// Extremes, then the window. Without ±Inf, the largest |x| of the
	// finite values is that of the minimum or the maximum; the finite
	// non-zero values are those with |x| bits - 1 below 0x7f7fffff.
	nv := int64(nValid)
	var lo, hi uint32
	if nv > 0 {
		lo, hi = minMaxBits(hmin32(sMin), hmax32(sMax), hmaxU32(uMax))
		if hi == 0x7f800000 || lo == 0xff800000 {
			return false // ±Inf: scalar
		}
	}
	const noFinite = 0x7f800000 - 1
	m1 := hminU32(aMin1)
	if m1 < noFinite {
		eMin, eMax := int(m1+1)>>23, int(max(hi&0x7fffffff, lo&0x7fffffff)>>23)
		ew := max(eMax-statsSpan, 1)
		if eMin < ew || ew > statsMaxEw {
			return false
		}
	}

	// Commit: counts, extremes, and the sums' 24-bit pieces.
	s.nan += int64(len(b)) - nv
	s.finite += nv
	if nv > 0 {
		if v := math.Float32frombits(lo); less(v, s.min) {
			s.min = v
		}
		if v := math.Float32frombits(hi); less(s.max, v) {
			s.max = v
		}
	}
	if m1 >= noFinite {
		return true // no finite non-zero value: the sums are zero
	}
	ew := max(int(max(hi&0x7fffffff, lo&0x7fffffff)>>23)-statsSpan, 1)
	// Units (powers of two) of the four lane sums, in x and x^2:
	// x: 2^(ew-150); h*h: 2^(2ew-276); h*l: 2^(2ew-288); l*l: 2^(2ew-300).
	S := laneInts(sx, 150-ew)
	s.sum[ew] += S & 0xffffff
	s.sum[ew+24] += (S >> 24) & 0xffffff
	s.sum[ew+48] += S >> 48
	// In Q's units (x^2 * 2^298), with bucket e weighing 2^(2(e-1)):
	// h*h counts 2^(2(ew-1)+24), 2*h*l counts 2^(2(ew+6-1)) * 2, and
	// l*l counts 2^(2(ew-1)).
	s.addQ(uint64(laneInts(qa, 276-2*ew)), ew, 1)
	s.addQ(2*uint64(laneInts(qb, 288-2*ew)), ew+6, 0)
	s.addQ(uint64(laneInts(qc, 300-2*ew)), ew, 0)
	return true
}

// minMaxBits returns the bits of the smallest and largest of a set of
// non-NaN float32 values (-0 < +0), given the signed minimum smin, signed
// maximum smax and unsigned maximum umax of their bits. Non-negative
// values (sign bit clear) order as their bits, as signed integers, and
// rank above every negative one, whose bits are negative; negative values
// order backwards, as their bits read either way. So the largest value is
// smax when any value is non-negative (smax >= 0), else the negative one
// nearest zero, smin; the smallest is the negative one farthest from
// zero, umax, when there is one (umax has the sign bit), else smin.
func minMaxBits(smin, smax int32, umax uint32) (lo, hi uint32) {
	hi, lo = uint32(smin), uint32(smin)
	if smax >= 0 {
		hi = uint32(smax)
	}
	if umax >= 1<<31 {
		lo = umax
	}
	return lo, hi
}

// addQ adds v * 2^(2(e-1)) * 2^(24*level) to the square buckets in 24-bit
// pieces: level 0 is sqLo[e], level L >= 1 is sqHi[e+12(L-1)].
func (s *statsPartial) addQ(v uint64, e, level int) {
	for ; v != 0; v, level = v>>24, level+1 {
		p := int64(v & 0xffffff)
		if level == 0 {
			s.sqLo[e] += p
		} else {
			s.sqHi[e+12*(level-1)] += p
		}
	}
}

// laneInts returns the sum of the lanes of v, each an exact integer
// multiple of 2^-k below 2^53 of those units, as an integer count of units.
func laneInts(v archsimd.Float64x8, k int) int64 {
	var l [8]float64
	v.Store(&l)
	scale := math.Ldexp(1, k)
	var t int64
	for _, x := range l {
		t += int64(x * scale)
	}
	return t
}

func hsum32(v archsimd.Int32x16) int32 {
	var l [16]int32
	v.Store(&l)
	var t int32
	for _, x := range l {
		t += x
	}
	return t
}

func hmin32(v archsimd.Int32x16) int32 {
	var l [16]int32
	v.Store(&l)
	m := l[0]
	for _, x := range l[1:] {
		m = min(m, x)
	}
	return m
}

func hmax32(v archsimd.Int32x16) int32 {
	var l [16]int32
	v.Store(&l)
	m := l[0]
	for _, x := range l[1:] {
		m = max(m, x)
	}
	return m
}

func hminU32(v archsimd.Uint32x16) uint32 {
	var l [16]uint32
	v.Store(&l)
	m := l[0]
	for _, x := range l[1:] {
		m = min(m, x)
	}
	return m
}

func hmaxU32(v archsimd.Uint32x16) uint32 {
	var l [16]uint32
	v.Store(&l)
	m := l[0]
	for _, x := range l[1:] {
		m = max(m, x)
	}
	return m
}
