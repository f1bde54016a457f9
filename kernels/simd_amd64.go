//go:build goexperiment.simd && amd64

package kernels

import (
	"math"
	"simd/archsimd"
	"sync"
	"time"
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
// path computes, lane by lane, the same IEEE operations in the same order
// as the portable loop (no fused multiply-add, NaN lanes kept out of sums
// by blending), so both give the same bits: simd_test.go checks this on
// random rows with NaN, ±Inf, zeros and subnormals, of every length up to
// a few vectors and at every alignment.

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

// calibrateF32Vec is calRows' loop for float32 input (see decode): NaN
// where float64(x) is a fill value or outside [lo, hi], else
// float32(float32(x*scale) + offset).
func calibrateF32Vec(out, in []float32, scale, offset float32, fills []float64, lo, hi float64) int {
	if !simdActive() {
		return 0
	}
	n := len(out) &^ 7
	in = in[:len(out)]
	vs, vo := archsimd.BroadcastFloat32x8(scale), archsimd.BroadcastFloat32x8(offset)
	vnan := archsimd.BroadcastFloat32x8(nanF32)
	vlo, vhi := archsimd.BroadcastFloat64x8(lo), archsimd.BroadcastFloat64x8(hi)
	// The first two fill values stay in registers (NaN, equal to
	// nothing, when there are fewer); further ones are broadcast per use.
	f0, f1 := math.NaN(), math.NaN()
	if len(fills) > 0 {
		f0 = fills[0]
	}
	if len(fills) > 1 {
		f1 = fills[1]
	}
	more := fills[min(len(fills), 2):]
	vf0, vf1 := archsimd.BroadcastFloat64x8(f0), archsimd.BroadcastFloat64x8(f1)
	for i := 0; i < n; i += 8 {
		x := archsimd.LoadFloat32x8Slice(in[i : i+8])
		xd := x.ConvertToFloat64()
		bad := xd.Less(vlo).Or(xd.Greater(vhi)).Or(xd.Equal(vf0)).Or(xd.Equal(vf1))
		for _, f := range more {
			bad = bad.Or(xd.Equal(archsimd.BroadcastFloat64x8(f)))
		}
		y := x.Mul(vs).Add(vo)
		// vnan where bad, y elsewhere.
		y = vnan.Merge(y, archsimd.Mask32x8FromBits(bad.ToBits()))
		y.StoreSlice(out[i : i+8])
	}
	archsimd.ClearAVXUpperBits()
	return n
}

// btVec is BT.row's loop (see [BT]) with log32 evaluated on 8 lanes in
// float64: the same table, reduction and polynomial, the table read with
// VPERMI2PD. Lanes whose log argument is not a positive normal float take
// the scalar log32's value.
func btVec(out, in []float32, fk1, fk2, bc1, bc2 float32) int {
	if !simdActive() || !btVecFaster() {
		return 0
	}
	return btLoop(out, in, fk1, fk2, bc1, bc2, false)
}

// btVecFaster reports, once per process, whether btLoop beats the scalar
// loop on this CPU. Both give the same bits, so the choice changes only
// the speed. It is measured rather than assumed: on the AMD EPYC of the
// project's machines the vector loop is 3.3x faster, on an Intel Xeon
// (the device machine, 2026-12-04) 3x slower, its 512-bit float64 table
// arithmetic running far below the scalar code there. The probe times
// both loops on 16 Ki radiances, best of 5, about a millisecond in all.
var btVecFaster = sync.OnceValue(btProbe)

// btProbe times btLoop and btScalarRows (see btVecFaster).
func btProbe() bool {
	in := make([]float32, 16<<10)
	out := make([]float32, len(in))
	for i := range in {
		in[i] = 1 + float32(i%997)*0.1
	}
	best := func(f func()) time.Duration {
		d := time.Duration(math.MaxInt64)
		for range 5 {
			t0 := time.Now()
			f()
			d = min(d, time.Since(t0))
		}
		return d
	}
	vec := best(func() { btLoop(out, in, 13432.1, 1497.61, 0.09102, 0.99971, false) })
	scalar := best(func() { btScalarRows(out, in, 13432.1, 1497.61, 0.09102, 0.99971) })
	return vec < scalar
}

// log32Vec applies log32 to the leading multiple of 8 elements of in
// (the test hook for btLoop's logarithm).
func log32Vec(out, in []float32) int {
	if !simdActive() {
		return 0
	}
	return btLoop(out, in, 0, 0, 0, 0, true)
}

// log32Cols holds log32Table by column: invc[i] and logc[i].
var log32Cols = func() (c struct{ invc, logc [log32N]float64 }) {
	for i, e := range log32Table {
		c.invc[i], c.logc[i] = e.invc, e.logc
	}
	return c
}()

// tab8 returns the vector tab[8*k : 8*k+8].
func tab8(tab *[log32N]float64, k int) archsimd.Float64x8 {
	return archsimd.LoadFloat64x8((*[8]float64)(tab[8*k : 8*k+8]))
}

// btLoop is btVec, or log32 alone when logOnly. Everything is written
// out in one loop body: a call would spill every vector register (the Go
// ABI saves none across calls).
func btLoop(out, in []float32, fk1, fk2, bc1, bc2 float32, logOnly bool) int {
	const off = 0x3f330000
	n := len(out) &^ 7
	in = in[:len(out)]
	vfk1, vfk2 := archsimd.BroadcastFloat32x8(fk1), archsimd.BroadcastFloat32x8(fk2)
	vbc1, vbc2 := archsimd.BroadcastFloat32x8(bc1), archsimd.BroadcastFloat32x8(bc2)
	one32 := archsimd.BroadcastFloat32x8(1)
	zero32, nan32v := archsimd.BroadcastFloat32x8(0), archsimd.BroadcastFloat32x8(nanF32)
	pinf32, ninf32 := archsimd.BroadcastFloat32x8(float32(math.Inf(1))), archsimd.BroadcastFloat32x8(float32(math.Inf(-1)))
	minNormal := archsimd.BroadcastFloat32x8(0x1p-126)
	maxFinite := archsimd.BroadcastFloat32x8(math.MaxFloat32)
	vOff := archsimd.BroadcastUint32x8(off)
	mIdx := archsimd.BroadcastUint32x8(log32N - 1)
	mExp := archsimd.BroadcastUint32x8(0xff800000)
	zero64 := archsimd.BroadcastUint64x8(0)
	bit4, bit5, bit6 := archsimd.BroadcastUint64x8(16), archsimd.BroadcastUint64x8(32), archsimd.BroadcastUint64x8(64)
	one := archsimd.BroadcastFloat64x8(1)
	ln2 := archsimd.BroadcastFloat64x8(math.Ln2)
	c5, c4 := archsimd.BroadcastFloat64x8(0.2), archsimd.BroadcastFloat64x8(-0.25)
	c3, c2 := archsimd.BroadcastFloat64x8(1.0/3), archsimd.BroadcastFloat64x8(-0.5)
	inv, lgc := &log32Cols.invc, &log32Cols.logc
	for i := 0; i < n; i += 8 {
		x := archsimd.LoadFloat32x8Slice(in[i : i+8])
		if !logOnly {
			x = vfk1.Div(x).Add(one32)
		}
		// log32(x), step by step as the scalar code.
		ix := x.AsUint32x8()
		normal := x.GreaterEqual(minNormal).And(x.LessEqual(maxFinite))
		tmp := ix.Sub(vOff)
		idx := tmp.ShiftAllRight(23 - log32TableBits).And(mIdx).ExtendToUint64()
		k := tmp.AsInt32x8().ShiftAllRight(23)
		z := ix.Sub(tmp.And(mExp)).AsFloat32x8().ConvertToFloat64()
		b4 := idx.And(bit4).NotEqual(zero64)
		b5 := idx.And(bit5).NotEqual(zero64)
		b6 := idx.And(bit6).NotEqual(zero64)
		// Table lookups: permutes within 16 entries, blends on bits 4-6
		// (Merge keeps the receiver where the mask is set).
		i01 := tab8(inv, 2).ConcatPermute(tab8(inv, 3), idx).Merge(tab8(inv, 0).ConcatPermute(tab8(inv, 1), idx), b4)
		i23 := tab8(inv, 6).ConcatPermute(tab8(inv, 7), idx).Merge(tab8(inv, 4).ConcatPermute(tab8(inv, 5), idx), b4)
		i45 := tab8(inv, 10).ConcatPermute(tab8(inv, 11), idx).Merge(tab8(inv, 8).ConcatPermute(tab8(inv, 9), idx), b4)
		i67 := tab8(inv, 14).ConcatPermute(tab8(inv, 15), idx).Merge(tab8(inv, 12).ConcatPermute(tab8(inv, 13), idx), b4)
		invc := i67.Merge(i45, b5).Merge(i23.Merge(i01, b5), b6)
		l01 := tab8(lgc, 2).ConcatPermute(tab8(lgc, 3), idx).Merge(tab8(lgc, 0).ConcatPermute(tab8(lgc, 1), idx), b4)
		l23 := tab8(lgc, 6).ConcatPermute(tab8(lgc, 7), idx).Merge(tab8(lgc, 4).ConcatPermute(tab8(lgc, 5), idx), b4)
		l45 := tab8(lgc, 10).ConcatPermute(tab8(lgc, 11), idx).Merge(tab8(lgc, 8).ConcatPermute(tab8(lgc, 9), idx), b4)
		l67 := tab8(lgc, 14).ConcatPermute(tab8(lgc, 15), idx).Merge(tab8(lgc, 12).ConcatPermute(tab8(lgc, 13), idx), b4)
		logc := l67.Merge(l45, b5).Merge(l23.Merge(l01, b5), b6)
		// r = z*invc - 1; y0 = logc + k*ln2; y = y0 + r + r2*(...).
		r := z.Mul(invc).Sub(one)
		y0 := logc.Add(k.ConvertToFloat64().Mul(ln2))
		r2 := r.Mul(r)
		p := r.Mul(c5).Add(c4)
		p = r.Mul(p).Add(c3)
		p = r.Mul(p).Add(c2)
		y := y0.Add(r).Add(r2.Mul(p)).ConvertToFloat32()
		if bits := normal.ToBits(); bits != 0xff {
			// log32's special values: -Inf at ±0, +Inf at +Inf, NaN for
			// NaN and negative x; a positive subnormal goes to log32.
			if x.Greater(zero32).And(x.Less(minNormal)).ToBits() != 0 {
				y = log32Special(x, y, bits)
			} else {
				fix := ninf32.Merge(nan32v, x.Equal(zero32))
				fix = pinf32.Merge(fix, x.Equal(pinf32))
				y = y.Merge(fix, normal)
			}
		}
		if !logOnly {
			y = vfk2.Div(y).Sub(vbc1).Div(vbc2)
		}
		y.StoreSlice(out[i : i+8])
	}
	archsimd.ClearAVXUpperBits()
	return n
}

// log32Special replaces the lanes of y whose input is not a positive
// normal float by log32's value for them.
func log32Special(x, y archsimd.Float32x8, normalBits uint8) archsimd.Float32x8 {
	var xs, ys [8]float32
	x.Store(&xs)
	y.Store(&ys)
	for l := range 8 {
		if normalBits&(1<<l) == 0 {
			ys[l] = log32(xs[l])
		}
	}
	return archsimd.LoadFloat32x8(&ys)
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

// finishMeansVec is finishMeans on the leading multiple of 8 blocks.
func finishMeansVec(out []float32, sums []float64, cnts []int32) int {
	if !simdActive() {
		return 0
	}
	n := len(out) &^ 7
	sums, cnts = sums[:len(out)], cnts[:len(out)]
	for j := 0; j < n; j += 8 {
		s := archsimd.LoadFloat64x8Slice(sums[j : j+8])
		c := archsimd.LoadInt32x8Slice(cnts[j : j+8])
		mean32x8(s, c).StoreSlice(out[j : j+8])
	}
	archsimd.ClearAVXUpperBits()
	return n
}

// Lane orders for coarsen: element a of 8 consecutive blocks of n.
// (Plain arrays: they are loaded into vectors only once the CPU check has
// passed.)
var (
	// coarsen:2, from 16 values: the first elements, then the second.
	deint2 = [16]uint32{0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15}
	// coarsen:4, from 32 values: elements 0 and 1, then 2 and 3.
	deint4a = [16]uint32{0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29}
	deint4b = [16]uint32{2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31}
)

// addValid8 adds x to s and 1 to c in the lanes where x is not NaN.
func addValid8(s archsimd.Float64x8, c archsimd.Int32x8, x archsimd.Float32x8) (archsimd.Float64x8, archsimd.Int32x8) {
	ok := x.Equal(x)
	ns := s.Add(x.ConvertToFloat64()).Merge(s, archsimd.Mask64x8FromBits(ok.ToBits()))
	nc := c.Add(archsimd.BroadcastInt32x8(1)).Merge(c, ok)
	return ns, nc
}

// blockRowVec is blockRow for n = 2 and n = 4 on the leading multiple of 8
// blocks: each block's valid values added left to right.
func blockRowVec(sums []float64, cnts []int32, in []float32, n int) int {
	if !simdActive() || (n != 2 && n != 4) {
		return 0
	}
	m := len(sums) &^ 7
	cnts = cnts[:len(sums)]
	in = in[:n*len(sums)]
	p2 := archsimd.LoadUint32x16(&deint2)
	p4a, p4b := archsimd.LoadUint32x16(&deint4a), archsimd.LoadUint32x16(&deint4b)
	for j := 0; j < m; j += 8 {
		s := archsimd.LoadFloat64x8Slice(sums[j : j+8])
		c := archsimd.LoadInt32x8Slice(cnts[j : j+8])
		if n == 2 {
			v := archsimd.LoadFloat32x16Slice(in[2*j : 2*j+16]).Permute(p2)
			s, c = addValid8(s, c, v.GetLo())
			s, c = addValid8(s, c, v.GetHi())
		} else {
			u := archsimd.LoadFloat32x16Slice(in[4*j : 4*j+16])
			w := archsimd.LoadFloat32x16Slice(in[4*j+16 : 4*j+32])
			a, b := u.ConcatPermute(w, p4a), u.ConcatPermute(w, p4b)
			s, c = addValid8(s, c, a.GetLo())
			s, c = addValid8(s, c, a.GetHi())
			s, c = addValid8(s, c, b.GetLo())
			s, c = addValid8(s, c, b.GetHi())
		}
		s.StoreSlice(sums[j : j+8])
		c.StoreSlice(cnts[j : j+8])
	}
	archsimd.ClearAVXUpperBits()
	return m
}
