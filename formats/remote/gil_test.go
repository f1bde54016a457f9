package remote_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/remote"
	"chunkpipe/formats/remote/remotetest"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
)

type discard struct{}

func (discard) WriteRegion(context.Context, *chunk.Array) error { return nil }

// Under the gil, fetches run in the read workers, outside the lock: with
// two read workers, two requests are in flight at once.
func TestGILFetchesOverlap(t *testing.T) {
	dir := t.TempDir()
	shape := chunk.Shape{Rows: 512, Cols: 512}
	a := chunk.NewArray(chunk.Int16, shape.Bounds())
	w, err := formats.Create(formats.CreateSpec{Path: filepath.Join(dir, "g.npy"), Shape: shape, DType: chunk.Int16, Chunk: shape})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRegion(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	s := remotetest.NewServer(os.DirFS(dir), 20*time.Millisecond)
	defer s.Close()
	r, err := remote.OpenReader(context.Background(), s.URLOf("g.npy"), formats.OpenOptions{}, remote.Options{SpanBytes: 4 << 10, DirectBytes: 4 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	chain, err := kernels.ParseChain("calibrate", nil)
	if err != nil {
		t.Fatal(err)
	}
	grid, err := chunk.NewGrid(shape, chunk.Shape{Rows: 32, Cols: 512})
	if err != nil {
		t.Fatal(err)
	}
	job := pipeline.Job{Input: "g", Source: r, Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid, Sink: discard{}}
	if _, err := pipeline.Run(context.Background(), job, pipeline.Config{Workers: 2, ReadWorkers: 2, Lock: pipeline.GIL}); err != nil {
		t.Fatal(err)
	}
	if got := s.MaxInFlight(); got < 2 {
		t.Errorf("at most %d request in flight with 2 read workers under the gil: fetches are serialized", got)
	}
}
