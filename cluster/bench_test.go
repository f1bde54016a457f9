package cluster

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/pipeline"
)

// BenchmarkTaskOverhead measures what a chunk costs on the cluster beyond
// its work: a 512x512 int16 .npy converted unchanged to .npy in 16x16
// chunks (1024 chunks of 512 bytes), on an embedded server with one
// in-process worker of two task slots, against a local pipeline run of the
// same job. us/chunk is wall time per chunk; tasks batch 1 or 16 chunks of
// a chunk row, and the worker prefetches 2 tasks per slot.
func BenchmarkTaskOverhead(b *testing.B) {
	dir := b.TempDir()
	in := synthInput(b, dir, 512, ".npy", nil)
	g, err := chunk.NewGrid(chunk.Shape{Rows: 512, Cols: 512}, chunk.Shape{Rows: 16, Cols: 16})
	if err != nil {
		b.Fatal(err)
	}
	job := Job{Input: Input{Path: in}, Chain: "", Grid: g}
	srv, err := StartServer(b.TempDir(), 0)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Shutdown()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, WorkerConfig{URL: srv.URL(), Workers: 2, Name: "bench"}) }()
	defer func() { cancel(); <-done }()

	perChunk := func(b *testing.B, t0 time.Time) {
		b.ReportMetric(float64(time.Since(t0).Microseconds())/float64(b.N*g.Len()), "us/chunk")
	}
	b.Run("local", func(b *testing.B) {
		b.ReportAllocs()
		t0 := time.Now()
		for i := range b.N {
			j := job
			j.Output = outputSpecFor(b, job, filepath.Join(dir, fmt.Sprintf("local%d.npy", i)))
			j.Output.Overwrite = true
			rebuilt, err := rebuild(&spec{Input: j.Input, Chain: j.Chain, Grid: j.Grid})
			if err != nil {
				b.Fatal(err)
			}
			w, err := formats.Create(*j.Output)
			if err != nil {
				b.Fatal(err)
			}
			pj := pipeline.Job{Input: in, Source: rebuilt.reader, Shape: g.Shape, DType: rebuilt.info.DType, Chain: rebuilt.chain, Grid: g, Sink: w}
			if _, err := pipeline.Run(ctx, pj, pipeline.Config{Workers: 2}); err != nil {
				b.Fatal(err)
			}
			w.Commit()
			rebuilt.close()
		}
		perChunk(b, t0)
	})
	for _, per := range []int{1, 16} {
		b.Run(fmt.Sprintf("cluster/chunks-per-task=%d", per), func(b *testing.B) {
			b.ReportAllocs()
			t0 := time.Now()
			for i := range b.N {
				j := job
				j.Output = outputSpecFor(b, job, filepath.Join(dir, fmt.Sprintf("cluster%d-%d.npy", per, i)))
				j.Output.Overwrite = true
				if _, err := Run(ctx, j, Options{URL: srv.URL(), ChunksPerTask: per}); err != nil {
					b.Fatal(err)
				}
			}
			perChunk(b, t0)
		})
	}
}
