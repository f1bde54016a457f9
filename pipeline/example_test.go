package pipeline_test

import (
	"context"
	"fmt"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
	"chunkpipe/synth"
)

// Run a reduction over a synthetic granule: the result is the same for any
// chunking, worker count and lock mode.
func ExampleRun() {
	shape := chunk.Shape{Rows: 300, Cols: 400}
	anchors, err := kernels.Preset("anchors") // the synthetic granule's constants
	if err != nil {
		panic(err)
	}
	chain, err := kernels.ParseChain("calibrate,stats", anchors)
	if err != nil {
		panic(err)
	}
	for _, mode := range []pipeline.LockMode{pipeline.Free, pipeline.GIL} {
		for _, c := range []chunk.Shape{{Rows: 64, Cols: 64}, {Rows: 300, Cols: 37}} {
			grid, _ := chunk.NewGrid(shape, c)
			job := pipeline.Job{Input: "synthetic", Source: synth.New(shape, 7), Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid}
			rep, err := pipeline.Run(context.Background(), job, pipeline.Config{Workers: 3, Lock: mode})
			if err != nil {
				panic(err)
			}
			fmt.Printf("%v %v: count %.0f, mean %.6f\n", mode, c, rep.Result.Values["count"], rep.Result.Values["mean"])
		}
	}
	// Output:
	// free 64x64: count 117688, mean 85.230024
	// free 300x37: count 117688, mean 85.230024
	// gil 64x64: count 117688, mean 85.230024
	// gil 300x37: count 117688, mean 85.230024
}
