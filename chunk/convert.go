package chunk

import "fmt"

// Float is the set of float types [ConvertRow] converts to.
type Float interface {
	~float32 | ~float64
}

// ConvertRow converts the elements of a in columns [c0, c0+len(dst)) of
// global row r, whatever a's DType, to D in dst, as numpy's astype does:
// each value is rounded once to D. It returns an error when the span is
// outside a.Rect or the type is not numeric.
func ConvertRow[D Float](dst []D, a *Array, r, c0 int) error {
	if r < a.Rect.Row0 || r >= a.Rect.Row1 || c0 < a.Rect.Col0 || c0+len(dst) > a.Rect.Col1 {
		return fmt.Errorf("chunk: row %d columns [%d,%d) outside %v", r, c0, c0+len(dst), a.Rect)
	}
	if len(dst) == 0 {
		return nil
	}
	off := a.Offset(r, c0)
	n := len(dst)
	switch a.DType {
	case Int8:
		convert(dst, Elems[int8](a)[off:off+n])
	case Uint8:
		convert(dst, Elems[uint8](a)[off:off+n])
	case Int16:
		convert(dst, Elems[int16](a)[off:off+n])
	case Uint16:
		convert(dst, Elems[uint16](a)[off:off+n])
	case Int32:
		convert(dst, Elems[int32](a)[off:off+n])
	case Uint32:
		convert(dst, Elems[uint32](a)[off:off+n])
	case Int64:
		convert(dst, Elems[int64](a)[off:off+n])
	case Uint64:
		convert(dst, Elems[uint64](a)[off:off+n])
	case Float32:
		convert(dst, Elems[float32](a)[off:off+n])
	case Float64:
		convert(dst, Elems[float64](a)[off:off+n])
	default:
		return fmt.Errorf("chunk: cannot convert %v elements", a.DType)
	}
	return nil
}

func convert[D Float, S Number](dst []D, src []S) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] = D(v)
	}
}
