package kernels

import (
	"fmt"

	"chunkpipe/chunk"
)

// MaxCoarsenFactor is the largest block edge coarsen accepts.
const MaxCoarsenFactor = 4096

// Coarsen is the NaN-ignoring N x N block mean with factor N:
//
//	out[I,J] = float32(S / C),  S = sum of the non-NaN x[N*I+a, N*J+b], 0 <= a,b < N,
//	                            C = their count
//	out[I,J] = NaN              if C == 0
//
// S is a float64 sum in fixed row-major order inside the block, so the
// result depends only on the block. Rows and columns beyond the last whole
// block are dropped (dask's trim_excess); [Chain] handles that geometry.
// After a table-driven calibrate of 16-bit counts, [Chain] sums the raw
// counts' fixed-point terms in integers instead (see fixedTable), which
// is exact, and so the same bits, whenever N*N*max|x| < 2^(q+53).
// Coarsen is safe for concurrent use.
type Coarsen struct {
	n    int
	name string
}

var _ Kernel = (*Coarsen)(nil)

// NewCoarsen returns the N x N block mean; 1 <= N <= [MaxCoarsenFactor].
func NewCoarsen(n int) (*Coarsen, error) {
	if n < 1 || n > MaxCoarsenFactor {
		return nil, fmt.Errorf("kernels: coarsen factor %d must be in [1, %d]", n, MaxCoarsenFactor)
	}
	return &Coarsen{n: n, name: fmt.Sprintf("coarsen:%d", n)}, nil
}

// Name returns "coarsen:N".
func (k *Coarsen) Name() string { return k.name }

// Halo returns 0.
func (k *Coarsen) Halo() int { return 0 }

// Factor returns N.
func (k *Coarsen) Factor() int { return k.n }

// Boundary returns the zero Boundary (unused: no halo).
func (k *Coarsen) Boundary() chunk.Boundary { return chunk.Boundary{} }

// Apply averages the blocks of src (covering dst.Rect scaled by N) into dst.
func (k *Coarsen) Apply(dst, src *chunk.Array, p Pacer) error { return k.apply(dst, src, p, nil) }

func (k *Coarsen) apply(dst, src *chunk.Array, p Pacer, s *Scratch) error {
	d, sv, err := float32Views(k.name, dst, src, k.n, 0)
	if err != nil {
		return err
	}
	if s == nil {
		s = NewScratch()
	}
	n, cols := k.n, dst.Rect.Cols()
	sums, cnts := s.float64s(cols), s.int32s(cols)
	for i := dst.Rect.Row0; i < dst.Rect.Row1; i++ {
		// The n input rows of output row i, src.Stride apart.
		in := sv[src.Offset(i*n, dst.Rect.Col0*n):]
		blockMeans(row(d, dst, i, dst.Rect.Col0, cols), in, src.Stride, n, sums, cnts)
		p.Pace()
	}
	return nil
}

// blockMeans writes the means of one row of blocks: out[j] averages the
// valid values of in[r*stride+j*n : r*stride+j*n+n] for 0 <= r < n,
// added in row-major order. The vector path (blockMeansVec) takes the
// leading blocks where it has one; the rest go through blockRow, one
// input row at a time, and finishMeans, with sums and cnts (at least
// len(out) long) as their work space.
func blockMeans(out, in []float32, stride, n int, sums []float64, cnts []int32) {
	j := blockMeansVec(out, in, stride, n)
	if j == len(out) {
		return
	}
	out = out[j:]
	sums, cnts = sums[:len(out)], cnts[:len(out)]
	clear(sums)
	clear(cnts)
	for r := range n {
		blockRow(sums, cnts, in[r*stride+j*n:][:len(out)*n], n)
	}
	finishMeans(out, sums, cnts)
}

// blockRow adds one input row to the running block sums: block j gets
// in[j*n : j*n+n], valid values only, left to right. Over the n rows of a
// block row this adds each block's values in row-major order, so the sums
// do not depend on how the array was chunked.
func blockRow(sums []float64, cnts []int32, in []float32, n int) {
	cnts = cnts[:len(sums)]
	for j := range sums {
		sm, cn := sums[j], cnts[j]
		for _, x := range in[j*n : j*n+n] {
			if x == x {
				sm += float64(x)
				cn++
			}
		}
		sums[j], cnts[j] = sm, cn
	}
}

// finishMeans writes the block means, NaN where a block had no valid value.
func finishMeans(out []float32, sums []float64, cnts []int32) {
	cnts = cnts[:len(out)]
	sums = sums[:len(out)]
	for j := range out {
		out[j] = mean32(sums[j], int(cnts[j]))
	}
}

// applyTable is calibrate's table followed by the block means in one pass:
// each raw value is looked up and added into its block's sum, in the same
// order as apply adds the calibrated values, so the results are the same
// bits without the calibrated intermediate array. Up to N = 4 the n rows
// of a block row are looked up together and averaged by blockMeans (and
// its vector path); larger blocks go one input row at a time.
func (k *Coarsen) applyTable(dst, src *chunk.Array, tab []float32, p Pacer, s *Scratch) error {
	n, cols := k.n, dst.Rect.Cols()
	if src.DType.Size() != 2 || !src.Rect.Contains(dst.Rect.Scale(n)) || dst.DType != chunk.Float32 {
		return fmt.Errorf("kernels: %s: table path needs 16-bit input covering %v", k.name, dst.Rect.Scale(n))
	}
	raw, d, err := countViews(dst, src)
	if err != nil {
		return err
	}
	sums, cnts := s.float64s(cols), s.int32s(cols)
	rows := 1 // input rows looked up at once
	if n <= 4 {
		rows = n
	}
	vals := s.float32s(rows * cols * n)
	lookup := func(r int, v []float32) {
		in := raw[src.Offset(r, dst.Rect.Col0*n):][:len(v)]
		for j, x := range in {
			v[j] = tab[x]
		}
	}
	for i := dst.Rect.Row0; i < dst.Rect.Row1; i++ {
		out := d[dst.Offset(i, dst.Rect.Col0):][:cols]
		if rows == n {
			for r := range n {
				lookup(i*n+r, vals[r*cols*n:][:cols*n])
			}
			blockMeans(out, vals, cols*n, n, sums, cnts)
		} else {
			clear(sums)
			clear(cnts)
			for r := i * n; r < (i+1)*n; r++ {
				lookup(r, vals)
				blockRow(sums, cnts, vals, n)
			}
			finishMeans(out, sums, cnts)
		}
		p.Pace()
	}
	return nil
}

// applyFixed is applyTable with the block sums kept as packed fixed-point
// integers (see [fixedTable]): the same bits, as every block sum is exact,
// with one integer addition per element. ok is false, with nothing
// written, when the table's values are not exact for N*N terms.
func (k *Coarsen) applyFixed(dst, src *chunk.Array, ft *fixedTable, p Pacer, s *Scratch) (ok bool, err error) {
	n, cols := k.n, dst.Rect.Cols()
	if !ft.exactFor(n*n, n*n) {
		return false, nil
	}
	if src.DType.Size() != 2 || !src.Rect.Contains(dst.Rect.Scale(n)) || dst.DType != chunk.Float32 {
		return false, fmt.Errorf("kernels: %s: table path needs 16-bit input covering %v", k.name, dst.Rect.Scale(n))
	}
	raw, d, err := countViews(dst, src)
	if err != nil {
		return false, err
	}
	sums := s.int64s(cols)
	for i := dst.Rect.Row0; i < dst.Rect.Row1; i++ {
		in := func(k int) []uint16 { return row(raw, src, n*i+k, dst.Rect.Col0*n, cols*n) }
		switch n {
		case 2:
			blockSums2(sums, in(0), in(1), ft.terms)
		case 4:
			blockSums4(sums, in(0), in(1), in(2), in(3), ft.terms)
		default:
			clear(sums)
			for k := 0; k < n; k++ {
				blockRowFixed(sums, in(k), n, ft.terms)
			}
		}
		ft.means(row(d, dst, i, dst.Rect.Col0, cols), sums)
		p.Pace()
	}
	return true, nil
}

// blockSums2 sets the sums of the 2x2 blocks of two input rows in one
// pass, as blockSums4 does for 4x4 blocks.
func blockSums2(sums []int64, r0, r1 []uint16, terms *[1 << 16]int64) {
	m := 2 * len(sums)
	r0, r1 = r0[:m], r1[:m]
	for j := range sums {
		a, b := r0[2*j:2*j+2], r1[2*j:2*j+2]
		sums[j] = terms[a[0]] + terms[a[1]] + terms[b[0]] + terms[b[1]]
	}
}

// blockSums4 sets the sums of the 4x4 blocks of four input rows in one
// pass: each block's 16 terms are added in registers, with no partial
// sums stored between rows.
func blockSums4(sums []int64, r0, r1, r2, r3 []uint16, terms *[1 << 16]int64) {
	m := 4 * len(sums)
	r0, r1, r2, r3 = r0[:m], r1[:m], r2[:m], r3[:m]
	for j := range sums {
		a, b, c, d := r0[4*j:4*j+4], r1[4*j:4*j+4], r2[4*j:4*j+4], r3[4*j:4*j+4]
		sums[j] = terms[a[0]] + terms[a[1]] + terms[a[2]] + terms[a[3]] +
			terms[b[0]] + terms[b[1]] + terms[b[2]] + terms[b[3]] +
			terms[c[0]] + terms[c[1]] + terms[c[2]] + terms[c[3]] +
			terms[d[0]] + terms[d[1]] + terms[d[2]] + terms[d[3]]
	}
}

// blockRowFixed adds the terms of one input row to the block sums: block
// j gets in[j*n : j*n+n]. (Factors 2 and 4 go through blockSums2 and
// blockSums4 instead.)
func blockRowFixed(sums []int64, in []uint16, n int, terms *[1 << 16]int64) {
	for j := range sums {
		var t int64
		for _, x := range in[j*n : j*n+n] {
			t += terms[x]
		}
		sums[j] += t
	}
}
