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
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
)

// stackBand is one band of a stack: an input's variable or one band of a
// multi-band input, with that input's kernel parameters.
type stackBand struct {
	reader formats.Reader
	name   string
	params kernels.Params
}

// stackSource reads the same region of every band into the planes of one
// array, band k into plane k. It is safe for concurrent use, as its
// readers are.
type stackSource struct{ bands []stackBand }

// ReadRegion reads region r of each band into plane k of dst.
func (s stackSource) ReadRegion(ctx context.Context, r chunk.Region, dst *chunk.Array) error {
	for k, b := range s.bands {
		if err := b.reader.ReadRegion(ctx, r, dst.Plane(k)); err != nil {
			return fmt.Errorf("band %d (%s): %w", k+1, b.name, err)
		}
	}
	return nil
}

// stacks reports whether the request writes bands: Stack, or one
// multi-band input without a variable written to a multi-band format
// (.tif) by a chain without a reduction, outside processes mode, which
// then keeps all its bands as GDAL would.
func (p *Plan) stacks() bool {
	req := &p.req
	if req.Stack {
		return true
	}
	if len(req.Inputs) != 1 || req.Open.Variable != "" || req.Output == "" || isPattern(req.Output) || req.Engine.Lock == pipeline.Processes {
		return false
	}
	if f, err := formats.ForOutput(req.Output); err != nil || !f.MultiBand {
		return false
	}
	r, err := Open(req.Inputs[0], req.Open)
	if err != nil {
		return false // the single-file plan reports the error
	}
	defer r.Close()
	if n, _ := r.Info().Global.Float("bands"); n <= 1 {
		return false
	}
	params, err := ReadParams(r, req.Preset, req.Params)
	if err != nil {
		return false
	}
	chain, err := kernels.ParseChain(req.Kernels, params)
	return err == nil && chain.Reducer() == nil
}

// openStack opens the bands of the inputs: each input's selected variable,
// or every band of a multi-band GeoTIFF when no variable is given. All
// must have the first band's shape and type.
func (p *Plan) openStack() ([]stackBand, error) {
	req := &p.req
	var bands []stackBand
	add := func(r formats.Reader, name string) error {
		r, err := p.resampled(r, true)
		if err != nil {
			return err
		}
		p.readers = append(p.readers, r)
		params, err := ReadParams(r, req.Preset, req.Params)
		if err != nil {
			return err
		}
		bands = append(bands, stackBand{reader: r, name: name, params: params})
		first, info := bands[0].reader.Info(), r.Info()
		if info.Shape != first.Shape || info.DType != first.DType {
			return bad(fmt.Errorf("--stack: %s is %v %v, but %s is %v %v: bands of one output need one shape and type",
				inputName(info), info.Shape, info.DType, inputName(first), first.Shape, first.DType))
		}
		return nil
	}
	for _, path := range req.Inputs {
		r, err := Open(path, req.Open)
		if err != nil {
			return nil, err
		}
		stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		if s, ok := r.(formats.ScalarReader); ok {
			if b, _ := bandmath.BandName(r.Info(), s.Scalars()); b != "" {
				stem = b
			}
		}
		n, _ := r.Info().Global.Float("bands")
		if req.Open.Variable != "" || n <= 1 {
			if err := add(r, stem); err != nil {
				return nil, err
			}
			continue
		}
		// A multi-band GeoTIFF: every band, each from a reader of its own.
		r.Close()
		for k := 1; k <= int(n); k++ {
			o := req.Open
			o.Variable = fmt.Sprintf("band:%d", k)
			br, err := Open(path, o)
			if err != nil {
				return nil, err
			}
			if err := add(br, fmt.Sprintf("%s band %d", stem, k)); err != nil {
				return nil, err
			}
		}
	}
	if len(bands) < 2 {
		return nil, bad(fmt.Errorf("--stack needs several inputs or a multi-band input; %s has one band", strings.Join(req.Inputs, ", ")))
	}
	return bands, nil
}

// buildStack plans one job that writes the bands of the inputs, each
// through the kernel chain with its own parameters, as the bands of one
// output. Georeferencing and attributes come from the first band.
func (p *Plan) buildStack() error {
	req := &p.req
	if isPattern(req.Output) {
		return bad(errors.New("--stack writes one output; -o cannot be a batch pattern"))
	}
	if req.Output == "" {
		return bad(errors.New("--stack needs -o OUTPUT.tif"))
	}
	if f, err := formats.ForOutput(req.Output); err != nil {
		return bad(err)
	} else if !f.MultiBand {
		return bad(fmt.Errorf("--stack writes several bands, which %s (%s) cannot hold; write a .tif", req.Output, f.Name))
	}
	if req.Engine.Lock == pipeline.Processes {
		return bad(errors.New("--stack runs in free or gil mode; processes mode sends one plane per chunk"))
	}
	bands, err := p.openStack()
	if err != nil {
		return err
	}
	chains := make([]*kernels.Chain, len(bands))
	for k, b := range bands {
		if chains[k], err = kernels.ParseChain(req.Kernels, b.params); err != nil {
			return bad(err)
		}
	}
	chain := chains[0]
	if chain.Reducer() != nil {
		return bad(fmt.Errorf("--stack writes bands; a chain ending in %s reduces instead (run it on each input)", chain.Reducer().Name()))
	}
	info := bands[0].reader.Info()
	grid, err := Grid(info, req.Engine, chain.Factor(), RowMajor(req.Output, info))
	if err != nil {
		return err
	}
	var names []string
	for _, b := range bands {
		names = append(names, inputName(b.reader.Info()))
	}
	j := &Job{InBytes: int64(info.Shape.Len()) * int64(info.DType.Size()) * int64(len(bands)),
		Job: pipeline.Job{Input: "stack of " + strings.Join(names, ", "), Output: req.Output, Source: stackSource{bands},
			Shape: info.Shape, DType: info.DType, Planes: len(bands), OutPlanes: len(bands), PerPlane: true,
			PlaneChains: chains, Chain: chain, Params: bands[0].params, Grid: grid}}
	o := fileOutput(info, chain, grid, req.Output)
	o.history = fmt.Sprintf("chunkpipe run --stack %s --kernels %q", strings.Join(req.Inputs, " "), req.Kernels)
	for _, b := range bands {
		o.bandNames = append(o.bandNames, b.name)
	}
	if err := p.create(j, o); err != nil {
		return err
	}
	p.Jobs, p.Label = []*Job{j}, fmt.Sprintf("%d bands", len(bands))
	return nil
}
