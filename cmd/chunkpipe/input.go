package main

import (
	"context"
	"errors"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/plan"
)

// inputFlags are the flags that say how to open an input.
type inputFlags struct {
	Var       string   `group:"input" help:"Variable to read (NetCDF/HDF5 name or path such as /NS/SLV/zFactorCorrected; band:N for GeoTIFF)." placeholder:"NAME"`
	DType     string   `group:"input" name:"dtype" help:"Element type of a raw input (int8 ... float64)."`
	Shape     string   `group:"input" help:"Shape of a raw input, ROWSxCOLS."`
	ByteOrder string   `group:"input" help:"Byte order of a raw input." enum:"little,big" default:"little"`
	Param     []string `group:"kernels" short:"p" sep:"none" help:"Kernel parameter override, name=value (e.g. scale_factor=0.04, valid_range=0,4094); repeatable." placeholder:"K=V"`
	Preset    string   `group:"kernels" help:"Named kernel parameters under the file's own and --param: anchors (the synthetic granule's scale_factor, add_offset, _FillValue and Planck constants, for its .npy/.raw copies that keep no attributes)." placeholder:"NAME"`
	MaskDQF   int      `group:"input" name:"mask-dqf" help:"ABI: read pixels whose data quality flag (DQF) exceeds N as missing, so calibrate makes them NaN (0 keeps only good pixels; -1: off)." default:"-1" placeholder:"N"`
	// ctx bounds the fetches of remote inputs (the command's signal context).
	ctx context.Context
}

// options turns the flags into the planner's input options.
func (f *inputFlags) options() (plan.InputOptions, error) {
	o := plan.InputOptions{Variable: f.Var, MaskDQF: f.MaskDQF >= 0, MaskMax: f.MaskDQF, Context: f.ctx}
	if f.DType != "" || f.Shape != "" {
		if f.DType == "" || f.Shape == "" {
			return o, usage(errors.New("a raw input needs both --dtype and --shape"))
		}
		t, err := chunk.ParseDType(f.DType)
		if err != nil {
			return o, usage(err)
		}
		s, err := formats.ParseShape(f.Shape)
		if err != nil {
			return o, usage(err)
		}
		o.Raw = formats.RawSpec{DType: t, Shape: s, BigEndian: f.ByteOrder == "big"}
	}
	return o, nil
}

// open opens path as these flags say.
func (f *inputFlags) open(path string) (formats.Reader, error) {
	o, err := f.options()
	if err != nil {
		return nil, err
	}
	return plan.Open(path, o)
}
