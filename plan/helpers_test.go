package plan_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	_ "chunkpipe/formats/all"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
	"chunkpipe/synth"
)

// granule writes a synthetic ABI-like granule of shape to path (its format
// from the extension) as variable Rad, with the CF attributes of raw
// counts and band 13's Planck constants (as synth writes), and returns path.
func granule(t *testing.T, path string, shape chunk.Shape) string {
	t.Helper()
	chain, err := kernels.ParseChain("", nil)
	if err != nil {
		t.Fatal(err)
	}
	grid, err := chunk.NewGrid(shape, chunk.Shape{Rows: min(256, shape.Rows), Cols: shape.Cols})
	if err != nil {
		t.Fatal(err)
	}
	w, err := formats.Create(formats.CreateSpec{Path: path, Shape: shape, DType: chunk.Int16, Chunk: grid.Chunk, Variable: "Rad",
		Attrs: formats.Attrs{
			{Name: "long_name", Value: "ABI L1b Radiances"},
			{Name: "units", Value: "mW m-2 sr-1 (cm-1)-1"},
			{Name: "scale_factor", Value: float64(float32(0.04572892))},
			{Name: "add_offset", Value: float64(float32(-1.6443053))},
			{Name: "_FillValue", Value: int64(synth.Fill)},
			// band 13's Planck constants, as `chunkpipe synth` writes them
			{Name: "planck_fk1", Value: kernels.AnchorsPlanckFK1},
			{Name: "planck_fk2", Value: kernels.AnchorsPlanckFK2},
			{Name: "planck_bc1", Value: kernels.AnchorsPlanckBC1},
			{Name: "planck_bc2", Value: kernels.AnchorsPlanckBC2},
		}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = pipeline.Run(context.Background(), pipeline.Job{Input: "synthetic", Output: path, Source: synth.New(shape, 7),
		Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid, Sink: w}, pipeline.Config{Workers: 1})
	if err != nil {
		w.Abort()
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	return path
}

// arrayBytes reads a file's whole array as bytes.
func arrayBytes(t *testing.T, path string) []byte {
	t.Helper()
	r, err := formats.Open(path, formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	a := chunk.NewArray(info.DType, info.Shape.Bounds())
	if err := r.ReadRegion(context.Background(), info.Shape.Bounds(), a); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for row := 0; row < info.Shape.Rows; row++ {
		b.Write(a.RowBytes(row))
	}
	return b.Bytes()
}

// names lists dir's entries.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// mkdir makes a fresh directory under t.TempDir().
func mkdir(t *testing.T, name string) string {
	t.Helper()
	d := filepath.Join(t.TempDir(), name)
	if err := os.Mkdir(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}
