//go:build goexperiment.simd && amd64

package kernels

import (
	"math"
	"simd/archsimd"
)

// nanF32 is the NaN the kernels write: float32(math.NaN()).
var nanF32 = float32(math.NaN())

// The vector paths of the float32 kernels, built with GOEXPERIMENT=simd on
// amd64 and run when the CPU has AVX-512 (F, VL, DQ, BW, CD; checked once
// at start-up). Each function handles the longest prefix of its row whose
// length is a multiple of its vector width and returns that length; the
// caller finishes the tail with the portable scalar loop. Each ends with
// VZEROUPPER (archsimd.ClearAVXUpperBits): without it the scalar SSE code
// that follows pays for false dependencies on the upper register halves
// (blur:5's running sums took twice the portable time). Every vector
// path but bt's computes, lane by lane, the same IEEE operations in the
// same order as the portable loop (no fused multiply-add; NaN lanes kept
// out of sums by blending, or in coarsen_amd64.go by adding +0 to sums
// that cannot be -0; calibrate tests fills and range in float32 where the
// portable loop does in float64, with the same answers, see calDomain32),
// so both give the same bits: simd_test.go
// checks this on random rows with NaN, ±Inf, zeros and subnormals, of
// every length up to a few vectors and at every alignment. bt's vector
// loop (btVec) takes whole rows and has its own float32 logarithm, within
// 2 ulp of the true one (log32 is within 0.501): its results may differ
// from the portable loop's by up to 3 ulp, but one process uses one of
// the two loops for every element, so they do not depend on chunking.

// simdCPU reports whether this CPU runs the vector paths.
var simdCPU = archsimd.X86.AVX512()

// simdName names the vector path this build and CPU have ("avx512"), or
// "portable" (simdOn may still switch it off).
func simdName() string {
	if simdCPU {
		return "avx512"
	}
	return "portable"
}

// simdActive reports whether the vector paths run now.
func simdActive() bool { return simdCPU && simdOn.Load() }

// calibrateF32Vec is calRows' loop for float32 input (see decode) on 16
// lanes: NaN where x is a fill value or outside the valid range, else
// float32(float32(x*scale) + offset). The tests are dom's float32 ones,
// which give decode's float64 answers for every float32 x (see
// calDomain32), so no lane is widened to float64.
func calibrateF32Vec(out, in []float32, scale, offset float32, dom *calDomain32) int {
	if !simdActive() {
		return 0
	}
	n := len(out) &^ 15
	in = in[:len(out)]
	vs, vo := archsimd.BroadcastFloat32x16(scale), archsimd.BroadcastFloat32x16(offset)
	vnan := archsimd.BroadcastFloat32x16(nanF32)
	vlo, vhi := archsimd.BroadcastFloat32x16(dom.lo), archsimd.BroadcastFloat32x16(dom.hi)
	// The first two fill values stay in registers (NaN, equal to
	// nothing, when there are fewer); further ones are broadcast per use.
	f0, f1 := nanF32, nanF32
	if len(dom.fills) > 0 {
		f0 = dom.fills[0]
	}
	if len(dom.fills) > 1 {
		f1 = dom.fills[1]
	}
	more := dom.fills[min(len(dom.fills), 2):]
	vf0, vf1 := archsimd.BroadcastFloat32x16(f0), archsimd.BroadcastFloat32x16(f1)
	for i := 0; i < n; i += 16 {
		x := archsimd.LoadFloat32x16Slice(in[i : i+16])
		bad := x.Less(vlo).Or(x.Greater(vhi)).Or(x.Equal(vf0)).Or(x.Equal(vf1))
		for _, f := range more {
			bad = bad.Or(x.Equal(archsimd.BroadcastFloat32x16(f)))
		}
		y := x.Mul(vs).Add(vo)
		// vnan where bad, y elsewhere.
		vnan.Merge(y, bad).StoreSlice(out[i : i+16])
	}
	archsimd.ClearAVXUpperBits()
	return n
}

// btVec is BT.row's loop (see [BT]) on 16 float32 lanes, the whole row
// (the last, partial vector zero-padded), with the fast
// logarithm of btLoop in place of log32. Every element goes through the
// same lane arithmetic wherever it sits in a row, so the result does not
// depend on how an array is cut into chunks.
func btVec(out, in []float32, fk1, fk2, bc1, bc2 float32) int {
	if !simdActive() {
		return 0
	}
	return btLoop(out, in, fk1, fk2, bc1, bc2, false)
}

// logFastVec applies btLoop's logarithm to every element of in (the test
// hook for it).
func logFastVec(out, in []float32) int {
	if !simdActive() {
		return 0
	}
	return btLoop(out, in, 0, 0, 0, 0, true)
}

// Coefficients of btLoop's polynomial: log1p(r) ~ r + r^2*P(r) for r in
// [sqrt(1/2)-1, sqrt(2)-1], P of degree 7 fitted to (log1p(r)-r)/r^2
// (weighted minimax, weight |r|, by Lawson's iteration on 4000 Chebyshev
// nodes, then rounded to float32); in exact arithmetic its error is
// 3.0e-8 relative to r, about a quarter of a float32 ulp. (Degree 8 gave
// 1.564 ulp instead of 1.573 at the end: not worth its FMA.)
const (
	logP0 = -0x1.fffff4p-02
	logP1 = 0x1.5556e8p-02
	logP2 = -0x1.0006c6p-02
	logP3 = 0x1.98da1ep-03
	logP4 = -0x1.52fb0ap-03
	logP5 = 0x1.30d16p-03
	logP6 = -0x1.27765ep-03
	logP7 = 0x1.6fcd0ep-04
)

// btLoop is btVec, or its logarithm alone when logOnly. The logarithm is
// evaluated in float32 with fused multiply-adds (VFMADD, exactly rounded
// on every AVX-512 CPU, so the bits depend on neither the CPU model nor
// the lane):
//
//	x = 2^k * z, z in [sqrt(1/2), sqrt(2)) by integer operations on the bits
//	r = z - 1 (exact)
//	log(x) = fma(P(r), r^2, fma(k, ln2, r))
//
// with P evaluated by Estrin's scheme. Its error against math.Log is
// documented as at most 2 ulp of the true value (logFastMaxULP; the
// largest measured: 1.573 ulp at x = 2893.3457, over every float32 in
// [1, 2^20] and every 4093rd bit pattern, TestLogFastBound; the
// same over every float32 with CHUNKPIPE_LOG32_EXHAUSTIVE=1). bt's result
// then differs from the portable loop's (log32, correctly rounded) by at
// most 3 ulp of the brightness temperature, 0.0005 K, on the radiance of
// every uint16 count of the anchors and of ABI bands 7, 13, 14 and 16
// (TestBTFastKelvin, bound btFastMaxULP = 4). Special values are
// log32's: -Inf at ±0, +Inf at +Inf, NaN for NaN and negative x; positive
// subnormals take log32 itself (logSubnormals). Everything is written out in one
// loop body: a call would spill every vector register (the Go ABI saves
// none across calls).
func btLoop(out, in []float32, fk1, fk2, bc1, bc2 float32, logOnly bool) int {
	const off = 0x3f3504f3 // sqrt(1/2) rounded to float32
	n := len(out)
	in = in[:n]
	vfk1, vfk2 := archsimd.BroadcastFloat32x16(fk1), archsimd.BroadcastFloat32x16(fk2)
	vbc1, vbc2 := archsimd.BroadcastFloat32x16(bc1), archsimd.BroadcastFloat32x16(bc2)
	one := archsimd.BroadcastFloat32x16(1)
	vOff := archsimd.BroadcastUint32x16(off)
	mExp := archsimd.BroadcastUint32x16(0xff800000)
	// x is a positive normal float when bits(x) - 0x00800000 < 0x7f000000
	// (unsigned): one subtraction and one compare.
	minNormal, normalSpan := archsimd.BroadcastUint32x16(0x00800000), archsimd.BroadcastUint32x16(0x7f000000)
	ln2 := archsimd.BroadcastFloat32x16(math.Ln2)
	p0, p1 := archsimd.BroadcastFloat32x16(logP0), archsimd.BroadcastFloat32x16(logP1)
	p2, p3 := archsimd.BroadcastFloat32x16(logP2), archsimd.BroadcastFloat32x16(logP3)
	p4, p5 := archsimd.BroadcastFloat32x16(logP4), archsimd.BroadcastFloat32x16(logP5)
	p6, p7 := archsimd.BroadcastFloat32x16(logP6), archsimd.BroadcastFloat32x16(logP7)
	// The last, partial vector goes through tail, zero-padded
	// (archsimd's LoadFloat32x16SlicePart fails checkptr under -race).
	var tail [16]float32
	for i := 0; i < n; i += 16 {
		var x archsimd.Float32x16
		if i+16 <= n {
			x = archsimd.LoadFloat32x16Slice(in[i : i+16])
		} else {
			copy(tail[:], in[i:])
			x = archsimd.LoadFloat32x16(&tail)
		}
		if !logOnly {
			x = vfk1.Div(x).Add(one)
		}
		ix := x.AsUint32x16()
		tmp := ix.Sub(vOff)
		k := tmp.AsInt32x16().ShiftAllRight(23).ConvertToFloat32()
		r := ix.Sub(tmp.And(mExp)).AsFloat32x16().Sub(one)
		r2 := r.Mul(r)
		r4 := r2.Mul(r2)
		q01 := p1.MulAdd(r, p0)
		q23 := p3.MulAdd(r, p2)
		q45 := p5.MulAdd(r, p4)
		q67 := p7.MulAdd(r, p6)
		q03 := q23.MulAdd(r2, q01)
		poly := q67.MulAdd(r2, q45).MulAdd(r4, q03)
		y := poly.MulAdd(r2, k.MulAdd(ln2, r))
		if normal := ix.Sub(minNormal).Less(normalSpan); normal.ToBits() != 0xffff {
			// log32's values: -Inf at ±0, +Inf at +Inf, NaN for NaN and
			// negative x (the constants made here, off the common path).
			zero := archsimd.BroadcastFloat32x16(0)
			pinf := archsimd.BroadcastFloat32x16(float32(math.Inf(1)))
			fix := archsimd.BroadcastFloat32x16(float32(math.Inf(-1))).Merge(archsimd.BroadcastFloat32x16(nanF32), x.Equal(zero))
			fix = pinf.Merge(fix, x.Equal(pinf))
			y = y.Merge(fix, normal)
			// Positive subnormals: bits(x) - 1 < 0x007fffff (unsigned).
			if sub := ix.Sub(archsimd.BroadcastUint32x16(1)).Less(archsimd.BroadcastUint32x16(0x007fffff)); sub.ToBits() != 0 {
				y = logSubnormals(x, y, sub.ToBits())
			}
		}
		if !logOnly {
			y = vfk2.Div(y).Sub(vbc1).Div(vbc2)
		}
		if i+16 <= n {
			y.StoreSlice(out[i : i+16])
		} else {
			y.Store(&tail)
			copy(out[i:], tail[:])
		}
	}
	archsimd.ClearAVXUpperBits()
	return n
}

// logSubnormals sets the lanes of y given by bits (those where x is a
// positive subnormal) to log32(x): rare enough for a scalar loop.
func logSubnormals(x, y archsimd.Float32x16, bits uint16) archsimd.Float32x16 {
	var xs, ys [16]float32
	x.Store(&xs)
	y.Store(&ys)
	for l := range 16 {
		if bits&(1<<l) != 0 {
			ys[l] = log32(xs[l])
		}
	}
	return archsimd.LoadFloat32x16(&ys)
}

// addRowVec is the vertical step of blur's sums: where x = in[j] is not
// NaN, sum[j] += sign*float64(x) and cnt[j] += dc.
func addRowVec(sum []float64, cnt []int32, in []float32, sign float64, dc int32) int {
	if !simdActive() {
		return 0
	}
	n := len(sum) &^ 7
	in, cnt = in[:len(sum)], cnt[:len(sum)]
	vsign, vdc := archsimd.BroadcastFloat64x8(sign), archsimd.BroadcastInt32x8(dc)
	for j := 0; j < n; j += 8 {
		x := archsimd.LoadFloat32x8Slice(in[j : j+8])
		ok := x.Equal(x)
		s := archsimd.LoadFloat64x8Slice(sum[j : j+8])
		c := archsimd.LoadInt32x8Slice(cnt[j : j+8])
		ns := s.Add(vsign.Mul(x.ConvertToFloat64()))
		ns.Merge(s, archsimd.Mask64x8FromBits(ok.ToBits())).StoreSlice(sum[j : j+8])
		c.Add(vdc).Merge(c, ok).StoreSlice(cnt[j : j+8])
	}
	archsimd.ClearAVXUpperBits()
	return n
}

// windowMeansVec is the horizontal step of blur's fixed-order path:
// out[j] = mean32(sum[j]+...+sum[j+n-1], cnt[j]+...+cnt[j+n-1]), each
// sum added left to right from 0.
func windowMeansVec(out []float32, sum []float64, cnt []int32, n int) int {
	if !simdActive() {
		return 0
	}
	m := len(out) &^ 7
	sum, cnt = sum[:m+n-1], cnt[:m+n-1]
	for j := 0; j < m; j += 8 {
		s := archsimd.BroadcastFloat64x8(0)
		c := archsimd.BroadcastInt32x8(0)
		for t := j; t < j+n; t++ {
			s = s.Add(archsimd.LoadFloat64x8Slice(sum[t : t+8]))
			c = c.Add(archsimd.LoadInt32x8Slice(cnt[t : t+8]))
		}
		mean32x8(s, c).StoreSlice(out[j : j+8])
	}
	archsimd.ClearAVXUpperBits()
	return m
}

// mean32x8 is mean32 on 8 lanes: float32(s/float64(c)), NaN where c is 0.
func mean32x8(s archsimd.Float64x8, c archsimd.Int32x8) archsimd.Float32x8 {
	q := s.Div(c.ConvertToFloat64()).ConvertToFloat32()
	empty := c.Equal(archsimd.BroadcastInt32x8(0))
	return archsimd.BroadcastFloat32x8(nanF32).Merge(q, empty)
}
