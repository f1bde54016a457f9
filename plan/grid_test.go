package plan_test

import (
	"bytes"
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/plan"
)

// Auto grids are bounded in bytes for every array width: row-major
// outputs get full-width strips only while a strip of the minimum height
// stays small; wider arrays get chunks that split the columns (fault 8:
// a 256x1000000 input with 256-row storage chunks got 1 GB chunks).
func TestAutoGridBoundedBytes(t *testing.T) {
	limit := int64(2 * chunk.DefaultAutoBytes)
	for _, c := range []struct {
		name      string
		info      formats.Info
		rowMajor  bool
		fullWidth bool // whether auto should still choose full-width strips
	}{
		{"wide with 256-row storage", formats.Info{Shape: chunk.Shape{Rows: 256, Cols: 1000000}, Storage: chunk.Shape{Rows: 256, Cols: 512}}, true, false},
		{"very wide contiguous", formats.Info{Shape: chunk.Shape{Rows: 16, Cols: 100000000}}, true, false},
		{"wide contiguous", formats.Info{Shape: chunk.Shape{Rows: 256, Cols: 1000000}}, true, true},
		{"granule", formats.Info{Shape: chunk.Shape{Rows: 10848, Cols: 10848}}, true, true},
		{"granule tiled output", formats.Info{Shape: chunk.Shape{Rows: 10848, Cols: 10848}}, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, err := plan.Grid(c.info, plan.Engine{Workers: 2}, 1, c.rowMajor)
			if err != nil {
				t.Fatal(err)
			}
			if b := g.ChunkBytes(4); b > limit {
				t.Errorf("auto grid %v: %s of float32 per chunk, more than %s", g, chunk.FormatBytes(b), chunk.FormatBytes(limit))
			}
			if full := g.Chunk.Cols == c.info.Shape.Cols; full != c.fullWidth {
				t.Errorf("auto grid %v: full width %v, want %v", g, full, c.fullWidth)
			}
		})
	}
}

// A memory limit makes auto choose smaller chunks instead of refusing;
// explicit chunks that do not fit are still refused.
func TestMemLimitPicksSmallerChunks(t *testing.T) {
	in := granule(t, filepath.Join(t.TempDir(), "scan.nc"), chunk.Shape{Rows: 2048, Cols: 2048})
	dir := mkdir(t, "out")
	eng := plan.Engine{Workers: 2, MemLimit: 2 << 20}
	p := run(t, plan.Request{Inputs: []string{in}, Output: filepath.Join(dir, "o.tif"), Kernels: "calibrate", Engine: eng})
	if b := p.Jobs[0].Grid.ChunkBytes(4); b > eng.MemLimit/4 {
		t.Errorf("grid %v under a 2MiB limit: %s per chunk", p.Jobs[0].Grid, chunk.FormatBytes(b))
	}
	eng.Chunks = chunk.Spec{Kind: chunk.SpecShape, Rows: 1024, Cols: 1024}
	q := build(t, plan.Request{Inputs: []string{in}, Output: filepath.Join(dir, "p.tif"), Kernels: "calibrate", Engine: eng})
	if _, err := q.Run(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "mem-limit") {
		t.Fatalf("explicit 1024x1024 chunks under 2MiB: error %v, want a refusal", err)
	}
	q.Close()
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("output directory holds %v, want only o.tif", got)
	}
}

// Row-major writers (npy, raw, NetCDF classic) write chunks narrower than
// the array as they write full-width strips.
func TestRowMajorWritersTakeNarrowChunks(t *testing.T) {
	in := granule(t, filepath.Join(t.TempDir(), "scan.nc"), chunk.Shape{Rows: 200, Cols: 300})
	for _, ext := range []string{".npy", ".raw", ".nc"} {
		dir := mkdir(t, "out"+ext)
		full := filepath.Join(dir, "full"+ext)
		narrow := filepath.Join(dir, "narrow"+ext)
		strips := chunk.Spec{Kind: chunk.SpecShape, Rows: 16, Cols: chunk.Full}
		tiles := chunk.Spec{Kind: chunk.SpecShape, Rows: 48, Cols: 64}
		run(t, plan.Request{Inputs: []string{in}, Output: full, Kernels: "calibrate", Engine: plan.Engine{Chunks: strips}})
		run(t, plan.Request{Inputs: []string{in}, Output: narrow, Kernels: "calibrate", Engine: plan.Engine{Chunks: tiles, Workers: 3}})
		if ext == ".raw" {
			full, narrow = full+":float32:200x300", narrow+":float32:200x300"
		}
		if !bytes.Equal(arrayBytes(t, full), arrayBytes(t, narrow)) {
			t.Errorf("%s: 48x64 chunks wrote other values than full-width strips", ext)
		}
	}
}

// Worker counts far beyond the CPUs and chunks are lowered, with a note
// (fault 10: --workers 1e7 took 17 GB).
func TestWorkersCapped(t *testing.T) {
	in := granule(t, filepath.Join(t.TempDir(), "scan.nc"), chunk.Shape{Rows: 64, Cols: 64})
	out := filepath.Join(mkdir(t, "out"), "o.npy")
	p := run(t, plan.Request{Inputs: []string{in}, Output: out, Kernels: "calibrate", Engine: plan.Engine{Workers: 10000000, ReadWorkers: 1 << 40}})
	limit := plan.MaxWorkersPerCPU * runtime.NumCPU()
	if p.Config.Workers > limit || p.Config.ReadWorkers > limit || p.Config.Workers < 1 {
		t.Errorf("workers %d, read workers %d; want at most %d", p.Config.Workers, p.Config.ReadWorkers, limit)
	}
	if len(p.Notes) == 0 || !strings.Contains(strings.Join(p.Notes, "\n"), "--workers 10000000") {
		t.Errorf("notes %q, want one about --workers", p.Notes)
	}
	// Counts a machine can use stay as asked.
	q := build(t, plan.Request{Inputs: []string{in}, Output: filepath.Join(mkdir(t, "q"), "o.npy"), Kernels: "calibrate", Engine: plan.Engine{Workers: 3}})
	if q.Config.Workers != 3 || len(q.Notes) != 0 {
		t.Errorf("--workers 3: workers %d, notes %q", q.Config.Workers, q.Notes)
	}
}
