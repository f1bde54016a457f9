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
	cols := dst.Rect.Cols()
	for r := dst.Rect.Row0; r < dst.Rect.Row1; r++ {
		if err := chunk.ConvertRow(row(d, dst, r, dst.Rect.Col0, cols), src, r, dst.Rect.Col0); err != nil {
			return fmt.Errorf("kernels: cannot convert %v to float32: %w", src.DType, err)
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
