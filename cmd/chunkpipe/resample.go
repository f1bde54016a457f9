package main

import (
	"chunkpipe/formats"
	"chunkpipe/resample"
)

// resampleFlags are the flags of `run` that resample the input onto a map
// grid before the kernel chain runs.
type resampleFlags struct {
	Resample          string  `help:"Resample the input onto a map grid first: EPSG:CODE[:XMIN,YMIN,XMAX,YMAX]:RES, latlon[:BOUNDS]:RES, utm:ZONE{n|s}[:BOUNDS]:RES, utm:auto:RES or polar:{n|s}:RES (e.g. latlon:0.02, utm:10n:2000, EPSG:4326:-125,35,-115,42:0.02). Without bounds: the input's footprint." placeholder:"AREA"`
	ResampleMethod    string  `help:"Resampling: nearest (keeps raw counts), bilinear or average (NaN-aware block mean for downsampling); the last two give float32." enum:"nearest,bilinear,average" default:"nearest"`
	ResampleTolerance float64 `help:"Coordinate interpolation error allowed, in input pixels (gdalwarp -et); 0 or negative (--resample-tolerance=-1): project every pixel." default:"0.125"`

	common *resample.Grid // band math: the target grid of the first input, shared by the others
}

// resampled wraps in so that it reads the --resample grid, resolved over
// in's own footprint (a single input, or each file of a batch); without
// --resample it returns in. On error it closes in.
func (f *resampleFlags) resampled(in formats.Reader) (formats.Reader, error) {
	return f.wrapOrClose(in, false)
}

// resampledCommon is resampled for band math: every input goes onto the
// grid resolved over the first one's footprint, so that all share a shape.
func (f *resampleFlags) resampledCommon(in formats.Reader) (formats.Reader, error) {
	return f.wrapOrClose(in, true)
}

func (f *resampleFlags) wrapOrClose(in formats.Reader, common bool) (formats.Reader, error) {
	if f.Resample == "" {
		return in, nil
	}
	r, err := f.wrap(in, common)
	if err != nil {
		in.Close()
		return nil, err
	}
	return r, nil
}

func (f *resampleFlags) wrap(in formats.Reader, common bool) (formats.Reader, error) {
	area, err := resample.ParseArea(f.Resample)
	if err != nil {
		return nil, usage(err)
	}
	method, err := resample.ParseMethod(f.ResampleMethod)
	if err != nil {
		return nil, usage(err)
	}
	src, err := resample.SourceGrid(in.Info())
	if err != nil {
		return nil, err
	}
	var dst resample.Grid
	if common && f.common != nil {
		dst = *f.common
	} else if dst, err = area.Grid(src); err != nil {
		return nil, err
	}
	if common {
		f.common = &dst
	}
	tol := f.ResampleTolerance
	if tol == 0 {
		tol = -1 // the flag's 0 means exact, not the package's default
	}
	return resample.New(in, src, dst, resample.Options{Method: method, Tolerance: tol})
}
