package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/kernels"
)

// inputFlags are the flags that say how to open an input.
type inputFlags struct {
	Var       string   `help:"Variable to read (NetCDF/HDF5 name or path such as /NS/SLV/zFactorCorrected; band:N for GeoTIFF)." placeholder:"NAME"`
	DType     string   `name:"dtype" help:"Element type of a raw input (int8 ... float64)."`
	Shape     string   `help:"Shape of a raw input, ROWSxCOLS."`
	ByteOrder string   `help:"Byte order of a raw input." enum:"little,big" default:"little"`
	Param     []string `short:"p" help:"Kernel parameter override, name=value (e.g. scale_factor=0.04); repeatable." placeholder:"K=V"`
	MaskDQF   int      `name:"mask-dqf" help:"ABI: read pixels whose data quality flag (DQF) exceeds N as missing, so calibrate makes them NaN (0 keeps only good pixels; -1: off)." default:"-1" placeholder:"N"`
	// ctx bounds the fetches of remote inputs (the command's signal context).
	ctx context.Context
}

// open opens path as these flags say.
func (f *inputFlags) open(path string) (formats.Reader, error) {
	opts := formats.OpenOptions{Variable: f.Var, Context: f.ctx}
	if f.MaskDQF >= 0 {
		opts.Mask, opts.MaskMax = "DQF", int64(f.MaskDQF)
	}
	if f.DType != "" || f.Shape != "" {
		if f.DType == "" || f.Shape == "" {
			return nil, usage(errors.New("a raw input needs both --dtype and --shape"))
		}
		t, err := chunk.ParseDType(f.DType)
		if err != nil {
			return nil, usage(err)
		}
		s, err := formats.ParseShape(f.Shape)
		if err != nil {
			return nil, usage(err)
		}
		opts.Raw = formats.RawSpec{DType: t, Shape: s, BigEndian: f.ByteOrder == "big"}
	}
	if _, _, ok := formats.SplitRawPath(path); !ok && opts.Raw.DType == chunk.Invalid && !formats.IsURL(path) {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("input %s: %w", path, errors.Unwrap(err))
		}
	}
	r, err := formats.Open(path, opts)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// params gathers kernel parameters: the variable's attributes, the file's
// scalar variables (ABI calibration constants), then --param overrides.
func (f *inputFlags) params(r formats.Reader) (kernels.Params, error) {
	p := kernels.Params{}
	add := func(a formats.Attrs) {
		for _, at := range a {
			switch v := at.Value.(type) {
			case string:
				p.SetText(at.Name, v, kernels.SourceFile)
			default:
				if fs, ok := (formats.Attrs{at}).Floats(at.Name); ok {
					p.SetFloats(at.Name, fs, kernels.SourceFile)
				}
			}
		}
	}
	if s, ok := r.(formats.ScalarReader); ok {
		add(s.Scalars())
	}
	add(r.Info().Attrs)
	for _, kv := range f.Param {
		if err := p.Set(kv, kernels.SourceFlag); err != nil {
			return nil, usage(err)
		}
	}
	return p, nil
}

// inputName names an input in messages: the file, and the variable if any.
func inputName(info formats.Info) string {
	if info.Variable == "" {
		return info.Path
	}
	return info.Path + ":" + strings.TrimPrefix(info.Variable, "/")
}
