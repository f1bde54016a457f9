package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
)

// stackFlags are run's flags for writing several bands into one output.
type stackFlags struct {
	Stack bool `help:"Write the inputs as the bands of one multi-band output (.tif): several inputs of one shape and type, each one band (or all bands of a multi-band GeoTIFF without --var). The kernels run on each band with that input's constants. One multi-band input written to a .tif keeps all its bands without --stack." group:"Bands"`
}

// stacksBands reports whether the run writes bands: --stack, or one
// multi-band input without --var written to a multi-band format (.tif) by
// a chain without a reduction, outside processes mode, which then keeps
// all its bands as GDAL would.
func (c *runCmd) stacksBands(paths []string) bool {
	if c.Stack {
		return true
	}
	if len(paths) != 1 || c.Var != "" || c.Output == "" || strings.Contains(c.Output, "{") || c.Lock == "processes" {
		return false
	}
	if f, err := formats.ForOutput(c.Output); err != nil || !f.MultiBand {
		return false
	}
	r, err := c.open(paths[0])
	if err != nil {
		return false // runOne reports the error
	}
	defer r.Close()
	if n, _ := r.Info().Global.Float("bands"); n <= 1 {
		return false
	}
	params, err := c.params(r)
	if err != nil {
		return false
	}
	chain, err := kernels.ParseChain(c.Kernels, params)
	return err == nil && chain.Reducer() == nil
}

// stackBand is one band of a stack: an input and which of its bands.
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

// openStack opens the bands of paths: each input's selected variable, or
// every band of a multi-band GeoTIFF when no --var is given. All must have
// the first band's shape and type.
func (c *runCmd) openStack(paths []string) ([]stackBand, func(), error) {
	var bands []stackBand
	closeAll := func() {
		for _, b := range bands {
			b.reader.Close()
		}
	}
	add := func(r formats.Reader, name string) error {
		params, err := c.params(r)
		if err != nil {
			r.Close()
			return err
		}
		bands = append(bands, stackBand{reader: r, name: name, params: params})
		first, info := bands[0].reader.Info(), r.Info()
		if info.Shape != first.Shape || info.DType != first.DType {
			return usage(fmt.Errorf("--stack: %s is %v %v, but %s is %v %v: bands of one output need one shape and type",
				inputName(info), info.Shape, info.DType, inputName(first), first.Shape, first.DType))
		}
		return nil
	}
	for _, path := range paths {
		r, err := c.open(path)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		if s, ok := r.(formats.ScalarReader); ok {
			if b := bandOf(r.Info(), s.Scalars()); b != "" {
				stem = b
			}
		}
		n, _ := r.Info().Global.Float("bands")
		if c.Var != "" || n <= 1 {
			if err := add(r, stem); err != nil {
				closeAll()
				return nil, nil, err
			}
			continue
		}
		// A multi-band GeoTIFF: every band, each from a reader of its own.
		r.Close()
		for k := 1; k <= int(n); k++ {
			br, err := formats.Open(path, formats.OpenOptions{Variable: fmt.Sprintf("band:%d", k)})
			if err != nil {
				closeAll()
				return nil, nil, err
			}
			if err := add(br, fmt.Sprintf("%s band %d", stem, k)); err != nil {
				closeAll()
				return nil, nil, err
			}
		}
	}
	if len(bands) < 2 {
		closeAll()
		return nil, nil, usage(fmt.Errorf("--stack needs several inputs or a multi-band input; %s has one band", strings.Join(paths, ", ")))
	}
	return bands, closeAll, nil
}

// runStack writes the bands of paths, each through the kernel chain with
// its own parameters, as the bands of one output. Georeferencing and
// attributes come from the first band.
func (c *runCmd) runStack(g *globals, paths []string) error {
	if strings.Contains(c.Output, "{") {
		return usage(errors.New("--stack writes one output; -o cannot be a batch pattern"))
	}
	if c.Output == "" {
		return usage(errors.New("--stack needs -o OUTPUT.tif"))
	}
	if f, err := formats.ForOutput(c.Output); err != nil {
		return usage(err)
	} else if !f.MultiBand {
		return usage(fmt.Errorf("--stack writes several bands, which %s (%s) cannot hold; write a .tif", c.Output, f.Name))
	}
	bands, closeAll, err := c.openStack(paths)
	if err != nil {
		return err
	}
	defer closeAll()
	chains := make([]*kernels.Chain, len(bands))
	for k, b := range bands {
		if chains[k], err = kernels.ParseChain(c.Kernels, b.params); err != nil {
			return usage(err)
		}
	}
	chain := chains[0]
	if chain.Reducer() != nil {
		return usage(fmt.Errorf("--stack writes bands; a chain ending in %s reduces instead (run it on each input)", chain.Reducer().Name()))
	}
	cfg, err := c.config()
	if err != nil {
		return err
	}
	if cfg.Lock == pipeline.Processes {
		return usage(errors.New("--stack runs in free or gil mode; processes mode sends one plane per chunk"))
	}
	c.writersFor(&cfg, c.Output)
	info := bands[0].reader.Info()
	grid, err := c.grid(info, chain, c.Output)
	if err != nil {
		return err
	}
	spec, err := c.outputSpec(info, chain, c.Output)
	if err != nil {
		return err
	}
	spec.Bands = len(bands)
	for _, b := range bands {
		spec.BandNames = append(spec.BandNames, b.name)
	}
	w, err := formats.Create(spec)
	if err != nil {
		return err
	}
	var names []string
	for _, b := range bands {
		names = append(names, inputName(b.reader.Info()))
	}
	job := pipeline.Job{Input: "stack of " + strings.Join(names, ", "), Output: c.Output, Source: stackSource{bands},
		Shape: info.Shape, DType: info.DType, Planes: len(bands), OutPlanes: len(bands), PerPlane: true,
		PlaneChains: chains, Chain: chain, Params: bands[0].params, Grid: grid, Sink: w}
	inBytes := int64(info.Shape.Len()) * int64(info.DType.Size()) * int64(len(bands))
	return c.execute(g, job, cfg, w, fmt.Sprintf("%d bands", len(bands)), inBytes, c.Kernels)
}
