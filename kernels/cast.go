package kernels

import (
	"fmt"

	"chunkpipe/chunk"
)

// castFloat32 writes the elements of src inside dst.Rect into dst
// (Float32), converting each stored value to float32 as numpy's
// astype(float32) does.
func castFloat32(dst, src *chunk.Array) error {
	if err := checkGeom("cast", dst, src, 1, 0, true); err != nil {
		return err
	}
	d, err := view[float32](dst)
	if err != nil {
		return err
	}
	switch src.DType {
	case chunk.Int8:
		return castRows[int8](d, dst, src)
	case chunk.Uint8:
		return castRows[uint8](d, dst, src)
	case chunk.Int16:
		return castRows[int16](d, dst, src)
	case chunk.Uint16:
		return castRows[uint16](d, dst, src)
	case chunk.Int32:
		return castRows[int32](d, dst, src)
	case chunk.Uint32:
		return castRows[uint32](d, dst, src)
	case chunk.Int64:
		return castRows[int64](d, dst, src)
	case chunk.Uint64:
		return castRows[uint64](d, dst, src)
	case chunk.Float32:
		return castRows[float32](d, dst, src)
	case chunk.Float64:
		return castRows[float64](d, dst, src)
	}
	return fmt.Errorf("kernels: cannot convert %v to float32", src.DType)
}

func castRows[T chunk.Number](d []float32, dst, src *chunk.Array) error {
	s, err := view[T](src)
	if err != nil {
		return err
	}
	cols := dst.Rect.Cols()
	for r := dst.Rect.Row0; r < dst.Rect.Row1; r++ {
		out := row(d, dst, r, dst.Rect.Col0, cols)
		in := row(s, src, r, dst.Rect.Col0, cols)
		in = in[:len(out)]
		for i, x := range in {
			out[i] = float32(x)
		}
	}
	return nil
}

// asFloat32 returns src itself when it is Float32, and otherwise src
// converted into buf (resized to src.Rect).
func asFloat32(buf, src *chunk.Array) (*chunk.Array, error) {
	if src.DType == chunk.Float32 {
		return src, nil
	}
	buf.Reset(chunk.Float32, src.Rect)
	if err := castFloat32(buf, src); err != nil {
		return nil, err
	}
	return buf, nil
}
