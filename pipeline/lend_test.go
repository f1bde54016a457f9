package pipeline

import (
	"context"
	"math/rand/v2"
	"testing"

	"chunkpipe/chunk"
)

// A sink that lends its regions ([RegionLender]) receives the same bits as
// one that copies, for elementwise, stencil and block chains, ragged edges
// and 1 or 2 workers.
func TestLendingSinkSameBits(t *testing.T) {
	shape := chunk.Shape{Rows: 203, Cols: 317}
	in := granule(rand.New(rand.NewPCG(9, 9)), shape)
	for _, spec := range []string{"calibrate", "calibrate,bt", "calibrate,blur:5", "calibrate,bt,coarsen:4"} {
		chain := mustChain(t, spec)
		want := reference(t, chain, in)
		for _, w := range []int{1, 2} {
			grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 64, Cols: 48})
			sink := &viewSink{a: chunk.NewArray(chunk.Float32, chain.OutputShape(shape).Bounds())}
			job := Job{Input: "t", Source: &memSource{a: in}, Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid, Sink: sink}
			if _, err := Run(context.Background(), job, Config{Workers: w}); err != nil {
				t.Fatal(err)
			}
			if i, ok := sameBits(sink.a.Float32s(), want.Float32s()); !ok {
				t.Errorf("%s workers=%d: element %d differs", spec, w, i)
			}
		}
	}
}
