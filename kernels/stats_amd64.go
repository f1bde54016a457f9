//go:build goexperiment.simd && amd64

package kernels

import (
	"math"
	"math/bits"
	"simd/archsimd"
)

// The vector path of the stats reducer. It reaches the same exact integers
// S and Q as the scalar buckets (see [Stats]), batch by batch: a batch is
// up to statsBatch values (8 KiB, so its second pass reads the first
// level cache), 16 at a time.
//
// Pass 1, in Int32x16 lanes: the number of non-NaN values; the smallest
// |x| bits - 1 (unsigned, so zeros and non-finite values never win); and
// the signed maximum, signed minimum and unsigned maximum of the bits of
// the non-NaN values, from which min and max follow with -0 < +0 (see
// minMaxBits). Their largest magnitude is that of the largest finite |x|
// unless the batch holds ±Inf; then a scalar scan counts the infinities
// and finds it (rare, so cheap).
//
// The window: every finite non-zero value must be a normal float32
// (exponent field e >= 1) with e in [Ew, Ew+statsSpan], where
// Ew = max(emax-statsSpan, 1) <= statsMaxEw. Batches outside it (a wider
// spread of exponents, float32 subnormals, finite values of 2^91 and
// more) take the scalar path, and so do short rows and the last len%16 values of a
// row.
//
// Pass 2, in Float64x8 lanes: each finite x (NaN lanes read as +0, and
// ±Inf too, from a copy of the batch, when it has any) is split once in
// float64 into x = h + l, h = x with all but its top 12 significant bits
// cleared, l = x - h (exact); the lanes sum x, h*h, h*l and l*l, the
// products by fused multiply-adds, in two sets of accumulators (low and
// high 8 values of each 16), so each lane of each accumulator takes
// statsBatch/16 = 128 terms. Under the window every one of these sums is
// exact: a normal x is m * 2^(e-150) with 2^23 <= |m| < 2^24, so
// h = mh * 2^(e-138) and l = ml * 2^(e-150) with |mh|, |ml| < 2^12 (the
// float32 significand's top and bottom 12 bits), and with d = e - Ew in
// [0, statsSpan]
//
//	x   = m * 2^d         units of 2^(Ew-150),   |.| < 2^34
//	h*h = mh*mh * 2^(2d)  units of 2^(2Ew-276),  |.| < 2^44
//	h*l = mh*ml * 2^(2d)  units of 2^(2Ew-288),  |.| < 2^44
//	l*l = ml*ml * 2^(2d)  units of 2^(2Ew-300),  |.| < 2^44
//
// Each product has at most 24 significant bits, so it is exact in
// float64, and a fused multiply-add rounds exactly what multiply-then-add
// would: nothing. Every partial lane sum is an integer number of its unit
// below 128 * 2^44 = 2^51 in magnitude, so every add is exact, in any
// order, and the two accumulators of a sum add to below 2^52 units, still
// exact. (Batches of up to 4096 values would be exact too; 2048 ran
// fastest over an 8192x8192 array.) A subnormal float32 would be split at
// its own leading bit in float64, not at the float32 significand's
// halves; hence the window's e >= 1. The lane sums become int64 counts of
// their units, added, split into 24-bit pieces that go to the buckets of
// the matching power of two: every bucket add stays below 2^24 in
// magnitude and each batch of n >= 16 values adds to a bucket at most 3
// times, within the scalar path's bound of 2^39 adds.
//
// One pass (the sums computed while the window is still unknown, and
// dropped if it fails) was tried: its loop needs 9 accumulators and 5
// or more temporaries live, the compiler keeps vectors in 16 registers
// only, and the accumulators it spilled every iteration made it 1.8x
// slower than these two passes, whose second one reads the batch from
// the first-level cache (1024x1024 block, one core, 2026-12-04).
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

// Constants of the loops below, read from memory as operands: the
// compiler keeps vectors in 16 registers only.
var (
	statsAbsMask = [16]uint32{0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff}
	statsExpInf  = [16]uint32{0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000}
	statsOnes    = [16]uint32{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	statsHiBits  = [8]uint64{hiBits, hiBits, hiBits, hiBits, hiBits, hiBits, hiBits, hiBits}
)

// hiBits keeps a float64's sign, exponent and top 12 significant bits.
const hiBits = ^uint64(1<<41 - 1)

// addBatchVec folds b (a multiple of 16 values, at most statsBatch) into
// s, or returns false, with s untouched, when b is outside the window.
func (s *statsPartial) addBatchVec(b []float32) bool {
	// Pass 1: counts, extremes, exponent range.
	var nv int64                                         // non-NaN lanes
	aMin1 := archsimd.BroadcastUint32x16(math.MaxUint32) // min |x| bits - 1
	sMax := archsimd.BroadcastInt32x16(math.MinInt32)    // signed max of the bits, non-NaN
	sMin := archsimd.BroadcastInt32x16(math.MaxInt32)    // signed min of the bits, non-NaN
	uMax := archsimd.BroadcastUint32x16(0)               // unsigned max of the bits, non-NaN
	for rest := b; len(rest) >= 16; rest = rest[16:] {
		xu := archsimd.LoadFloat32x16((*[16]float32)(rest)).AsUint32x16()
		a := xu.And(archsimd.LoadUint32x16(&statsAbsMask))
		aMin1 = aMin1.Min(a.Sub(archsimd.LoadUint32x16(&statsOnes)))
		valid := a.LessEqual(archsimd.LoadUint32x16(&statsExpInf))
		nv += int64(bits.OnesCount16(valid.ToBits())) // scalar popcount: frees two vector operations
		xi := xu.AsInt32x16()
		sMax = sMax.Max(xi).Merge(sMax, valid)
		sMin = sMin.Min(xi).Merge(sMin, valid)
		uMax = uMax.Max(xu).Merge(uMax, valid)
	}
	var lo, hi uint32  // bits of the min and max (when nv > 0)
	var pos, neg int64 // +Inf and -Inf values
	var absMax uint32  // |x| bits of the largest finite |x|
	if nv > 0 {
		lo, hi = minMaxBits(hmin32(sMin), hmax32(sMax), hmaxU32(uMax))
		absMax = max(lo&0x7fffffff, hi&0x7fffffff)
		if hi == 0x7f800000 || lo == 0xff800000 {
			pos, neg, absMax = scanInf(b)
		}
	}

	// The window.
	m1 := hminU32(aMin1)
	nonZero := m1 < 0x7f800000-1 // a finite non-zero value
	ew := max(int(absMax>>23)-statsSpan, 1)
	if nonZero && (int(m1+1)>>23 < ew || ew > statsMaxEw) {
		return false
	}

	// Commit the counts and extremes.
	s.nan += int64(len(b)) - nv
	s.finite += nv - pos - neg
	s.posInf += pos
	s.negInf += neg
	if nv > 0 {
		if v := math.Float32frombits(lo); less(v, s.min) {
			s.min = v
		}
		if v := math.Float32frombits(hi); less(s.max, v) {
			s.max = v
		}
	}
	if !nonZero {
		return true // the sums are zero
	}

	// Pass 2: exact lane sums of x, h*h, h*l and l*l.
	var sx, qa, qb, qc archsimd.Float64x8
	if pos+neg > 0 {
		sx, qa, qb, qc = statsLaneSumsFinite(b)
	} else {
		sx, qa, qb, qc = statsLaneSums(b)
	}

	// Commit the sums. Units (powers of two) of the four lane sums, in x
	// and x^2: x: 2^(ew-150); h*h: 2^(2ew-276); h*l: 2^(2ew-288); l*l:
	// 2^(2ew-300).
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

// statsLaneSums returns the float64 lane sums of x, h*h, h*l and l*l over
// the non-NaN values x of b (a multiple of 16 values, at most statsBatch,
// no ±Inf), NaN read as +0; exact under the window (see the top of this
// file).
func statsLaneSums(b []float32) (sx, qa, qb, qc archsimd.Float64x8) {
	fz := archsimd.BroadcastFloat64x8(0)
	sx0, qa0, qb0, qc0 := fz, fz, fz, fz // low 8 values of each 16
	sx1, qa1, qb1, qc1 := fz, fz, fz, fz // high 8 values
	for rest := b; len(rest) >= 16; rest = rest[16:] {
		p := (*[16]float32)(rest)
		x := archsimd.LoadFloat32x16(p)
		xm := archsimd.LoadMaskedFloat32x16(p, x.Equal(x)) // NaN: +0
		x0 := xm.GetLo().ConvertToFloat64()
		h0 := x0.AsUint64x8().And(archsimd.LoadUint64x8(&statsHiBits)).AsFloat64x8()
		l0 := x0.Sub(h0)
		sx0 = sx0.Add(x0)
		qa0 = h0.MulAdd(h0, qa0)
		qb0 = h0.MulAdd(l0, qb0)
		qc0 = l0.MulAdd(l0, qc0)
		x1 := xm.GetHi().ConvertToFloat64()
		h1 := x1.AsUint64x8().And(archsimd.LoadUint64x8(&statsHiBits)).AsFloat64x8()
		l1 := x1.Sub(h1)
		sx1 = sx1.Add(x1)
		qa1 = h1.MulAdd(h1, qa1)
		qb1 = h1.MulAdd(l1, qb1)
		qc1 = l1.MulAdd(l1, qc1)
	}
	return sx0.Add(sx1), qa0.Add(qa1), qb0.Add(qb1), qc0.Add(qc1)
}

// statsLaneSumsFinite is statsLaneSums for a batch with ±Inf (rare): it
// sums a copy of b with ±Inf as +0, which keeps the loop above free of a
// second comparison per vector (NaN is the only value unequal to itself).
func statsLaneSumsFinite(b []float32) (sx, qa, qb, qc archsimd.Float64x8) {
	var buf [statsBatch]float32
	c := buf[:len(b)]
	for i, x := range b {
		if math.Float32bits(x)&0x7fffffff != 0x7f800000 {
			c[i] = x
		}
	}
	return statsLaneSums(c)
}

// scanInf counts the +Inf and -Inf values of b and returns the |x| bits
// of its largest finite |x|.
func scanInf(b []float32) (pos, neg int64, absMax uint32) {
	for _, x := range b {
		u := math.Float32bits(x)
		switch a := u & 0x7fffffff; {
		case a < 0x7f800000:
			absMax = max(absMax, a)
		case u == 0x7f800000:
			pos++
		case u == 0xff800000:
			neg++
		}
	}
	return pos, neg, absMax
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
// multiple of 2^-k below 2^53 of those units (-1022 < k < 1023), as an
// integer count of units.
func laneInts(v archsimd.Float64x8, k int) int64 {
	scale := archsimd.BroadcastFloat64x8(math.Float64frombits(uint64(1023+k) << 52)) // 2^k
	var l [8]int64
	v.Mul(scale).ConvertToInt64().Store(&l)
	return l[0] + l[1] + l[2] + l[3] + l[4] + l[5] + l[6] + l[7]
}

func hmin32(v archsimd.Int32x16) int32 {
	var l [8]int32
	v.GetLo().Min(v.GetHi()).Store(&l)
	return min(l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7])
}

func hmax32(v archsimd.Int32x16) int32 {
	var l [8]int32
	v.GetLo().Max(v.GetHi()).Store(&l)
	return max(l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7])
}

func hminU32(v archsimd.Uint32x16) uint32 {
	var l [8]uint32
	v.GetLo().Min(v.GetHi()).Store(&l)
	return min(l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7])
}

func hmaxU32(v archsimd.Uint32x16) uint32 {
	var l [8]uint32
	v.GetLo().Max(v.GetHi()).Store(&l)
	return max(l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7])
}
