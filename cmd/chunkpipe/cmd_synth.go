package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

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
	if !keepsAttrs(c.Output) {
		fmt.Fprintf(os.Stderr, "note: %s keeps no attributes; calibrate and bt read the granule's constants with --preset anchors\n", c.Output)
	}
	return nil
}

// keepsAttrs reports whether the output format of path stores variable
// attributes (NetCDF, Zarr, HDF5 do; .npy and raw files do not).
func keepsAttrs(path string) bool {
	switch strings.ToLower(filepath.Ext(strings.TrimRight(path, "/"))) {
	case ".npy", ".raw", ".bin", ".dat", ".tif", ".tiff", ".png":
		return false
	}
	return true
}

// synthAttrs are the attributes of the synthetic granule, for formats
// that keep attributes: the "anchors" preset (CF calibration and the
// band-13 Planck constants bt reads), so that a run on the file needs no
// --preset.
func synthAttrs() formats.Attrs {
	attrs := formats.Attrs{{Name: "long_name", Value: "synthetic ABI-like raw counts"}}
	anchors, _ := kernels.Preset("anchors")
	for _, name := range anchors.Names() {
		v, _ := anchors.Float(name)
		if name == "_FillValue" {
			attrs = append(attrs, formats.Attr{Name: name, Value: int64(synth.Fill)})
			continue
		}
		attrs = append(attrs, formats.Attr{Name: name, Value: v})
	}
	return attrs
}
