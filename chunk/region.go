package chunk

import "fmt"

// Shape is the size of a 2-D array in rows and columns.
type Shape struct {
	Rows, Cols int
}

// Len returns the number of elements, Rows*Cols.
func (s Shape) Len() int { return s.Rows * s.Cols }

// Bounds returns the region covering the whole shape, anchored at (0,0).
func (s Shape) Bounds() Region { return Region{0, 0, s.Rows, s.Cols} }

// String formats the shape as ROWSxCOLS, the way the command line takes it.
func (s Shape) String() string { return fmt.Sprintf("%dx%d", s.Rows, s.Cols) }

// Region is a half-open rectangle of a 2-D array in global coordinates:
// rows Row0 <= r < Row1, columns Col0 <= c < Col1. The zero Region is empty.
// Regions are values; every method returns a new Region.
type Region struct {
	Row0, Col0, Row1, Col1 int
}

// Rect returns the region of rows [r0,r1) and columns [c0,c1).
func Rect(r0, c0, r1, c1 int) Region { return Region{r0, c0, r1, c1} }

// Rows returns the number of rows the region covers (0 if empty).
func (r Region) Rows() int {
	if r.Row1 <= r.Row0 {
		return 0
	}
	return r.Row1 - r.Row0
}

// Cols returns the number of columns the region covers (0 if empty).
func (r Region) Cols() int {
	if r.Col1 <= r.Col0 {
		return 0
	}
	return r.Col1 - r.Col0
}

// Shape returns the region's size.
func (r Region) Shape() Shape { return Shape{r.Rows(), r.Cols()} }

// Len returns the number of elements in the region.
func (r Region) Len() int { return r.Rows() * r.Cols() }

// Empty reports whether the region contains no element.
func (r Region) Empty() bool { return r.Row0 >= r.Row1 || r.Col0 >= r.Col1 }

// Intersect returns the largest region contained in both r and s; it is
// empty (and then equal to the zero Region) when they do not overlap.
func (r Region) Intersect(s Region) Region {
	out := Region{max(r.Row0, s.Row0), max(r.Col0, s.Col0), min(r.Row1, s.Row1), min(r.Col1, s.Col1)}
	if out.Empty() {
		return Region{}
	}
	return out
}

// Grow returns r extended by d elements on every side (shrunk when d < 0).
// The result may extend beyond the array; use [Region.Intersect] to clip.
func (r Region) Grow(d int) Region {
	return Region{r.Row0 - d, r.Col0 - d, r.Row1 + d, r.Col1 + d}
}

// Contains reports whether s lies entirely inside r. An empty s is
// contained in every region.
func (r Region) Contains(s Region) bool {
	if s.Empty() {
		return true
	}
	return s.Row0 >= r.Row0 && s.Col0 >= r.Col0 && s.Row1 <= r.Row1 && s.Col1 <= r.Col1
}

// Overlaps reports whether r and s share at least one element.
func (r Region) Overlaps(s Region) bool { return !r.Intersect(s).Empty() }

// Scale returns r with every coordinate multiplied by n: the input region of
// an n-fold block reduction whose output is r.
func (r Region) Scale(n int) Region {
	return Region{r.Row0 * n, r.Col0 * n, r.Row1 * n, r.Col1 * n}
}

// Shrink returns r with every coordinate divided by n, rounding down: the
// output region of an n-fold block reduction whose input is r, with the excess
// rows and columns trimmed.
func (r Region) Shrink(n int) Region {
	return Region{ceilDiv(r.Row0, n), ceilDiv(r.Col0, n), r.Row1 / n, r.Col1 / n}
}

// String formats the region as (row0,col0)-(row1,col1).
func (r Region) String() string {
	return fmt.Sprintf("(%d,%d)-(%d,%d)", r.Row0, r.Col0, r.Row1, r.Col1)
}

func ceilDiv(a, b int) int {
	if a <= 0 {
		return a / b
	}
	return (a + b - 1) / b
}
