package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// infoCmd is `chunkpipe info`.
type infoCmd struct {
	File    string `arg:"" help:"File to describe."`
	Workers int    `help:"Workers to plan the auto chunk grid for (default: number of CPUs)."`
	Brief   bool   `help:"Only the selected variable, not the whole file's structure."`
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
	return describe(os.Stdout, r, c.Workers, c.Brief)
}

// describe prints what chunkpipe knows about the reader's file.
func describe(w io.Writer, r formats.Reader, workers int, brief bool) error {
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
	ef := engineFlags{Chunks: "auto", Workers: workers}
	if g, err := (&ef).gridFor(info, "out.tif"); err == nil {
		fmt.Fprintf(w, "auto grid for %d workers: %v (%s of float32 per chunk; tiled outputs)\n", ef.workers(), g, chunk.FormatBytes(g.ChunkBytes(4)))
	}
	if g, err := (&ef).gridFor(info, "out.npy"); err == nil {
		fmt.Fprintf(w, "auto grid for %d workers: %v (row-major outputs: .npy, raw, NetCDF)\n", ef.workers(), g)
	}
	printAttrs(w, "attributes", info.Attrs)
	if s, ok := r.(formats.ScalarReader); ok && !brief {
		printAttrs(w, "scalar variables", s.Scalars())
	}
	if !brief {
		printAttrs(w, "global attributes", info.Global)
		if d, ok := r.(formats.Describer); ok {
			fmt.Fprintln(w, "\nstructure:")
			if err := d.Describe(w); err != nil {
				return err
			}
		}
	}
	return nil
}

func printAttrs(w io.Writer, title string, a formats.Attrs) {
	if len(a) == 0 {
		return
	}
	fmt.Fprintf(w, "%s:\n", title)
	names := make([]int, len(a))
	for i := range a {
		names[i] = i
	}
	sort.SliceStable(names, func(i, j int) bool { return false })
	for _, i := range names {
		fmt.Fprintf(w, "  %s = %s\n", a[i].Name, formatValue(a[i].Value))
	}
}

func formatValue(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) > 120 {
			x = x[:117] + "..."
		}
		return fmt.Sprintf("%q", x)
	case []float64:
		if len(x) > 8 {
			return fmt.Sprintf("%v ... (%d values)", x[:8], len(x))
		}
	case []int64:
		if len(x) > 8 {
			return fmt.Sprintf("%v ... (%d values)", x[:8], len(x))
		}
	}
	return fmt.Sprint(v)
}
