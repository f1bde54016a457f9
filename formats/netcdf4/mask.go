package netcdf4

import (
	"fmt"
	"math"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/hdf5"
)

// setMask prepares masking by the quality-flag variable name: pixels whose
// flag is above max (or is the flag's fill) read as the data's fill value.
func (r *Reader) setMask(name string, max int64) error {
	ds, err := r.file.Dataset(name)
	if err != nil {
		return fmt.Errorf("mask variable %q: %w", name, err)
	}
	shape, lead, err := shape2D(ds)
	if err != nil || shape != r.info.Shape || lead != r.lead {
		return fmt.Errorf("mask variable %s has shape %v, the data %v", ds.Path(), ds.Shape(), r.info.Shape)
	}
	if _, err := dtypeOf(ds.DType()); err != nil || ds.DType().Class != hdf5.ClassFixedPoint {
		return fmt.Errorf("mask variable %s is not an integer flag", ds.Path())
	}
	fill, err := fillBytes(r.info.Attrs, r.info.DType)
	if err != nil {
		return fmt.Errorf("variable %s: cannot mask without a fill value: %w", r.info.Variable, err)
	}
	r.mask, r.maskMax, r.fill = ds, max, fill
	return nil
}

// fillBytes encodes the variable's _FillValue (NaN for floats without one)
// as one element of type t in host byte order.
func fillBytes(attrs formats.Attrs, t chunk.DType) ([]byte, error) {
	v, ok := attrs.Float("_FillValue")
	if !ok {
		if !t.IsFloat() {
			return nil, fmt.Errorf("no _FillValue")
		}
		v = math.NaN()
	}
	b := make([]byte, t.Size())
	if err := chunk.PutElem(b, t, v); err != nil {
		return nil, fmt.Errorf("_FillValue: %w", err)
	}
	return b, nil
}

// applyMask overwrites masked pixels of dst with the fill value.
func (r *Reader) applyMask(reg chunk.Region, dst *chunk.Array) error {
	mt, _ := dtypeOf(r.mask.DType())
	flags := chunk.NewArray(mt, reg)
	start := make([]int, r.lead+2)
	count := make([]int, r.lead+2)
	for i := 0; i < r.lead; i++ {
		count[i] = 1
	}
	start[r.lead], start[r.lead+1] = reg.Row0, reg.Col0
	count[r.lead], count[r.lead+1] = reg.Rows(), reg.Cols()
	if err := r.mask.ReadHyperslab(start, count, flags.Data); err != nil {
		return err
	}
	unsigned := false
	if a, ok := r.mask.Attr("_Unsigned"); ok {
		s, _ := a.AsString()
		unsigned = s == "true"
	}
	var flagFill int64 = math.MinInt64
	if a, ok := r.mask.Attr("_FillValue"); ok {
		if v, ok := a.Float64(); ok {
			flagFill = int64(v)
		}
	}
	sz := dst.DType.Size()
	for row := reg.Row0; row < reg.Row1; row++ {
		for col := reg.Col0; col < reg.Col1; col++ {
			v := flagValue(flags, row, col, mt, unsigned)
			raw := flagValue(flags, row, col, mt, false)
			if v > r.maskMax || raw == flagFill {
				o := dst.Offset(row, col) * sz
				copy(dst.Data[o:o+sz], r.fill)
			}
		}
	}
	return nil
}

// flagValue reads one flag as int64, reinterpreting it as unsigned when the
// variable says so (ABI's DQF is int8 with _Unsigned = "true").
func flagValue(a *chunk.Array, row, col int, t chunk.DType, unsigned bool) int64 {
	o := a.Offset(row, col)
	switch t {
	case chunk.Int8:
		v := chunk.Elems[int8](a)[o]
		if unsigned {
			return int64(uint8(v))
		}
		return int64(v)
	case chunk.Uint8:
		return int64(chunk.Elems[uint8](a)[o])
	case chunk.Int16:
		v := chunk.Elems[int16](a)[o]
		if unsigned {
			return int64(uint16(v))
		}
		return int64(v)
	case chunk.Uint16:
		return int64(chunk.Elems[uint16](a)[o])
	case chunk.Int32:
		return int64(chunk.Elems[int32](a)[o])
	case chunk.Uint32:
		return int64(chunk.Elems[uint32](a)[o])
	}
	return int64(chunk.Elems[int64](a)[o])
}
