package plan

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"chunkpipe/bandmath"
	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/quicklook"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
)

// openBands opens the band-math inputs: the named Bands, then the plain
// Inputs named by their ABI band. Parameters are read as for any input
// (attributes, scalar variables, overrides).
func (p *Plan) openBands() ([]bandmath.Input, error) {
	var inputs []bandmath.Input
	add := func(name, path string) error {
		r, err := Open(path, p.req.Open)
		if err != nil {
			return err
		}
		if r, err = p.resampled(r, true); err != nil {
			return err
		}
		p.readers = append(p.readers, r)
		in, err := bandmath.NewInput(r, name)
		if err != nil {
			return bad(fmt.Errorf("%s: %w", path, err))
		}
		if in.Params, err = ReadParams(r, p.req.Preset, p.req.Params); err != nil {
			return err
		}
		inputs = append(inputs, in)
		return nil
	}
	for _, b := range p.req.Bands {
		if b.Name == "" || b.Path == "" {
			return nil, bad(fmt.Errorf("--band %q=%q: want NAME=PATH", b.Name, b.Path))
		}
		if err := add(b.Name, b.Path); err != nil {
			return nil, err
		}
	}
	for _, path := range p.req.Inputs {
		if err := add("", path); err != nil {
			return nil, err
		}
	}
	if len(inputs) == 0 {
		return nil, bad(errors.New("band math needs inputs: --band NAME=PATH or ABI files as arguments"))
	}
	return inputs, nil
}

// buildBands plans the one job of --expr (any output format) or --rgb (a
// PNG) over several inputs brought to one grid.
func (p *Plan) buildBands() error {
	req := &p.req
	if req.Expr != "" && req.RGB != "" {
		return bad(errors.New("give --expr or --rgb, not both"))
	}
	if req.Output == "" {
		return bad(errors.New("band math needs -o OUTPUT"))
	}
	inputs, err := p.openBands()
	if err != nil {
		return err
	}
	params := map[string]kernels.Params{}
	for _, in := range inputs {
		params[in.Name] = in.Params
	}
	target := req.Grid
	if target == "" {
		target = "coarsest"
	}
	src, err := bandmath.NewSource(inputs, target)
	if err != nil {
		return bad(err)
	}
	if p.Config.Lock == pipeline.Processes {
		return bad(errors.New("band math runs in free or gil mode; processes mode re-parses chains by name and has no expression kernel"))
	}
	var first kernels.Kernel
	var outPlanes int
	var recipe bandmath.Recipe
	name := req.Expr
	if req.RGB != "" {
		if !strings.EqualFold(filepath.Ext(req.Output), ".png") {
			return bad(fmt.Errorf("--rgb writes a PNG; %s is not one", req.Output))
		}
		if recipe, err = bandmath.ParseRGB(req.RGB); err != nil {
			return bad(err)
		}
		progs, err := recipe.Compile(params)
		if err != nil {
			return bad(err)
		}
		rgb, err := newRGBKernel(progs, src)
		if err != nil {
			return err
		}
		first, outPlanes, name = rgb, 3, "rgb "+recipe.Name
	} else {
		prog, err := bandmath.Compile(req.Expr, params)
		if err != nil {
			return bad(err)
		}
		if err := src.Order(prog.Inputs()); err != nil {
			return err
		}
		first = prog
	}
	restParams, err := ReadParams(nil, req.Preset, req.Params)
	if err != nil {
		return err
	}
	rest, err := kernels.ParseChain(req.Kernels, restParams)
	if err != nil {
		return bad(fmt.Errorf("--kernels after band math take parameters from --param and --preset only: %w", err))
	}
	if outPlanes > 0 && (len(rest.Kernels()) > 0 || rest.Reducer() != nil) {
		return bad(errors.New("--rgb takes no further --kernels"))
	}
	chain, err := kernels.NewChain(rest.Reducer(), append([]kernels.Kernel{first}, rest.Kernels()...)...)
	if err != nil {
		return bad(err)
	}
	var targetInfo formats.Info
	for _, in := range inputs {
		if in.Name == src.Target() {
			targetInfo = in.Reader.Info()
		}
	}
	info := formats.Info{Path: "band math", Shape: src.Shape(), DType: chunk.Float32, Storage: src.Storage(), Geo: targetInfo.Geo, Dims: targetInfo.Dims}
	gridOut := req.Output
	if chain.Reducer() != nil {
		gridOut = ""
	}
	grid, err := Grid(info, req.Engine, chain.Factor(), RowMajor(gridOut, info))
	if err != nil {
		return err
	}
	j := &Job{InBytes: int64(info.Shape.Len()) * 4 * int64(src.Planes()),
		Job: pipeline.Job{Input: name + " over " + strings.Join(src.Names(), ","), Output: req.Output, Source: src, Shape: info.Shape,
			DType: chunk.Float32, Planes: src.Planes(), OutPlanes: outPlanes, Chain: chain, Grid: grid}}
	p.Jobs, p.Label = []*Job{j}, "bands"
	switch {
	case outPlanes == 3:
		return p.createComposite(j, info, grid, recipe)
	case chain.Reducer() != nil:
		if err := CheckTarget(req.Output, req.Overwrite, p.inputs()...); err != nil {
			return err
		}
		j.ResultPath = req.Output
		return nil
	}
	// The output describes the target grid's input (georeferencing), its
	// values the expression.
	o := output{path: req.Output, info: targetInfo, shape: info.Shape, inType: chunk.Float32, chain: chain, grid: grid,
		variable: "data", quantity: kernels.Quantity{LongName: req.Expr},
		history: fmt.Sprintf("chunkpipe run --expr %q", req.Expr)}
	return p.create(j, o)
}

// createComposite makes the PNG writer of an RGB recipe.
func (p *Plan) createComposite(j *Job, info formats.Info, grid chunk.Grid, r bandmath.Recipe) error {
	req := &p.req
	if err := CheckTarget(req.Output, req.Overwrite, p.inputs()...); err != nil {
		return err
	}
	opts := writerOptions(req.WriterOptions, req.Output)
	ro, err := quicklook.ParseRGBOptions(opts)
	if err != nil {
		return bad(err)
	}
	for i, ch := range r.Channels {
		if !ch.FromData() {
			ro.Limits[i] = quicklook.Limits{Kind: quicklook.Fixed, Low: ch.Min, High: ch.Max}
		}
		if ch.Gamma > 0 {
			ro.Gamma[i] = ch.Gamma
		}
	}
	comp, err := quicklook.NewCompositeWith(formats.CreateSpec{Path: req.Output, Shape: info.Shape, DType: chunk.Float32, Chunk: grid.Chunk,
		Options: opts, Overwrite: req.Overwrite}, ro)
	if err != nil {
		return err
	}
	w := compositeSink{comp}
	j.Writer, j.Sink = w, w
	return nil
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
