package kernels

import (
	"fmt"

	"chunkpipe/chunk"
)

// applyFixed is calibrate's table (with the pointwise kernels folded into
// it) followed by the blur, in one pass over the raw 16-bit counts: running
// column sums and row sums of packed fixed-point terms (see [fixedTable]).
// The result is the bits of the float path without its calibrated
// intermediate, boundary copy or exactness scan.
//
// src holds the raw counts over dst.Rect.Grow(N/2) clipped to dom, the
// stage's input domain; the halo beyond dom is made up by index (reflect,
// nearest) or by the constant's term (constant, none), as Extend would.
// ok is false, with nothing written, when the table's values are not
// exact for N or the boundary constant does not fit the table's grid.
func (k *Blur) applyFixed(dst, src *chunk.Array, ft *fixedTable, dom chunk.Region, p Pacer, s *Scratch) (ok bool, err error) {
	n, h := k.n, k.Halo()
	if !ft.exactFor(n*(n+1), n*n) {
		return false, nil
	}
	fill, fits := ft.term(k.bound.Fill())
	if !fits {
		return false, nil
	}
	need := dst.Rect.Grow(h)
	read := need.Intersect(dom)
	if src.DType.Size() != 2 || dst.DType != chunk.Float32 || read.Empty() || !src.Rect.Contains(read) {
		return false, fmt.Errorf("kernels: %s: table path needs 16-bit input covering %v, got %v %v", k.name, read, src.DType, src.Rect)
	}
	raw, d, err := countViews(dst, src)
	if err != nil {
		return false, err
	}

	// col holds the column sums of the current window over need's columns;
	// the columns inside read (col[a0:a1]) are kept by running sums, the
	// halo columns beyond dom are copied from the columns they map to.
	col := s.int64s(need.Cols())
	clear(col)
	a0, a1 := read.Col0-need.Col0, read.Col1-need.Col0
	halo := s.intSlice(need.Cols() - (a1 - a0)) // halo column -> source column in col, -1 for fill
	pos := halo[:0]
	for j := range col {
		if j >= a0 && j < a1 {
			continue
		}
		m, mapped := k.bound.Map(need.Col0+j-dom.Col0, dom.Cols())
		if !mapped {
			pos = append(pos, -1)
			continue
		}
		if m += dom.Col0 - need.Col0; m < a0 || m >= a1 {
			return false, fmt.Errorf("kernels: %s: column %d stands in for %d but is outside %v", k.name, m+need.Col0, need.Col0+j, read)
		}
		pos = append(pos, m)
	}
	// srcRow returns the counts of row r over read's columns, nil for a row
	// beyond dom that the boundary fills with its constant.
	srcRow := func(r int) ([]uint16, error) {
		m, mapped := k.bound.Map(r-dom.Row0, dom.Rows())
		if !mapped {
			return nil, nil
		}
		if m += dom.Row0; m < read.Row0 || m >= read.Row1 {
			return nil, fmt.Errorf("kernels: %s: row %d stands in for %d but is outside %v", k.name, m, r, read)
		}
		return row(raw, src, m, read.Col0, read.Cols()), nil
	}

	inner := col[a0:a1]
	for r := need.Row0; r < need.Row0+n; r++ {
		in, err := srcRow(r)
		if err != nil {
			return false, err
		}
		addColumns(inner, in, nil, fill, 0, ft.terms)
	}
	cols := dst.Rect.Cols()
	for i := dst.Rect.Row0; i < dst.Rect.Row1; i++ {
		out := row(d, dst, i, dst.Rect.Col0, cols)
		fused := false
		if i > dst.Rect.Row0 {
			add, err := srcRow(i + h)
			if err != nil {
				return false, err
			}
			sub, err := srcRow(i - h - 1)
			if err != nil {
				return false, err
			}
			if fused = add != nil && sub != nil && a1-a0 >= n; fused {
				// The windows inside read: column update, row sum and mean
				// in one pass; the few at the edges after the halo.
				fusedRowMeans(out[a0:a1-n+1], inner, add, sub, n, ft)
			} else {
				addColumns(inner, add, sub, fill, fill, ft.terms)
			}
		}
		for x, j := 0, 0; j < len(col); j++ {
			if j == a0 {
				j = a1 - 1
				continue
			}
			if m := halo[x]; m < 0 {
				col[j] = int64(n) * fill
			} else {
				col[j] = col[m]
			}
			x++
		}
		if fused {
			edgeMeans(out[:a0], col, n, ft)
			edgeMeans(out[a1-n+1:], col[a1-n+1:], n, ft)
		} else {
			rowMeansFixed(out, col, n, ft)
		}
		p.Pace()
	}
	return true, nil
}

// addColumns adds the terms of row add and subtracts those of row sub
// from the column sums col; a nil row stands for a row of the constant
// term addC (subC).
func addColumns(col []int64, add, sub []uint16, addC, subC int64, terms *[1 << 16]int64) {
	switch {
	case add != nil && sub != nil:
		add, sub = add[:len(col)], sub[:len(col)]
		for j := range col {
			col[j] += terms[add[j]] - terms[sub[j]]
		}
	case add != nil:
		add = add[:len(col)]
		for j := range col {
			col[j] += terms[add[j]] - subC
		}
	case sub != nil:
		sub = sub[:len(col)]
		for j := range col {
			col[j] += addC - terms[sub[j]]
		}
	default:
		for j := range col {
			col[j] += addC - subC
		}
	}
}

// rowMeansFixed writes the means of the N-wide running row sums of the
// column sums col (len(out) + N - 1 of them) into out, the running sum
// and the mean in one loop.
func rowMeansFixed(out []float32, col []int64, n int, ft *fixedTable) {
	var s int64
	for _, v := range col[:n-1] {
		s += v
	}
	lead, trail := col[n-1:n-1+len(out)], col[:len(out)]
	for j := range out {
		s += lead[j]
		out[j] = ft.mean(s)
		s -= trail[j]
	}
}

// fusedRowMeans moves the column sums inner down one row (adding row add,
// subtracting row sub) and writes the means of their N-wide windows into
// out (len(inner) - N + 1 of them) in the same pass: each column is
// updated just before the window that first reaches it.
func fusedRowMeans(out []float32, inner []int64, add, sub []uint16, n int, ft *fixedTable) {
	terms := ft.terms
	add, sub = add[:len(inner)], sub[:len(inner)]
	var s int64
	for k := 0; k < n-1; k++ {
		inner[k] += terms[add[k]] - terms[sub[k]]
		s += inner[k]
	}
	lead, ladd, lsub := inner[n-1:], add[n-1:], sub[n-1:]
	ladd, lsub = ladd[:len(lead)], lsub[:len(lead)]
	out, trail := out[:len(lead)], inner[:len(lead)]
	for j := range lead {
		v := lead[j] + terms[ladd[j]] - terms[lsub[j]]
		lead[j] = v
		s += v
		out[j] = ft.mean(s)
		s -= trail[j]
	}
}

// edgeMeans writes the means of the N-wide windows of col starting at
// out's positions: the few windows that reach into halo columns.
func edgeMeans(out []float32, col []int64, n int, ft *fixedTable) {
	for j := range out {
		var s int64
		for _, v := range col[j : j+n] {
			s += v
		}
		out[j] = ft.mean(s)
	}
}
