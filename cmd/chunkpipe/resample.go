package main

import "chunkpipe/plan"

// resampleFlags are the flags of `run` that resample the input onto a map
// grid before the kernel chain runs.
type resampleFlags struct {
	Resample          string  `group:"input" help:"Resample the input onto a map grid first: EPSG:CODE[:XMIN,YMIN,XMAX,YMAX]:RES, latlon[:BOUNDS]:RES, utm:ZONE{n|s}[:BOUNDS]:RES, utm:auto:RES or polar:{n|s}:RES (e.g. latlon:0.02, utm:10n:2000, EPSG:4326:-125,35,-115,42:0.02). Without bounds: the input's footprint." placeholder:"AREA"`
	ResampleMethod    string  `group:"input" help:"Resampling: nearest (keeps raw counts), bilinear or average (NaN-aware block mean for downsampling); the last two give float32." enum:"nearest,bilinear,average" default:"nearest"`
	ResampleTolerance float64 `group:"input" help:"Coordinate interpolation error allowed, in input pixels (gdalwarp -et); 0: the default (0.125, gdalwarp's); negative (--resample-tolerance=-1): project every pixel."`
}

// resampling turns the flags into the planner's resampling request.
func (f *resampleFlags) resampling() plan.Resampling {
	return plan.Resampling{Area: f.Resample, Method: f.ResampleMethod, Tolerance: f.ResampleTolerance}
}
