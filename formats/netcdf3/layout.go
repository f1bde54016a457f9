package netcdf3

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"chunkpipe/formats"
)

// buildHeader lays out the file [Create] writes for spec: the header with
// every variable's offset, and the big-endian data of all variables but
// the last, which is the data variable.
func buildHeader(spec formats.CreateSpec) (*header, [][]byte, error) {
	if spec.Shape.Rows <= 0 || spec.Shape.Cols <= 0 {
		return nil, nil, fmt.Errorf("cannot write a %v array: a dimension of size 0 would be the unlimited dimension", spec.Shape)
	}
	dtype, ok := TypeOf(spec.DType)
	if !ok {
		return nil, nil, fmt.Errorf("cannot write type %v", spec.DType)
	}
	coords, err := coordsFor(spec)
	if err != nil {
		return nil, nil, fmt.Errorf("coordinates: %w", err)
	}
	if coords == nil {
		coords = &Coords{}
	}
	factor := max(spec.Factor, 1)
	var y, x *Var
	if coords.Y != nil {
		if y, err = coords.Y.fit(spec.Shape.Rows, factor); err != nil {
			return nil, nil, err
		}
	}
	if coords.X != nil {
		if x, err = coords.X.fit(spec.Shape.Cols, factor); err != nil {
			return nil, nil, err
		}
	}
	dimY, dimX := "y", "x"
	if spec.Source != nil && len(spec.Source.Dims) >= 2 {
		n := len(spec.Source.Dims)
		if a, b := spec.Source.Dims[n-2], spec.Source.Dims[n-1]; a != b && a != "" && b != "" {
			dimY, dimX = a, b
		}
	}
	if y != nil {
		dimY = y.Name
	}
	if x != nil {
		dimX = x.Name
	}
	if dimY == dimX {
		return nil, nil, fmt.Errorf("coordinates for rows and columns are both named %q", dimY)
	}
	name := spec.Variable
	if name == "" {
		name = "data"
	}

	// Every variable's type decides the version before attributes are
	// encoded, since the version decides which attribute types exist.
	small := []*Var{}
	var dimids [][]int
	if y != nil {
		small, dimids = append(small, y), append(dimids, []int{0})
	}
	if x != nil {
		small, dimids = append(small, x), append(dimids, []int{1})
	}
	for i := range coords.Scalars {
		small, dimids = append(small, &coords.Scalars[i]), append(dimids, nil)
	}
	types := []Type{dtype}
	for _, v := range small {
		t, ok := TypeOf(v.DType)
		if !ok {
			return nil, nil, fmt.Errorf("variable %s: cannot write type %v", v.Name, v.DType)
		}
		types = append(types, t)
	}
	esize := int64(spec.DType.Size())
	if int64(spec.Shape.Rows) > math.MaxInt64/esize/int64(spec.Shape.Cols) {
		return nil, nil, fmt.Errorf("a %v array of %v overflows", spec.Shape, spec.DType)
	}
	dataBytes := int64(spec.Shape.Len()) * esize
	ver, err := chooseVersion(spec, types, dataBytes)
	if err != nil {
		return nil, nil, err
	}

	h := &header{version: ver, dims: []dim{{dimY, int64(spec.Shape.Rows)}, {dimX, int64(spec.Shape.Cols)}}}
	seen := map[string]bool{}
	var data [][]byte
	for i, v := range small {
		if seen[v.Name] || v.Name == "" {
			return nil, nil, fmt.Errorf("variable name %q is empty or used twice", v.Name)
		}
		seen[v.Name] = true
		t := types[i+1]
		hv := variable{name: v.Name, dimids: dimids[i], typ: t}
		if hv.attrs, err = encodeAttrs(v.Attrs, t, ver); err != nil {
			return nil, nil, fmt.Errorf("variable %s: %w", v.Name, err)
		}
		b, err := encodeValues(v, t, len(dimids[i]) == 0)
		if err != nil {
			return nil, nil, fmt.Errorf("variable %s: %w", v.Name, err)
		}
		hv.slab = int64(len(b))
		h.vars = append(h.vars, hv)
		data = append(data, b)
	}
	if seen[name] {
		return nil, nil, fmt.Errorf("data variable name %q is also a coordinate variable's", name)
	}
	attrs := slices.Clone(spec.Attrs)
	if _, ok := attrs.Get("_FillValue"); !ok && spec.DType.IsFloat() {
		attrs = append(attrs, formats.Attr{Name: "_FillValue", Value: math.NaN()})
	}
	attrs = linkAttrs(attrs, coords, seen)
	dv := variable{name: name, dimids: []int{0, 1}, typ: dtype, slab: dataBytes}
	if dv.attrs, err = encodeAttrs(attrs, dtype, ver); err != nil {
		return nil, nil, fmt.Errorf("variable %s: %w", name, err)
	}
	h.vars = append(h.vars, dv)
	global := slices.Clone(spec.Global).Set("Conventions", "CF-1.8")
	if h.global, err = encodeAttrs(global, 0, ver); err != nil {
		return nil, nil, fmt.Errorf("global %w", err)
	}

	off := pad4(int64(len(h.encode())))
	for i := range h.vars {
		h.vars[i].begin = off
		off += pad4(h.vars[i].slab)
	}
	if ver == CDF1 && h.vars[len(h.vars)-1].begin > math.MaxInt32 {
		return nil, nil, fmt.Errorf("data at byte %d is beyond the classic format's 2 GiB offsets (use cdf2)", h.vars[len(h.vars)-1].begin)
	}
	return h, data, nil
}

// encodeAttrs encodes attributes for a variable of type varType (0 for
// global attributes).
func encodeAttrs(as formats.Attrs, varType Type, ver Version) ([]attr, error) {
	out := make([]attr, 0, len(as))
	for _, a := range as {
		if a.Name == "" {
			return nil, fmt.Errorf("attribute with an empty name")
		}
		e, err := encodeAttr(a.Name, a.Value, varType, ver)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// encodeValues converts a variable's values to big-endian type t. A
// scalar takes one value, or none for the type's default fill value.
func encodeValues(v *Var, t Type, scalar bool) ([]byte, error) {
	vals := v.Values
	if scalar && len(vals) == 0 {
		return defaultFill(t), nil
	}
	if scalar && len(vals) != 1 {
		return nil, fmt.Errorf("scalar with %d values", len(vals))
	}
	sz := t.Size()
	b := make([]byte, len(vals)*sz)
	for i, f := range vals {
		n := []number{{f: f}}
		if !allFit(n, t) {
			return nil, fmt.Errorf("value %v is not representable as %v", f, t)
		}
		putValue(t, b[i*sz:], n[0])
	}
	return b, nil
}

// defaultFill returns the NetCDF default fill value of t (NC_FILL_*) as
// one big-endian element.
func defaultFill(t Type) []byte {
	b := make([]byte, t.Size())
	switch t {
	case Byte:
		b[0] = 0x81 // -127
	case Short:
		binary.BigEndian.PutUint16(b, 0x8001) // -32767
	case Int:
		binary.BigEndian.PutUint32(b, 0x80000001) // -2147483647
	case Float:
		binary.BigEndian.PutUint32(b, 0x7cf00000) // 9.96921e+36
	case Double:
		binary.BigEndian.PutUint64(b, 0x479e000000000000) // 9.969209968386869e+36
	case Ubyte:
		b[0] = 0xff
	case Ushort:
		binary.BigEndian.PutUint16(b, 0xffff)
	case Uint:
		binary.BigEndian.PutUint32(b, 0xffffffff)
	case Int64:
		binary.BigEndian.PutUint64(b, 0x8000000000000002) // -9223372036854775806
	case Uint64:
		binary.BigEndian.PutUint64(b, 0xfffffffffffffffe)
	}
	return b
}
