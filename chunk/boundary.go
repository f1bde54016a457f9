package chunk

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// BoundaryKind says how values beyond the edge of the array are made up for
// stencil kernels.
type BoundaryKind uint8

// The boundary modes, named as dask's map_overlap and scipy.ndimage name
// them (numpy.pad names Reflect 'symmetric').
const (
	// Reflect is half-sample symmetric reflection: index -1 maps to 0,
	// -2 to 1, n to n-1 (numpy.pad 'symmetric', scipy.ndimage 'reflect').
	Reflect BoundaryKind = iota
	// Nearest repeats the edge element.
	Nearest
	// Constant uses Boundary.Value.
	Constant
	// None treats outside elements as missing (NaN), so NaN-ignoring
	// kernels use only the elements that exist.
	None
)

// Boundary is a boundary mode with its constant value. The zero Boundary is
// Reflect.
type Boundary struct {
	Kind  BoundaryKind
	Value float64 // for Constant
}

// String returns the mode as typed: reflect, nearest, constant:V or none.
func (b Boundary) String() string {
	switch b.Kind {
	case Nearest:
		return "nearest"
	case Constant:
		return "constant:" + strconv.FormatFloat(b.Value, 'g', -1, 64)
	case None:
		return "none"
	}
	return "reflect"
}

// Set parses a mode; it implements flag.Value.
func (b *Boundary) Set(s string) error {
	p, err := ParseBoundary(s)
	if err != nil {
		return err
	}
	*b = p
	return nil
}

// ParseBoundary parses reflect, nearest, constant:VALUE (constant alone
// means 0) or none.
func ParseBoundary(s string) (Boundary, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch {
	case t == "reflect" || t == "symmetric":
		return Boundary{Kind: Reflect}, nil
	case t == "nearest" || t == "edge":
		return Boundary{Kind: Nearest}, nil
	case t == "none":
		return Boundary{Kind: None}, nil
	case t == "constant":
		return Boundary{Kind: Constant}, nil
	case strings.HasPrefix(t, "constant:"):
		v, err := strconv.ParseFloat(strings.TrimPrefix(t, "constant:"), 64)
		if err != nil {
			return Boundary{}, fmt.Errorf("chunk: bad boundary %q: constant value is not a number", s)
		}
		return Boundary{Kind: Constant, Value: v}, nil
	}
	return Boundary{}, fmt.Errorf("chunk: unknown boundary %q (want reflect, nearest, constant:VALUE or none)", s)
}

// Map maps index i of an axis of length n (n > 0) to the index whose value
// stands in for it. ok is false when the value is not taken from the array:
// Constant and None modes outside [0, n). Reflection repeats with period 2n,
// so it stays correct when the halo is wider than the array.
func (b Boundary) Map(i, n int) (j int, ok bool) {
	if i >= 0 && i < n {
		return i, true
	}
	switch b.Kind {
	case Nearest:
		if i < 0 {
			return 0, true
		}
		return n - 1, true
	case Reflect:
		p := 2 * n
		m := i % p
		if m < 0 {
			m += p
		}
		if m >= n {
			m = p - 1 - m
		}
		return m, true
	}
	return 0, false
}

// Fill returns the float32 value used where [Boundary.Map] reports !ok.
func (b Boundary) Fill() float32 {
	if b.Kind == Constant {
		return float32(b.Value)
	}
	return float32(math.NaN())
}

// Extend fills dst, a Float32 array whose Rect may reach beyond bounds,
// from src, a Float32 array that covers at least every element of
// dst.Rect that lies inside bounds and every element those outside map to.
// Elements of dst outside bounds are made up by the boundary mode b.
//
// The mapped elements of a reflected or nearest halo always lie within the
// region dst.Rect.Intersect(bounds) grown back into the array, so reading
// dst.Rect clipped to bounds is enough, whatever the halo width: this is the
// case dask's map_overlap gets wrong when the halo is wider than a
// neighbouring chunk.
func (b Boundary) Extend(dst, src *Array, bounds Region) error {
	if dst.DType != Float32 || src.DType != Float32 {
		return fmt.Errorf("chunk: Extend needs float32 arrays, got %v and %v", dst.DType, src.DType)
	}
	if bounds.Empty() {
		return fmt.Errorf("chunk: Extend over empty bounds %v", bounds)
	}
	d, s := dst.Float32s(), src.Float32s()
	fill := b.Fill()
	nr, nc := bounds.Rows(), bounds.Cols()
	// Column map, shared by every row.
	cols := make([]int, dst.Rect.Cols())
	for k := range cols {
		j, ok := b.Map(dst.Rect.Col0+k-bounds.Col0, nc)
		if !ok {
			cols[k] = -1
			continue
		}
		c := j + bounds.Col0
		if c < src.Rect.Col0 || c >= src.Rect.Col1 {
			return fmt.Errorf("chunk: Extend: column %d needed for %v is outside source %v", c, dst.Rect, src.Rect)
		}
		cols[k] = c - src.Rect.Col0
	}
	// Inner columns can be copied as one run.
	in0, in1 := -1, -1
	for k, c := range cols {
		if c >= 0 && dst.Rect.Col0+k >= bounds.Col0 && dst.Rect.Col0+k < bounds.Col1 {
			if in0 < 0 {
				in0 = k
			}
			in1 = k + 1
		}
	}
	for r := dst.Rect.Row0; r < dst.Rect.Row1; r++ {
		drow := d[(r-dst.Rect.Row0)*dst.Stride:][:dst.Rect.Cols()]
		i, ok := b.Map(r-bounds.Row0, nr)
		if !ok {
			for k := range drow {
				drow[k] = fill
			}
			continue
		}
		sr := i + bounds.Row0
		if sr < src.Rect.Row0 || sr >= src.Rect.Row1 {
			return fmt.Errorf("chunk: Extend: row %d needed for %v is outside source %v", sr, dst.Rect, src.Rect)
		}
		srow := s[(sr-src.Rect.Row0)*src.Stride:][:src.Rect.Cols()]
		for k, c := range cols {
			if k == in0 {
				copy(drow[in0:in1], srow[cols[in0]:cols[in0]+in1-in0])
				continue
			}
			if k > in0 && k < in1 {
				continue
			}
			if c < 0 {
				drow[k] = fill
			} else {
				drow[k] = srow[c]
			}
		}
	}
	return nil
}
