package netcdf3

import (
	"fmt"
	"math"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// Coords holds the variables written beside the data variable: the 1-D
// coordinate variables of its two dimensions and scalar variables such as
// ABI's goes_imager_projection, whose attributes describe the grid.
//
// The reader fills a *Coords into [formats.Info].Geo when the file has any
// of them, so a NetCDF-to-NetCDF run carries them over unchanged. For other
// sources, [WithCoords] attaches coordinates to a spec, or a converter
// registered with [formats.RegisterCFGridFunc] derives them from the source's Info.
type Coords struct {
	Y, X    *Var  // coordinate variables along rows and columns; nil when absent
	Scalars []Var // scalar variables, written in order
	// Coordinates names the scalars that are scalar coordinate variables
	// of the data (the names its coordinates attribute lists, such as
	// ABI's band_id and t); the writer lists them, with Y and X, in the
	// output variable's coordinates attribute.
	Coordinates []string
}

// Var is one coordinate or scalar variable. Values are held as float64, so
// 64-bit integer values beyond 2^53 are not exact; they are converted to
// DType when written, and must be representable in it.
type Var struct {
	Name   string
	DType  chunk.DType
	Attrs  formats.Attrs
	Values []float64 // one per element: a scalar has exactly one
}

// WithCoords returns a copy of spec whose Source carries c as its Geo, so
// that [Create] writes c. spec's own Source is not modified.
func WithCoords(spec formats.CreateSpec, c *Coords) formats.CreateSpec {
	src := formats.Info{}
	if spec.Source != nil {
		src = *spec.Source
	}
	src.Geo = c
	spec.Source = &src
	return spec
}

// coordsFor finds the coordinates to write for spec: the source's Geo when
// it is a *Coords, else what a converter registered with
// [formats.RegisterCFGridFunc] derives from the source (when that is a
// *Coords).
func coordsFor(spec formats.CreateSpec) (*Coords, error) {
	g, err := formats.CFGridOf(spec.Source)
	if g == nil || err != nil {
		return nil, err
	}
	c, _ := g.(*Coords)
	return c, nil
}

// packingAttrs describe packed integer values; they no longer apply once
// block means of the unpacked values are written as doubles.
var packingAttrs = map[string]bool{"scale_factor": true, "add_offset": true, "_FillValue": true, "missing_value": true,
	"valid_min": true, "valid_max": true, "valid_range": true, "_Unsigned": true}

// fit returns v resized to n values. When v already has n values it is
// returned unchanged. When len(v.Values)/factor == n (a coarsening by
// factor, the trailing partial block dropped as [chunk.Region.Shrink]
// does), output value i is the mean of the factor input values of block i,
// that is the coordinate of the block's centre. The means are of unpacked
// values (scale_factor and add_offset applied), written as float64 without
// the packing attributes. Other lengths are an error.
func (v *Var) fit(n, factor int) (*Var, error) {
	if len(v.Values) == n {
		return v, nil
	}
	if factor <= 1 || len(v.Values)/factor != n {
		return nil, fmt.Errorf("coordinate %s has %d values, the output dimension %d (factor %d)", v.Name, len(v.Values), n, max(factor, 1))
	}
	scale, offset := 1.0, 0.0
	if s, ok := v.Attrs.Float("scale_factor"); ok {
		scale = s
	}
	if o, ok := v.Attrs.Float("add_offset"); ok {
		offset = o
	}
	fill, hasFill := v.Attrs.Float("_FillValue")
	out := &Var{Name: v.Name, DType: chunk.Float64, Values: make([]float64, n)}
	for _, a := range v.Attrs {
		if !packingAttrs[a.Name] {
			out.Attrs = append(out.Attrs, a)
		}
	}
	for i := range out.Values {
		sum := 0.0
		for _, x := range v.Values[i*factor : (i+1)*factor] {
			if hasFill && x == fill {
				sum = math.NaN()
			}
			sum += x*scale + offset
		}
		out.Values[i] = sum / float64(factor)
	}
	return out, nil
}
