package resample

import (
	"fmt"
	"math"
	"strings"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// fillSpec says which raw input values are missing: the variable's
// _FillValue and missing_value, compared after _Unsigned reinterprets
// negative integers, as netCDF4-python and the calibrate kernel do.
type fillSpec struct {
	fills    []float64
	unsigned float64 // 2^bits to add to negative integers; 0 for none
}

func newFillSpec(info formats.Info) fillSpec {
	var f fillSpec
	if u, ok := info.Attrs.String("_Unsigned"); ok && strings.EqualFold(u, "true") && !info.DType.IsFloat() {
		f.unsigned = math.Ldexp(1, 8*info.DType.Size())
	}
	for _, name := range []string{"_FillValue", "missing_value"} {
		if vs, ok := info.Attrs.Floats(name); ok {
			for _, v := range vs {
				if v < 0 && f.unsigned != 0 {
					v += f.unsigned
				}
				f.fills = append(f.fills, v)
			}
		}
	}
	return f
}

// toFloat32 converts the elements of a (a tight array: Stride equals its
// width) to dst, NaN where a value is missing.
func (f fillSpec) toFloat32(dst []float32, a *chunk.Array) error {
	switch a.DType {
	case chunk.Int8:
		toFloat32T(f, dst, chunk.Elems[int8](a))
	case chunk.Uint8:
		toFloat32T(f, dst, chunk.Elems[uint8](a))
	case chunk.Int16:
		toFloat32T(f, dst, chunk.Elems[int16](a))
	case chunk.Uint16:
		toFloat32T(f, dst, chunk.Elems[uint16](a))
	case chunk.Int32:
		toFloat32T(f, dst, chunk.Elems[int32](a))
	case chunk.Uint32:
		toFloat32T(f, dst, chunk.Elems[uint32](a))
	case chunk.Int64:
		toFloat32T(f, dst, chunk.Elems[int64](a))
	case chunk.Uint64:
		toFloat32T(f, dst, chunk.Elems[uint64](a))
	case chunk.Float32:
		toFloat32T(f, dst, chunk.Elems[float32](a))
	case chunk.Float64:
		toFloat32T(f, dst, chunk.Elems[float64](a))
	default:
		return fmt.Errorf("cannot convert %v elements", a.DType)
	}
	return nil
}

func toFloat32T[T chunk.Number](f fillSpec, dst []float32, src []T) {
	src = src[:len(dst)]
	nan := math.NaN()
	if len(f.fills) == 1 {
		// The common case (ABI: one _FillValue), without the inner loop.
		fill := f.fills[0]
		for i, x := range src {
			v := float64(x)
			if v < 0 && f.unsigned != 0 {
				v += f.unsigned
			}
			if v == fill {
				v = nan
			}
			dst[i] = float32(v)
		}
		return
	}
	for i, x := range src {
		v := float64(x)
		if v < 0 && f.unsigned != 0 {
			v += f.unsigned
		}
		for _, fv := range f.fills {
			if v == fv {
				v = nan
			}
		}
		dst[i] = float32(v)
	}
}

// fillElement returns the bytes of one element of the input's type that
// mark a missing output pixel of a nearest resampling: the input's
// _FillValue when it has one (so that calibrate turns it into NaN), else
// NaN for floating-point types and 0 for integers. A _FillValue that the
// type cannot hold is an error naming the input.
func fillElement(info formats.Info) ([]byte, error) {
	b := make([]byte, info.DType.Size())
	v, ok := info.Attrs.Float("_FillValue")
	if !ok {
		if !info.DType.IsFloat() {
			return b, nil
		}
		v = math.NaN()
	}
	if err := chunk.PutElem(b, info.DType, v); err != nil {
		return nil, fmt.Errorf("resample: %s: _FillValue: %w", info.Path, err)
	}
	return b, nil
}

// floatAttrs are the attributes of a float32 output of interpolated or
// averaged raw values: packing (scale_factor, add_offset) still applies,
// the raw-domain markers of missing data do not, and missing is NaN.
func floatAttrs(in formats.Attrs) formats.Attrs {
	var out formats.Attrs
	for _, a := range in {
		switch a.Name {
		case "_Unsigned", "valid_range", "valid_min", "valid_max", "missing_value", "_FillValue":
			continue
		}
		out = append(out, a)
	}
	return out.Set("_FillValue", math.NaN())
}
