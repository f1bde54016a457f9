package netcdf3

import (
	"math"
	"slices"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

var _ formats.CFGrid = (*Coords)(nil)

// GridMapping returns the scalar variable that is the grid mapping (the
// one with a grid_mapping_name attribute), or nil.
func (c *Coords) GridMapping() *Var {
	if c == nil {
		return nil
	}
	for i := range c.Scalars {
		if _, ok := c.Scalars[i].Attrs.String("grid_mapping_name"); ok {
			return &c.Scalars[i]
		}
	}
	return nil
}

// CFGridVars implements [formats.CFGrid]: the coordinate variables fitted
// to out (block means for a coarsened output, see [Var]'s fit) and
// unpacked to float64, the grid mapping and the scalar coordinates.
func (c *Coords) CFGridVars(out chunk.Shape, factor int) (*formats.CFGridVars, error) {
	g := &formats.CFGridVars{}
	if c == nil {
		return g, nil
	}
	factor = max(factor, 1)
	if c.Y != nil {
		y, err := c.Y.fit(out.Rows, factor)
		if err != nil {
			return nil, err
		}
		g.Y = y.unpacked()
	}
	if c.X != nil {
		x, err := c.X.fit(out.Cols, factor)
		if err != nil {
			return nil, err
		}
		g.X = x.unpacked()
	}
	if m := c.GridMapping(); m != nil {
		g.Mapping = &formats.CFVar{Name: m.Name, DType: m.DType, Values: slices.Clone(m.Values), Attrs: slices.Clone(m.Attrs)}
	}
	for _, name := range c.Coordinates {
		for i := range c.Scalars {
			if s := &c.Scalars[i]; s.Name == name && len(s.Values) == 1 {
				g.Coordinates = append(g.Coordinates, *s.unpacked())
			}
		}
	}
	return g, nil
}

// unpacked returns v's values with scale_factor and add_offset applied
// (fill values as NaN) as float64, without the packing attributes. A
// variable without packing attributes keeps its type and values.
func (v *Var) unpacked() *formats.CFVar {
	packed := false
	for _, a := range v.Attrs {
		if a.Name == "scale_factor" || a.Name == "add_offset" {
			packed = true
		}
	}
	if !packed {
		return &formats.CFVar{Name: v.Name, DType: v.DType, Values: slices.Clone(v.Values), Attrs: slices.Clone(v.Attrs)}
	}
	scale, offset := 1.0, 0.0
	if s, ok := v.Attrs.Float("scale_factor"); ok {
		scale = s
	}
	if o, ok := v.Attrs.Float("add_offset"); ok {
		offset = o
	}
	fill, hasFill := v.Attrs.Float("_FillValue")
	out := &formats.CFVar{Name: v.Name, DType: chunk.Float64, Values: make([]float64, len(v.Values))}
	for _, a := range v.Attrs {
		if !packingAttrs[a.Name] {
			out.Attrs = append(out.Attrs, a)
		}
	}
	for i, x := range v.Values {
		if hasFill && x == fill {
			out.Values[i] = math.NaN()
			continue
		}
		out.Values[i] = x*scale + offset
	}
	return out
}

// linkAttrs returns the data variable's attributes with grid_mapping and
// coordinates naming only variables the output has (see
// formats.LinkCFAttrs), falling back on c's grid mapping and scalar
// coordinates.
func linkAttrs(attrs formats.Attrs, c *Coords, written map[string]bool) formats.Attrs {
	var mapping string
	if m := c.GridMapping(); m != nil {
		mapping = m.Name
	}
	var coords []string
	if c != nil {
		coords = c.Coordinates
	}
	return formats.LinkCFAttrs(attrs, mapping, coords, written)
}
