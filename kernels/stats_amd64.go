//go:build goexperiment.simd && amd64

package kernels

import (
	"math"
	"simd/archsimd"
)

// The vector path of the stats reducer. It reaches the same exact integers
// S and Q as the scalar buckets (see [Stats]), batch by batch:
//
// A batch of up to statsBatch values, whose finite non-zero values have
// exponent fields in [Ew, Ew+statsSpan] (Ew >= 1, subnormals counting as
// 1), is summed in float64 lanes: x, and for the square the three parts
// of x = h + l, h the top 12 significand bits of x and l the rest, as
// h*h, h*l and l*l. Each of these products has at most 24 significant
// bits and is a multiple of a fixed power of two set by Ew; with at most
// statsBatch/8 terms per lane and statsSpan = 10, every lane sum stays
// below 2^53 of those units, so each lane sum is exact. The lane sums are
// turned into int64 counts of their units, added, and split into 24-bit
// pieces that go to the buckets of the matching power of two, so every
// bucket add stays below 2^24 in magnitude, as in the scalar path.
// Batches outside that window (a wider exponent spread, or values of 2^81
// and more), and short rows, take the scalar path.
const (
	statsBatch = 2048
	statsSpan  = 10
	statsMinN  = 64  // shorter runs: scalar (keeps bucket adds <= values)
	statsMaxEw = 207 // Ew+48 must be a bucket
)

// statsAddVec folds the leading values of in, in batches, into s and
// returns how many it took (a multiple of 8).
func statsAddVec(s *statsPartial, in []float32) int {
	if !simdActive() || len(in) < statsMinN {
		return 0
	}
	n := len(in) &^ 7
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

// addBatchVec folds b (a multiple of 8 values, at most statsBatch) into s,
// or returns false, with s untouched, when b is outside the window.
func (s *statsPartial) addBatchVec(b []float32) bool {
	// Pass 1: counts, exponent range, and min/max by an integer key that
	// orders floats as less does (-0 before +0).
	zero := archsimd.BroadcastInt32x8(0)
	expInf := archsimd.BroadcastInt32x8(0x7f800000)
	absMask := archsimd.BroadcastInt32x8(0x7fffffff)
	oneI := archsimd.BroadcastInt32x8(1)
	e255 := archsimd.BroadcastInt32x8(255)
	hiKey, loKey := archsimd.BroadcastInt32x8(math.MaxInt32), archsimd.BroadcastInt32x8(math.MinInt32)
	nNaN, nPos, nNeg, nFin := zero, zero, zero, zero
	emin, emax := e255, zero
	kmin, kmax := hiKey, loKey
	for j := 0; j < len(b); j += 8 {
		xi := archsimd.LoadFloat32x8Slice(b[j : j+8]).AsInt32x8()
		a := xi.And(absMask)
		nan := a.Greater(expInf)
		inf := a.Equal(expInf)
		fin := a.Less(expInf)
		neg := xi.Less(zero)
		nz := fin.And(a.Greater(zero))
		e := a.ShiftAllRight(23)
		emax = emax.Max(e.Masked(nz))
		emin = emin.Min(e.Max(oneI).Merge(e255, nz))
		nNaN = nNaN.Sub(nan.ToInt32x8())
		nFin = nFin.Sub(fin.ToInt32x8())
		nPos = nPos.Sub(inf.And(xi.Greater(zero)).ToInt32x8())
		nNeg = nNeg.Sub(inf.And(neg).ToInt32x8())
		key := xi.Xor(xi.ShiftAllRight(31).And(absMask))
		valid := fin.Or(inf)
		kmin = kmin.Min(key.Merge(hiKey, valid))
		kmax = kmax.Max(key.Merge(loKey, valid))
	}
	eMin, eMax := int(hmin32(emin)), int(hmax32(emax))
	ew := max(eMax-statsSpan, 1)
	if eMin < 255 && (eMin < ew || ew > statsMaxEw) {
		return false
	}

	// Pass 2: exact lane sums of x, h*h, h*l and l*l.
	fz := archsimd.BroadcastFloat64x8(0)
	sx, qa, qb, qc := fz, fz, fz, fz
	hiBits := archsimd.BroadcastInt32x8(-1 << 12)
	for j := 0; j < len(b); j += 8 {
		x := archsimd.LoadFloat32x8Slice(b[j : j+8])
		fin := x.AsInt32x8().And(absMask).Less(expInf)
		xm := x.Masked(fin)
		xh := xm.AsInt32x8().And(hiBits).AsFloat32x8()
		xl := xm.Sub(xh)
		X, H, L := xm.ConvertToFloat64(), xh.ConvertToFloat64(), xl.ConvertToFloat64()
		sx = sx.Add(X)
		qa = qa.Add(H.Mul(H))
		qb = qb.Add(H.Mul(L))
		qc = qc.Add(L.Mul(L))
	}

	// Commit: counts, extremes, and the sums' 24-bit pieces.
	s.nan += int64(hsum32(nNaN))
	s.finite += int64(hsum32(nFin))
	s.posInf += int64(hsum32(nPos))
	s.negInf += int64(hsum32(nNeg))
	if lo, hi := hmin32(kmin), hmax32(kmax); lo <= hi {
		if v := keyFloat(lo); less(v, s.min) {
			s.min = v
		}
		if v := keyFloat(hi); less(s.max, v) {
			s.max = v
		}
	}
	if eMin == 255 {
		return true // no finite non-zero value: the sums are zero
	}
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

// keyFloat inverts the order key of addBatchVec.
func keyFloat(k int32) float32 {
	return math.Float32frombits(uint32(k ^ (k >> 31 & 0x7fffffff)))
}

func hsum32(v archsimd.Int32x8) int32 {
	var l [8]int32
	v.Store(&l)
	var t int32
	for _, x := range l {
		t += x
	}
	return t
}

func hmin32(v archsimd.Int32x8) int32 {
	var l [8]int32
	v.Store(&l)
	m := l[0]
	for _, x := range l[1:] {
		m = min(m, x)
	}
	return m
}

func hmax32(v archsimd.Int32x8) int32 {
	var l [8]int32
	v.Store(&l)
	m := l[0]
	for _, x := range l[1:] {
		m = max(m, x)
	}
	return m
}
