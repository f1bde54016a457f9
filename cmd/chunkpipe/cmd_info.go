package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/plan"
)

// infoCmd is `chunkpipe info`.
type infoCmd struct {
	File    string `arg:"" help:"File to describe."`
	Workers int    `help:"Workers to plan the auto chunk grid for (default: number of CPUs)."`
	Brief   bool   `help:"Only the selected variable, not the whole file's structure."`
	Full    bool   `help:"Print long strings and arrays whole instead of cutting them (with a marker) at 120 bytes or 8 values."`
	inputFlags
}

// Run executes the command.
func (c *infoCmd) Run(g *globals) error {
	c.ctx = g.ctx
	r, err := c.open(c.File)
	if err != nil {
		return err
	}
	defer r.Close()
	return describe(os.Stdout, r, c.Workers, c.Brief, formats.DescribeOptions{Full: c.Full})
}

// describe prints what chunkpipe knows about the reader's file.
func describe(w io.Writer, r formats.Reader, workers int, brief bool, opts formats.DescribeOptions) error {
	info := r.Info()
	fmt.Fprintf(w, "file:     %s\nformat:   %s\n", info.Path, info.Format)
	if info.Variable != "" {
		fmt.Fprintf(w, "variable: %s\n", info.Variable)
	}
	fmt.Fprintf(w, "shape:    %v", info.Shape)
	if len(info.Dims) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(info.Dims, ", "))
	}
	fmt.Fprintf(w, "\ndtype:    %v\n", info.DType)
	if info.Storage.Rows > 0 {
		fmt.Fprintf(w, "storage:  chunks of %v\n", info.Storage)
	} else {
		fmt.Fprintf(w, "storage:  contiguous\n")
	}
	describeGrids(w, info, workers)
	printDims(w, info)
	printAttrs(w, "attributes", info.Attrs, opts)
	if s, ok := r.(formats.ScalarReader); ok && !brief {
		printAttrs(w, "scalar variables", s.Scalars(), opts)
	}
	if !brief {
		printAttrs(w, "global attributes", info.Global, opts)
		if d, ok := r.(formats.Describer); ok {
			fmt.Fprintln(w, "\nstructure:")
			if err := d.Describe(w, opts); err != nil {
				return err
			}
		}
	}
	return nil
}

// describeGrids prints the chunk grid auto chooses for each kind of output,
// from the formats' registered properties: tiled or chunked outputs, and
// outputs stored row after row.
func describeGrids(w io.Writer, info formats.Info, workers int) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var rowMajor []string
	for _, f := range formats.Formats() {
		if f.Create != nil && f.RowMajor {
			rowMajor = append(rowMajor, f.Name)
		}
	}
	e := plan.Engine{Workers: workers}
	if g, err := plan.Grid(info, e, 1, false); err == nil {
		fmt.Fprintf(w, "auto grid for %d workers: %v (%s of float32 per chunk; tiled outputs)\n", workers, g, chunk.FormatBytes(g.ChunkBytes(4)))
	}
	if g, err := plan.Grid(info, e, 1, true); err == nil && len(rowMajor) > 0 {
		fmt.Fprintf(w, "auto grid for %d workers: %v (row-major outputs: %s)\n", workers, g, strings.Join(rowMajor, ", "))
	}
}

// printDims prints the variable's dimensions with their lengths: the
// last two are the rows and columns; any before them are leading
// dimensions of length 1 that the reader drops.
func printDims(w io.Writer, info formats.Info) {
	fmt.Fprintln(w, "dimensions:")
	n := len(info.Dims)
	if n < 2 {
		fmt.Fprintf(w, "  (unnamed) rows = %d\n  (unnamed) cols = %d\n", info.Shape.Rows, info.Shape.Cols)
		return
	}
	for _, d := range info.Dims[:n-2] {
		fmt.Fprintf(w, "  %s = 1\n", d)
	}
	fmt.Fprintf(w, "  %s = %d (rows)\n  %s = %d (cols)\n", info.Dims[n-2], info.Shape.Rows, info.Dims[n-1], info.Shape.Cols)
}

func printAttrs(w io.Writer, title string, a formats.Attrs, opts formats.DescribeOptions) {
	if len(a) == 0 {
		return
	}
	fmt.Fprintf(w, "%s:\n", title)
	for _, at := range a {
		fmt.Fprintf(w, "  %s = %s\n", at.Name, opts.Value(at.Value))
	}
}
