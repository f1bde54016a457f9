package main

import (
	"fmt"
	"os"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
	"chunkpipe/synth"
)

// synthCmd is `chunkpipe synth`.
type synthCmd struct {
	Output    string `short:"o" required:"" help:"Output file (.npy, .raw, or any writable format)."`
	Shape     string `help:"Granule shape ROWSxCOLS." default:"10848x10848"`
	Seed      uint64 `help:"Random seed." default:"20250101"`
	Overwrite bool   `help:"Replace an existing output."`
	Progress  string `help:"Progress display." enum:"auto,bar,log,none" default:"auto"`
}

// Run executes the command.
func (c *synthCmd) Run(g *globals) error {
	shape, err := formats.ParseShape(c.Shape)
	if err != nil {
		return usage(err)
	}
	gran := synth.New(shape, c.Seed)
	chain, _ := kernels.ParseChain("", nil)
	grid, err := chunk.Spec{Kind: chunk.SpecShape, Rows: min(1024, shape.Rows), Cols: chunk.Full}.Resolve(chunk.Layout{Shape: shape})
	if err != nil {
		return err
	}
	w, err := formats.Create(formats.CreateSpec{Path: c.Output, Shape: shape, DType: chunk.Int16, Chunk: grid.Chunk,
		Variable: "Rad", Attrs: synthAttrs(), Overwrite: c.Overwrite})
	if err != nil {
		return err
	}
	prog := newProgress(c.Progress, "synth", grid.Len(), int64(shape.Len())*2)
	rep, err := pipeline.Run(g.ctx, pipeline.Job{Input: "synthetic granule", Output: c.Output, Source: gran, Shape: shape,
		DType: chunk.Int16, Chain: chain, Grid: grid, Sink: w}, pipeline.Config{OnChunk: prog.chunkDone})
	prog.finish()
	if err != nil {
		w.Abort()
		return err
	}
	if err := w.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %v int16, seed %d, %.2fs\n", c.Output, shape, c.Seed, rep.Wall.Seconds())
	return nil
}

// synthAttrs are the CF attributes of the synthetic granule: the anchors'
// calibration constants, for formats that keep attributes.
func synthAttrs() formats.Attrs {
	return formats.Attrs{
		{Name: "long_name", Value: "synthetic ABI-like raw counts"},
		{Name: "scale_factor", Value: float64(float32(0.04572892))},
		{Name: "add_offset", Value: float64(float32(-1.6443053))},
		{Name: "_FillValue", Value: int64(synth.Fill)},
	}
}
