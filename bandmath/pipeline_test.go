package bandmath

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
)

// arraySink assembles written regions into one float32 array.
type arraySink struct {
	mu sync.Mutex
	a  *chunk.Array
}

func (s *arraySink) WriteRegion(_ context.Context, a *chunk.Array) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.a.CopyFrom(a)
	return nil
}

// Mixing the 1 km band 5 with the 2 km bands 6 and 7 through the pipeline
// gives bit-identical output for any chunking, worker count and lock mode,
// on the coarsest and on the finest grid.
func TestMixedGridsAnyChunking(t *testing.T) {
	ins, params := realInputs(t, "C05", "C06", "C07")
	rng := rand.New(rand.NewPCG(21, 22))
	for _, grid := range []string{GridCoarsest, GridFinest} {
		src, err := NewSource(ins, grid)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := Compile("reflectance(c05) - reflectance(c06) + bt(c07) / 1000", params)
		if err != nil {
			t.Fatal(err)
		}
		if err := src.Order(prog.Inputs()); err != nil {
			t.Fatal(err)
		}
		chain, err := kernels.NewChain(nil, prog)
		if err != nil {
			t.Fatal(err)
		}
		shape := src.Shape()
		run := func(spec chunk.Spec, workers int, mode pipeline.LockMode) *chunk.Array {
			g, err := spec.Resolve(chunk.Layout{Shape: shape, ElemBytes: 4, Storage: src.Storage(), Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			sink := &arraySink{a: chunk.NewArray(chunk.Float32, shape.Bounds())}
			job := pipeline.Job{Input: "c05,c06,c07", Source: src, Shape: shape, DType: chunk.Float32, Planes: src.Planes(),
				Chain: chain, Grid: g, Sink: sink}
			if _, err := pipeline.Run(context.Background(), job, pipeline.Config{Workers: workers, Lock: mode}); err != nil {
				t.Fatalf("%s grid, %v, %d workers, %v: %v", grid, g, workers, mode, err)
			}
			return sink.a
		}
		want := run(chunk.Spec{Kind: chunk.SpecShape, Rows: chunk.Full, Cols: chunk.Full}, 1, pipeline.Free)
		finite := 0
		for _, v := range want.Float32s() {
			if !math.IsNaN(float64(v)) {
				finite++
			}
		}
		if finite < shape.Len()/2 {
			t.Fatalf("%s grid: only %d of %d values are finite", grid, finite, shape.Len())
		}
		for trial := 0; trial < 4; trial++ {
			spec := chunk.Spec{Kind: chunk.SpecShape, Rows: 24 + rng.IntN(shape.Rows/2), Cols: 24 + rng.IntN(shape.Cols/2)}
			workers := 1 + rng.IntN(6)
			mode := []pipeline.LockMode{pipeline.Free, pipeline.GIL}[trial%2]
			got := run(spec, workers, mode)
			for i, v := range got.Float32s() {
				if math.Float32bits(v) != math.Float32bits(want.Float32s()[i]) {
					t.Fatalf("%s grid, chunks %v, %d workers, %v: element %d is %v, single chunk %v", grid, spec, workers, mode, i, v, want.Float32s()[i])
				}
			}
		}
	}
}
