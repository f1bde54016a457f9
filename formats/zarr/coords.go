package zarr

import (
	"fmt"
	"slices"
	"strings"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// gridArray is a small array written beside the data array to carry its
// grid: a 1-D coordinate variable (x, y), the 0-D grid-mapping variable or
// a 0-D scalar coordinate. Each is stored as one uncompressed chunk "0".
type gridArray struct {
	v    formats.CFVar
	dims []string // its _ARRAY_DIMENSIONS: [name] for 1-D, [] for 0-D
}

// gridArrays lists the arrays that carry g beside the data array name, in
// the order written. A grid variable named like the data array is an error.
func gridArrays(g *formats.CFGridVars, name string) ([]gridArray, error) {
	var out []gridArray
	for _, v := range []*formats.CFVar{g.Y, g.X} {
		if v != nil {
			out = append(out, gridArray{v: *v, dims: []string{v.Name}})
		}
	}
	if g.Mapping != nil {
		out = append(out, gridArray{v: *g.Mapping, dims: []string{}})
	}
	for _, v := range g.Coordinates {
		out = append(out, gridArray{v: v, dims: []string{}})
	}
	seen := map[string]bool{name: true}
	for _, a := range out {
		if a.v.Name == "" || strings.ContainsAny(a.v.Name, "/\\") || strings.HasPrefix(a.v.Name, ".") {
			return nil, fmt.Errorf("grid variable name %q is not one path element", a.v.Name)
		}
		if seen[a.v.Name] {
			return nil, fmt.Errorf("grid variable %q clashes with another array of the store", a.v.Name)
		}
		seen[a.v.Name] = true
		if len(a.dims) == 0 && len(a.v.Values) != 1 {
			return nil, fmt.Errorf("scalar %s has %d values", a.v.Name, len(a.v.Values))
		}
		if a.v.DType.Size() == 0 {
			return nil, fmt.Errorf("grid variable %s has no element type", a.v.Name)
		}
	}
	return out, nil
}

// docs returns the array's .zarray and .zattrs and its one chunk, stored
// little-endian.
func (a gridArray) docs() (zarray, zattrs, data []byte, err error) {
	t := a.v.DType
	n := len(a.v.Values)
	shape := []int{}
	if len(a.dims) == 1 {
		shape = []int{n}
	}
	fill := any(nil)
	if t.IsFloat() {
		fill = "NaN"
	}
	zarray, err = marshalDoc(map[string]any{
		"zarr_format": 2,
		"shape":       shape,
		"chunks":      shape,
		"dtype":       elemType{DType: t}.String(),
		"compressor":  nil,
		"fill_value":  fill,
		"order":       "C",
		"filters":     nil,
	})
	if err != nil {
		return nil, nil, nil, err
	}
	data = make([]byte, n*t.Size())
	for i, v := range a.v.Values {
		if err := putLE(data[i*t.Size():], t, v); err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", a.v.Name, err)
		}
	}
	attrs := slices.DeleteFunc(slices.Clone(a.v.Attrs), func(x formats.Attr) bool { return x.Name == "_FillValue" })
	return zarray, marshalAttrs(attrs, a.dims), data, nil
}

// putLE stores v as one little-endian element of type t at the start of b.
func putLE(b []byte, t chunk.DType, v float64) error { return chunk.PutElem(b, t, v) }

// linkGrid returns the data array's attributes with grid_mapping and
// coordinates naming the grid arrays written (input attributes that name
// arrays the store lacks are dropped), and its dimension names: those of
// the coordinate arrays, so that xarray attaches them.
func linkGrid(attrs formats.Attrs, dims []string, g *formats.CFGridVars, written map[string]bool) (formats.Attrs, []string) {
	dims = slices.Clone(dims)
	if g.Y != nil {
		dims[0] = g.Y.Name
	}
	if g.X != nil {
		dims[1] = g.X.Name
	}
	var mapping string
	if g.Mapping != nil {
		mapping = g.Mapping.Name
	}
	coords := make([]string, len(g.Coordinates))
	for i, v := range g.Coordinates {
		coords[i] = v.Name
	}
	return formats.LinkCFAttrs(attrs, mapping, coords, written), dims
}
