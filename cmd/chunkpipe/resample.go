package main

import (
	"fmt"

	"chunkpipe/formats"
	"chunkpipe/resample"
)

// resampleFlags are the flags of `run` that resample the input onto a map
// grid before the kernel chain runs.
type resampleFlags struct {
	Resample          string  `help:"Resample the input onto a map grid first: EPSG:CODE[:XMIN,YMIN,XMAX,YMAX]:RES, latlon[:BOUNDS]:RES, utm:ZONE{n|s}[:BOUNDS]:RES, utm:auto:RES or polar:{n|s}:RES (e.g. latlon:0.02, utm:10n:2000, EPSG:4326:-125,35,-115,42:0.02). Without bounds: the input's footprint." placeholder:"AREA"`
	ResampleMethod    string  `help:"Resampling: nearest (keeps raw counts), bilinear or average (NaN-aware block mean for downsampling); the last two give float32." enum:"nearest,bilinear,average" default:"nearest"`
	ResampleTolerance float64 `help:"Coordinate interpolation error allowed, in input pixels (gdalwarp -et); 0 or negative (--resample-tolerance=-1): project every pixel." default:"0.125"`
}

// resampled wraps in so that it reads the --resample grid; without
// --resample it returns in. On error it closes in.
func (f *resampleFlags) resampled(in formats.Reader) (formats.Reader, error) {
	if f.Resample == "" {
		return in, nil
	}
	r, err := f.wrap(in)
	if err != nil {
		in.Close()
		return nil, err
	}
	return r, nil
}

func (f *resampleFlags) wrap(in formats.Reader) (formats.Reader, error) {
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
	dst, err := area.Grid(src)
	if err != nil {
		return nil, err
	}
	tol := f.ResampleTolerance
	if tol == 0 {
		tol = -1 // the flag's 0 means exact, not the package's default
	}
	return resample.New(in, src, dst, resample.Options{Method: method, Tolerance: tol})
}

// refuseResample reports a usage error when --resample is given to a mode
// it is not wired into yet (band math).
func (f *resampleFlags) refuseResample(mode string) error {
	if f.Resample != "" {
		return usage(fmt.Errorf("--resample is not available with %s yet", mode))
	}
	return nil
}
