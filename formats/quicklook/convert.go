package quicklook

import (
	"fmt"

	"chunkpipe/chunk"
)

// Float64Row converts global row row of a, whatever its DType, to float64
// and returns it in dst (grown when too short). Integer values of up to 53
// bits and all float values convert exactly. It panics when row is outside
// a.Rect or a.DType is not a valid element type, since both are programming
// errors; [Writer.WriteRegion] checks the type first.
func Float64Row(dst []float64, a *chunk.Array, row int) []float64 {
	if row < a.Rect.Row0 || row >= a.Rect.Row1 {
		panic(fmt.Sprintf("quicklook: row %d outside %v", row, a.Rect))
	}
	n := a.Rect.Cols()
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	if n == 0 {
		return dst
	}
	off := a.Offset(row, a.Rect.Col0)
	switch a.DType {
	case chunk.Float32:
		convert(dst, chunk.Elems[float32](a)[off:off+n])
	case chunk.Float64:
		copy(dst, chunk.Elems[float64](a)[off:off+n])
	case chunk.Int8:
		convert(dst, chunk.Elems[int8](a)[off:off+n])
	case chunk.Uint8:
		convert(dst, chunk.Elems[uint8](a)[off:off+n])
	case chunk.Int16:
		convert(dst, chunk.Elems[int16](a)[off:off+n])
	case chunk.Uint16:
		convert(dst, chunk.Elems[uint16](a)[off:off+n])
	case chunk.Int32:
		convert(dst, chunk.Elems[int32](a)[off:off+n])
	case chunk.Uint32:
		convert(dst, chunk.Elems[uint32](a)[off:off+n])
	case chunk.Int64:
		convert(dst, chunk.Elems[int64](a)[off:off+n])
	case chunk.Uint64:
		convert(dst, chunk.Elems[uint64](a)[off:off+n])
	default:
		panic(fmt.Sprintf("quicklook: cannot convert %v elements", a.DType))
	}
	return dst
}

func convert[T chunk.Number](dst []float64, src []T) {
	for i, v := range src {
		dst[i] = float64(v)
	}
}

// checkDType returns an error for element types Float64Row cannot convert.
func checkDType(t chunk.DType) error {
	if t == chunk.Invalid || t.Size() == 0 {
		return fmt.Errorf("quicklook: cannot display %v elements", t)
	}
	return nil
}
