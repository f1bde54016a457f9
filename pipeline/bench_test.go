package pipeline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"chunkpipe/chunk"
)

// discardSink drops every region.
type discardSink struct{}

func (discardSink) WriteRegion(context.Context, *chunk.Array) error { return nil }

// BenchmarkLockModes runs the CPU-heavy chain calibrate,median:5 over a
// 1024x1024 granule in 128x128 chunks for each lock mode and worker count.
// Compare the ns/op of workers=1 and workers=2 within a mode: free should
// approach 2x on two cores, gil stay near 1x, processes pay for its copies.
func BenchmarkLockModes(b *testing.B) {
	shape := chunk.Shape{Rows: 1024, Cols: 1024}
	in := granule(rand.New(rand.NewPCG(1, 1)), shape)
	chain := mustChain(b, "calibrate,median:5")
	grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 128, Cols: 128})
	for _, mode := range LockModes() {
		for _, w := range []int{1, 2, 4} {
			b.Run(fmt.Sprintf("lock=%v/workers=%d", mode, w), func(b *testing.B) {
				b.SetBytes(int64(shape.Len() * 2))
				b.ReportAllocs()
				cfg := procConfig(Config{Workers: w, Lock: mode, SwitchInterval: 5 * time.Millisecond})
				for i := 0; i < b.N; i++ {
					job := Job{Input: "bench", Source: &memSource{a: in}, Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid, Sink: discardSink{}}
					if _, err := Run(context.Background(), job, cfg); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkPerChunkOverhead measures the pipeline's scheduling cost per
// chunk: a no-op kernel over very many 8x8 chunks. ns/chunk is reported
// (dask's threaded scheduler documents 50-200 us per task).
func BenchmarkPerChunkOverhead(b *testing.B) {
	shape := chunk.Shape{Rows: 512, Cols: 512}
	in := granule(rand.New(rand.NewPCG(2, 2)), shape)
	chain := mustChain(b, "noop")
	grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 8, Cols: 8})
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				job := Job{Input: "bench", Source: &memSource{a: in}, Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid, Sink: discardSink{}}
				if _, err := Run(context.Background(), job, Config{Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*grid.Len()), "ns/chunk")
		})
	}
}
