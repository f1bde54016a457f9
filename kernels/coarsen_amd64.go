//go:build goexperiment.simd && amd64

package kernels

import "simd/archsimd"

// Coarsen's vector path (see simd_amd64.go for when the vector paths run):
// coarsen:2 and coarsen:4 on 8 blocks at a time, lanes = blocks, the n
// input rows of one output row in one pass. Each block's sum and count
// stay in registers from its first value to its mean: no partial sums are
// stored between rows and there is no separate pass for the means.
//
// The result has the portable loop's bits (blockRow, then finishMeans):
//
//   - Each block's sum starts at +0 and takes its values in row-major
//     order, one float64 addition each, with the NaN values replaced by
//     +0 instead of skipped. That changes nothing: the sum starts at +0
//     and round-to-nearest addition gives -0 only from two -0 operands, so
//     the sum is never -0, and s + (+0) = s for every other s (finite,
//     ±Inf, and the NaN of Inf - Inf alike).
//   - The compare mask x == x zeroes the NaN lanes (a zero-masking move)
//     and counts the valid values per input lane (a masked increment);
//     the counts of one block's lanes are added up once per output row.
//   - The mean is float32(s / float64(c)) in float64 lanes, NaN (nanF32)
//     where c is 0.
//
// coarsen:2 works on 8-lane float32 vectors: two 256-bit loads per row
// and two two-source permutes (evens, odds) cost fewer operations than one
// 512-bit permute and the extraction of its halves (measured ~10 % faster
// in cache); coarsen:4 needs 32 values per row and keeps 16 lanes.

// Lane orders for coarsen: element a of 8 consecutive blocks of n. (Plain
// arrays: they are loaded into vectors only once the CPU check has
// passed.)
var (
	// coarsen:2, from 16 values (two vectors of 8): the first elements of
	// the blocks, and the second ones.
	deint2a = [8]uint32{0, 2, 4, 6, 8, 10, 12, 14}
	deint2b = [8]uint32{1, 3, 5, 7, 9, 11, 13, 15}
	// coarsen:4, from 32 values: elements 0 and 1, then 2 and 3.
	deint4a = [16]uint32{0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29}
	deint4b = [16]uint32{2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31}
)

// blockMeansVec is blockMeans (see coarsen.go) on the leading multiple of
// 8 blocks, for n = 2 and n = 4: out[j] is the mean of the valid values
// of in[r*stride + j*n : r*stride + j*n + n], 0 <= r < n. It returns the
// number of blocks written.
func blockMeansVec(out, in []float32, stride, n int) int {
	if !simdActive() || (n != 2 && n != 4) {
		return 0
	}
	m := len(out) &^ 7
	if m == 0 {
		return 0
	}
	w := m * n // input values of one row that the vector loop reads
	if n == 2 {
		coarsen2Vec(out[:m], in[:w], in[stride:stride+w])
	} else {
		coarsen4Vec(out[:m], in[:w], in[stride:stride+w], in[2*stride:2*stride+w], in[3*stride:3*stride+w])
	}
	archsimd.ClearAVXUpperBits()
	return m
}

// means is mean32 on 8 lanes: float32(s/c), nan where c is 0 (zero is 0
// in every lane, nan float64(nanF32), which converts back to nanF32's
// bits).
func means(s, c, zero, nan archsimd.Float64x8) archsimd.Float32x8 {
	return nan.Merge(s.Div(c), c.Equal(zero)).ConvertToFloat32()
}

// valid8 returns x with its NaN lanes set to +0, and c plus 1 in the
// lanes where x is not NaN. (The 256-bit compare yields a vector of -1
// and 0, which the subtraction uses as it is.)
func valid8(x archsimd.Float32x8, c archsimd.Int32x8) (archsimd.Float32x8, archsimd.Int32x8) {
	ok := x.Equal(x).ToInt32x8()
	return x.AsInt32x8().And(ok).AsFloat32x8(), c.Sub(ok)
}

// coarsen2Vec writes the means of the 2x2 blocks of rows r0 and r1 (each
// 2*len(out) values, len(out) a multiple of 8) to out.
func coarsen2Vec(out, r0, r1 []float32) {
	zero, nan := archsimd.BroadcastFloat64x8(0), archsimd.BroadcastFloat64x8(float64(nanF32))
	pa, pb := archsimd.LoadUint32x8(&deint2a), archsimd.LoadUint32x8(&deint2b)
	r1 = r1[:len(r0)]
	j := 0 // the first of the 8 blocks at x
	for x := 0; x+16 <= len(r0); x += 16 {
		// cl and ch count the valid values of each input lane, for the
		// first and the second 8 values of the rows (blocks j..j+3 and
		// j+4..j+7).
		l, cl := valid8(archsimd.LoadFloat32x8Slice(r0[x:x+8]), archsimd.Int32x8{})
		h, ch := valid8(archsimd.LoadFloat32x8Slice(r0[x+8:x+16]), archsimd.Int32x8{})
		s := zero.Add(l.ConcatPermute(h, pa).ConvertToFloat64()).Add(l.ConcatPermute(h, pb).ConvertToFloat64())
		l, cl = valid8(archsimd.LoadFloat32x8Slice(r1[x:x+8]), cl)
		h, ch = valid8(archsimd.LoadFloat32x8Slice(r1[x+8:x+16]), ch)
		s = s.Add(l.ConcatPermute(h, pa).ConvertToFloat64()).Add(l.ConcatPermute(h, pb).ConvertToFloat64())
		c := cl.ConcatPermute(ch, pa).Add(cl.ConcatPermute(ch, pb))
		means(s, c.ConvertToFloat64(), zero, nan).StoreSlice(out[j : j+8])
		j += 8
	}
}

// valid16 is valid8 on 16 lanes, where the compare yields a mask
// register: the count is a masked increment (one is 1 in every lane).
func valid16(x archsimd.Float32x16, c, one archsimd.Int32x16) (archsimd.Float32x16, archsimd.Int32x16) {
	ok := x.Equal(x)
	return x.Masked(ok), c.Add(one).Merge(c, ok)
}

// addLanes adds the 8 lanes of each half of v to s, the low half first:
// both as float64.
func addLanes(s archsimd.Float64x8, v archsimd.Float32x16) archsimd.Float64x8 {
	return s.Add(v.GetLo().ConvertToFloat64()).Add(v.GetHi().ConvertToFloat64())
}

// add4 adds one row of 8 4x4 blocks, v (32 values), to the block sums s,
// and counts its valid values in cu (the first 16 values) and cw (the
// other 16); pa and pb are the lane orders deint4a and deint4b.
func add4(s archsimd.Float64x8, cu, cw archsimd.Int32x16, v []float32, one archsimd.Int32x16, pa, pb archsimd.Uint32x16) (archsimd.Float64x8, archsimd.Int32x16, archsimd.Int32x16) {
	u, cu := valid16(archsimd.LoadFloat32x16Slice(v[:16]), cu, one)
	w, cw := valid16(archsimd.LoadFloat32x16Slice(v[16:32]), cw, one)
	s = addLanes(s, u.ConcatPermute(w, pa))
	s = addLanes(s, u.ConcatPermute(w, pb))
	return s, cu, cw
}

// coarsen4Vec writes the means of the 4x4 blocks of rows r0 to r3 (each
// 4*len(out) values, len(out) a multiple of 8) to out.
func coarsen4Vec(out, r0, r1, r2, r3 []float32) {
	one := archsimd.BroadcastInt32x16(1)
	zero, nan := archsimd.BroadcastFloat64x8(0), archsimd.BroadcastFloat64x8(float64(nanF32))
	pa, pb := archsimd.LoadUint32x16(&deint4a), archsimd.LoadUint32x16(&deint4b)
	r1, r2, r3 = r1[:len(r0)], r2[:len(r0)], r3[:len(r0)]
	j := 0 // the first of the 8 blocks at x
	for x := 0; x+32 <= len(r0); x += 32 {
		// cu and cw count the valid values of each input lane, for the
		// first and the second 16 values of the rows.
		s, cu, cw := add4(zero, archsimd.Int32x16{}, archsimd.Int32x16{}, r0[x:x+32], one, pa, pb)
		s, cu, cw = add4(s, cu, cw, r1[x:x+32], one, pa, pb)
		s, cu, cw = add4(s, cu, cw, r2[x:x+32], one, pa, pb)
		s, cu, cw = add4(s, cu, cw, r3[x:x+32], one, pa, pb)
		c := cu.ConcatPermute(cw, pa).Add(cu.ConcatPermute(cw, pb))
		means(s, c.GetLo().Add(c.GetHi()).ConvertToFloat64(), zero, nan).StoreSlice(out[j : j+8])
		j += 8
	}
}
