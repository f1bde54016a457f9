package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"chunkpipe/bandmath"
	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/quicklook"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
)

// bandOf names an input by its ABI band ("c07"), or "" when it has none.
func bandOf(info formats.Info, scalars formats.Attrs) string {
	name, _ := bandmath.BandName(info, scalars)
	return name
}

// openBands opens the band-math inputs: --band NAME=PATH pairs and plain
// paths named by their ABI band.
func (c *runCmd) openBands() ([]bandmath.Input, func(), error) {
	var readers []formats.Reader
	closeAll := func() {
		for _, r := range readers {
			r.Close()
		}
	}
	var inputs []bandmath.Input
	add := func(name, path string) error {
		r, err := c.open(path)
		if err != nil {
			return err
		}
		if r, err = c.resampledCommon(r); err != nil {
			return err
		}
		readers = append(readers, r)
		in, err := bandmath.NewInput(r, name)
		if err != nil {
			return usage(fmt.Errorf("%s: %w", path, err))
		}
		for _, kv := range c.Param {
			if err := in.Params.Set(kv, kernels.SourceFlag); err != nil {
				return usage(err)
			}
		}
		inputs = append(inputs, in)
		return nil
	}
	for _, b := range c.Band {
		name, path, ok := strings.Cut(b, "=")
		if !ok || name == "" || path == "" {
			closeAll()
			return nil, nil, usage(fmt.Errorf("--band %q: want NAME=PATH", b))
		}
		if err := add(strings.TrimSpace(name), strings.TrimSpace(path)); err != nil {
			closeAll()
			return nil, nil, err
		}
	}
	paths, err := expandInputs(c.Inputs)
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	for _, p := range paths {
		if err := add("", p); err != nil {
			closeAll()
			return nil, nil, err
		}
	}
	if len(inputs) == 0 {
		return nil, nil, usage(errors.New("band math needs inputs: --band NAME=PATH or ABI files as arguments"))
	}
	return inputs, closeAll, nil
}

// runBands evaluates --expr (any output format) or --rgb (a PNG) over
// several inputs brought to one grid.
func (c *runCmd) runBands(g *globals) error {
	if c.Expr != "" && c.RGB != "" {
		return usage(errors.New("give --expr or --rgb, not both"))
	}
	if c.Output == "" {
		return usage(errors.New("band math needs -o OUTPUT"))
	}
	inputs, closeAll, err := c.openBands()
	if err != nil {
		return err
	}
	defer closeAll()
	params := map[string]kernels.Params{}
	for _, in := range inputs {
		params[in.Name] = in.Params
	}
	src, err := bandmath.NewSource(inputs, c.Grid)
	if err != nil {
		return usage(err)
	}
	cfg, err := c.config()
	if err != nil {
		return err
	}
	c.writersFor(&cfg, c.Output)
	if cfg.Lock == pipeline.Processes {
		return usage(errors.New("band math runs in free or gil mode; processes mode re-parses chains by name and has no expression kernel"))
	}
	var first kernels.Kernel
	var outPlanes int
	var recipe bandmath.Recipe
	if c.RGB != "" {
		if !strings.EqualFold(filepath.Ext(c.Output), ".png") {
			return usage(fmt.Errorf("--rgb writes a PNG; %s is not one", c.Output))
		}
		if recipe, err = bandmath.ParseRGB(c.RGB); err != nil {
			return usage(err)
		}
		progs, err := recipe.Compile(params)
		if err != nil {
			return usage(err)
		}
		rgb, err := newRGBKernel(progs, src)
		if err != nil {
			return err
		}
		first, outPlanes = rgb, 3
	} else {
		prog, err := bandmath.Compile(c.Expr, params)
		if err != nil {
			return usage(err)
		}
		if err := src.Order(prog.Inputs()); err != nil {
			return err
		}
		first = prog
	}
	rest, err := kernels.ParseChain(c.Kernels, nil)
	if err != nil {
		return usage(err)
	}
	if outPlanes > 0 && (len(rest.Kernels()) > 0 || rest.Reducer() != nil) {
		return usage(errors.New("--rgb takes no further --kernels"))
	}
	chain, err := kernels.NewChain(rest.Reducer(), append([]kernels.Kernel{first}, rest.Kernels()...)...)
	if err != nil {
		return usage(err)
	}
	target := src.Target()
	var targetInfo formats.Info
	for _, in := range inputs {
		if in.Name == target {
			targetInfo = in.Reader.Info()
		}
	}
	info := formats.Info{Path: "band math", Shape: src.Shape(), DType: chunk.Float32, Storage: src.Storage(), Geo: targetInfo.Geo, Dims: targetInfo.Dims}
	out := c.Output
	if chain.Reducer() != nil {
		out = ""
	}
	grid, err := c.grid(info, chain, out)
	if err != nil {
		return err
	}
	name := c.Expr
	if c.RGB != "" {
		name = "rgb " + recipe.Name
	}
	job := pipeline.Job{Input: name + " over " + strings.Join(src.Names(), ","), Output: c.Output, Source: src, Shape: info.Shape,
		DType: chunk.Float32, Planes: src.Planes(), OutPlanes: outPlanes, Chain: chain, Grid: grid}
	var w formats.Writer
	switch {
	case outPlanes == 3:
		if w, err = c.compositeWriter(info, grid, recipe); err != nil {
			return err
		}
	case chain.Reducer() == nil:
		opts, err := c.writerOptions(c.Output)
		if err != nil {
			return err
		}
		ti := targetInfo
		spec := formats.CreateSpec{Path: c.Output, Shape: chain.OutputShape(info.Shape), DType: chunk.Float32,
			Chunk: chunk.Shape{Rows: grid.Chunk.Rows / chain.Factor(), Cols: grid.Chunk.Cols / chain.Factor()}, Variable: "data",
			Attrs:  formats.Attrs{{Name: "long_name", Value: c.Expr}, {Name: "_FillValue", Value: nanValue()}},
			Global: formats.Attrs{{Name: "history", Value: fmt.Sprintf("%s chunkpipe run --expr %q", time.Now().UTC().Format(time.RFC3339), c.Expr)}},
			Source: &ti, Factor: chain.Factor(), Options: opts, Overwrite: c.Overwrite}
		if w, err = formats.Create(spec); err != nil {
			return err
		}
	}
	if w != nil {
		job.Sink = w
	}
	return c.execute(g, job, cfg, w, "bands", int64(info.Shape.Len())*4*int64(src.Planes()), name)
}

// compositeWriter makes the PNG writer of an RGB recipe.
func (c *runCmd) compositeWriter(info formats.Info, grid chunk.Grid, r bandmath.Recipe) (formats.Writer, error) {
	if err := formats.CheckTarget(c.Output, c.Overwrite); err != nil {
		return nil, err
	}
	opts, err := c.writerOptions(c.Output)
	if err != nil {
		return nil, err
	}
	ro, err := quicklook.ParseRGBOptions(opts)
	if err != nil {
		return nil, usage(err)
	}
	for i, ch := range r.Channels {
		if !ch.FromData() {
			ro.Limits[i] = quicklook.Limits{Kind: quicklook.Fixed, Low: ch.Min, High: ch.Max}
		}
		if ch.Gamma > 0 {
			ro.Gamma[i] = ch.Gamma
		}
	}
	comp, err := quicklook.NewCompositeWith(formats.CreateSpec{Path: c.Output, Shape: info.Shape, DType: chunk.Float32, Chunk: grid.Chunk,
		Options: opts, Overwrite: c.Overwrite}, ro)
	if err != nil {
		return nil, err
	}
	return compositeSink{comp}, nil
}

// compositeSink writes the three planes of each region to the composite's
// red, green and blue channels.
type compositeSink struct{ *quicklook.Composite }

// WriteRegion writes plane k of a to channel k.
func (s compositeSink) WriteRegion(ctx context.Context, a *chunk.Array) error {
	for k := 0; k < 3; k++ {
		if err := s.WriteChannel(ctx, k, a.Plane(k)); err != nil {
			return err
		}
	}
	return nil
}
