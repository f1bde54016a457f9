package plan

import (
	"chunkpipe/formats"
	"chunkpipe/resample"
)

// Resampling describes a map grid to resample inputs onto before the
// kernel chain runs (see package resample).
type Resampling struct {
	// Area is the target grid as typed: EPSG:CODE[:BOUNDS]:RES,
	// latlon[:BOUNDS]:RES, utm:ZONE{n|s}[:BOUNDS]:RES, utm:auto:RES or
	// polar:{n|s}:RES ([resample.ParseArea]); "" for no resampling.
	// Without bounds it covers the input's footprint.
	Area string
	// Method is nearest (keeps raw counts), bilinear or average; "" is
	// nearest.
	Method string
	// Tolerance is the coordinate interpolation error allowed, in input
	// pixels (gdalwarp -et): 0 is [resample.DefaultTolerance], negative
	// projects every pixel.
	Tolerance float64
}

// resampled wraps r so that it reads the request's resampling grid (r
// itself without one). The grid covers r's own footprint, unless common,
// when every input goes onto the grid laid over the first common input's
// footprint (band math, stacks: inputs must share a shape). On error it
// closes r.
func (p *Plan) resampled(r formats.Reader, common bool) (formats.Reader, error) {
	rs := p.req.Resample
	if rs.Area == "" {
		return r, nil
	}
	out, err := p.wrapResampled(r, common)
	if err != nil {
		r.Close()
		return nil, err
	}
	return out, nil
}

func (p *Plan) wrapResampled(in formats.Reader, common bool) (formats.Reader, error) {
	rs := p.req.Resample
	area, err := resample.ParseArea(rs.Area)
	if err != nil {
		return nil, bad(err)
	}
	method := rs.Method
	if method == "" {
		method = "nearest"
	}
	m, err := resample.ParseMethod(method)
	if err != nil {
		return nil, bad(err)
	}
	src, err := resample.SourceGrid(in.Info())
	if err != nil {
		return nil, err
	}
	var dst resample.Grid
	if common && p.commonGrid != nil {
		dst = *p.commonGrid
	} else if dst, err = area.Grid(src); err != nil {
		return nil, err
	}
	if common {
		p.commonGrid = &dst
	}
	return resample.New(in, src, dst, resample.Options{Method: m, Tolerance: rs.Tolerance})
}
