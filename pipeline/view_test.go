package pipeline

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/npy"
)

// viewingSource lends views of an in-memory array ([RegionViewer]) and
// checks that every view is released exactly once.
type viewingSource struct {
	a           *chunk.Array
	mu          sync.Mutex
	out         map[chunk.Region]int // views not yet released, by region
	views, rels int
	copies      int
}

func (v *viewingSource) ReadRegion(_ context.Context, r chunk.Region, dst *chunk.Array) error {
	v.mu.Lock()
	v.copies++
	v.mu.Unlock()
	dst.CopyFrom(v.a.Sub(r))
	return nil
}

func (v *viewingSource) ViewRegion(r chunk.Region, dst *chunk.Array) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.views++
	v.out[r]++
	*dst = *v.a.Sub(r)
	return true
}

func (v *viewingSource) ReleaseView(r chunk.Region) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.rels++
	if v.out[r]--; v.out[r] == 0 {
		delete(v.out, r)
	}
}

// A source that lends views gives the same bits as one that copies, reads
// nothing by copy, and gets every view back, also when the run fails.
func TestViewingSourceSameBitsAndReleased(t *testing.T) {
	shape := chunk.Shape{Rows: 203, Cols: 317}
	in := granule(rand.New(rand.NewPCG(4, 4)), shape)
	for _, spec := range []string{"calibrate", "calibrate,blur:5", "calibrate,bt,coarsen:4", "calibrate,stats"} {
		chain := mustChain(t, spec)
		for _, lock := range []LockMode{Free, GIL, Processes} {
			for _, w := range []int{1, 2} {
				grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 64, Cols: 48})
				src := &viewingSource{a: in, out: map[chunk.Region]int{}}
				job := Job{Input: "t", Source: src, Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid}
				var sink *memSink
				if chain.Reducer() == nil {
					sink = newMemSink(chunk.Float32, chain.OutputShape(shape))
					job.Sink = sink
				}
				rep, err := Run(context.Background(), job, procConfig(Config{Workers: w, Lock: lock}))
				if err != nil {
					t.Fatalf("%s %v workers=%d: %v", spec, lock, w, err)
				}
				if src.copies != 0 || src.views != grid.Len() || src.rels != src.views || len(src.out) != 0 {
					t.Errorf("%s %v workers=%d: %d copies, %d views, %d releases, %d outstanding; want 0, %d, %d, 0",
						spec, lock, w, src.copies, src.views, src.rels, len(src.out), grid.Len(), grid.Len())
				}
				if sink != nil {
					if i, ok := sameBits(sink.a.Float32s(), reference(t, chain, in).Float32s()); !ok {
						t.Errorf("%s %v workers=%d: element %d differs", spec, lock, w, i)
					}
				} else if rep.Result == nil {
					t.Errorf("%s: no result", spec)
				}
			}
		}
	}
	// A failing write stops the run; the views of chunks already read are
	// released all the same.
	chain := mustChain(t, "calibrate")
	grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 16, Cols: 317})
	src := &viewingSource{a: in, out: map[chunk.Region]int{}}
	sink := newMemSink(chunk.Float32, shape)
	sink.failAt = 3
	job := Job{Input: "t", Source: src, Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid, Sink: sink}
	if _, err := Run(context.Background(), job, Config{Workers: 2}); err == nil {
		t.Fatal("a failing write gave no error")
	}
	if src.rels != src.views || len(src.out) != 0 {
		t.Errorf("after a failed run: %d views, %d releases, %d outstanding", src.views, src.rels, len(src.out))
	}
}

// A mapped .npy input that is truncated under the run fails the chunk
// that reads past the new end with an error, instead of killing the
// process with SIGBUS.
func TestTruncatedMappedInputFails(t *testing.T) {
	shape := chunk.Shape{Rows: 512, Cols: 512}
	in := granule(rand.New(rand.NewPCG(5, 5)), shape)
	path := filepath.Join(t.TempDir(), "in.npy")
	w, err := npy.Create(formats.CreateSpec{Path: path, Shape: shape, DType: chunk.Int16})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRegion(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	r, err := npy.Open(path, formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, ok := r.(RegionViewer); !ok {
		t.Fatal("the npy reader lends no views")
	}
	if err := os.Truncate(path, 4096); err != nil {
		t.Fatal(err)
	}
	grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 64, Cols: 512})
	job := Job{Input: path, Source: r, Shape: shape, DType: chunk.Int16, Chain: mustChain(t, "calibrate"), Grid: grid,
		Sink: newMemSink(chunk.Float32, shape)}
	_, err = Run(context.Background(), job, Config{Workers: 2})
	var ce *ChunkError
	if !errors.As(err, &ce) || ce.Stage != StageKernel || !strings.Contains(err.Error(), "shrank or changed") {
		t.Fatalf("err = %v, want a kernel-stage chunk error about the fault", err)
	}
}
