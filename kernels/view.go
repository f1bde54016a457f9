package kernels

import (
	"fmt"
	"unsafe"

	"chunkpipe/chunk"
)

// view returns the elements of a as []T, checking what chunk.Elems would
// panic on (element size, alignment) and that Data holds every element of
// the strided view, so a kernel can index rows without further checks.
func view[T chunk.Number](a *chunk.Array) ([]T, error) {
	var zero T
	sz := int(unsafe.Sizeof(zero))
	if a.DType.Size() != sz {
		return nil, fmt.Errorf("kernels: %v array viewed as %d-byte elements", a.DType, sz)
	}
	if a.Rect.Empty() {
		return nil, nil
	}
	if a.Stride < a.Rect.Cols() {
		return nil, fmt.Errorf("kernels: array %v has stride %d < %d columns", a.Rect, a.Stride, a.Rect.Cols())
	}
	need := ((a.Rect.Rows()-1)*a.Stride + a.Rect.Cols()) * sz
	if len(a.Data) < need {
		return nil, fmt.Errorf("kernels: array %v holds %d bytes, needs %d", a.Rect, len(a.Data), need)
	}
	if uintptr(unsafe.Pointer(&a.Data[0]))%uintptr(sz) != 0 {
		return nil, fmt.Errorf("kernels: %v array data is not %d-byte aligned", a.DType, sz)
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&a.Data[0])), len(a.Data)/sz), nil
}

// row returns the cols elements of a's data (viewed as d) that start at
// global position (r, c).
func row[T any](d []T, a *chunk.Array, r, c, cols int) []T {
	o := (r-a.Rect.Row0)*a.Stride + (c - a.Rect.Col0)
	return d[o : o+cols : o+cols]
}

// checkGeom checks that dst is Float32 and that src covers what a kernel
// with factor f and halo h reads to produce dst: dst.Rect.Scale(f).Grow(h).
// rawOK allows any src dtype (RawInput kernels); otherwise src must be
// Float32.
func checkGeom(name string, dst, src *chunk.Array, f, h int, rawOK bool) error {
	if dst.DType != chunk.Float32 {
		return fmt.Errorf("kernels: %s: destination is %v, want float32", name, dst.DType)
	}
	if !rawOK && src.DType != chunk.Float32 {
		return fmt.Errorf("kernels: %s: source is %v, want float32", name, src.DType)
	}
	if need := dst.Rect.Scale(f).Grow(h); !src.Rect.Contains(need) {
		return fmt.Errorf("kernels: %s: source %v does not cover %v (output %v, factor %d, halo %d)", name, src.Rect, need, dst.Rect, f, h)
	}
	return nil
}

// float32Views checks geometry and returns both arrays as []float32.
func float32Views(name string, dst, src *chunk.Array, f, h int) (d, s []float32, err error) {
	if err = checkGeom(name, dst, src, f, h, false); err != nil {
		return nil, nil, err
	}
	if d, err = view[float32](dst); err != nil {
		return nil, nil, err
	}
	if s, err = view[float32](src); err != nil {
		return nil, nil, err
	}
	return d, s, nil
}

// countViews returns a 16-bit input as its raw bits and a Float32 output
// as []float32: the two views of the kernels that read raw counts through
// a table.
func countViews(dst, src *chunk.Array) (raw []uint16, d []float32, err error) {
	if raw, err = view[uint16](bitsView(src)); err != nil {
		return nil, nil, err
	}
	if d, err = view[float32](dst); err != nil {
		return nil, nil, err
	}
	return raw, d, nil
}
