package pipeline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"chunkpipe/chunk"
)

// viewSink is an in-memory output, pre-faulted, that lends the kernels
// their region of it ([RegionLender]): nothing is copied after compute,
// like a compiled loop writing into a preallocated buffer.
type viewSink struct{ a *chunk.Array }

func (s *viewSink) LendRegion(t chunk.DType, r chunk.Region) *chunk.Array {
	if t != s.a.DType {
		return nil
	}
	return s.a.Sub(r)
}

func (s *viewSink) WriteRegion(_ context.Context, a *chunk.Array) error {
	if len(a.Data) > 0 && len(s.a.Data) > 0 && &a.Data[0] == &s.a.Data[s.a.Offset(a.Rect.Row0, a.Rect.Col0)*s.a.DType.Size()] {
		return nil // computed in place
	}
	s.a.Sub(a.Rect).CopyFrom(a)
	return nil
}

var (
	granuleOnce sync.Once
	granuleIn   *chunk.Array
)

// granuleShape is the anchors' reference granule (10848 x 10848 int16).
var granuleShape = chunk.Shape{Rows: 10848, Cols: 10848}

// BenchmarkGranule runs whole-granule chains through the pipeline from an
// in-memory int16 granule (the read stage copies each chunk out of it)
// into a pre-faulted in-memory float32 output that lends its regions, with
// 1 and 2 workers and 1024x1024 chunks. MB/s counts traffic: 2 bytes read
// per input pixel and 4 written per output pixel (6 per pixel without
// coarsening), the measure of the anchors' RESULTS.md
// (STREAM copy: 22 GB/s on 2 threads; the compiled C loops: calibrate
// 8.46 GB/s scalar, 19.8 GB/s SIMD; calibrate+bt 0.5655 s scalar).
// "calibrate,noop,bt" keeps bt from being folded into calibrate's table,
// so it measures the per-pixel brightness-temperature code.
func BenchmarkGranule(b *testing.B) {
	granuleOnce.Do(func() { granuleIn = granule(rand.New(rand.NewPCG(3, 3)), granuleShape) })
	out := chunk.NewArray(chunk.Float32, granuleShape.Bounds())
	sink := &viewSink{a: out}
	grid, _ := chunk.NewGrid(granuleShape, chunk.Shape{Rows: 1024, Cols: 1024})
	for _, spec := range []string{"calibrate", "calibrate,bt", "calibrate,noop,bt", "calibrate,blur:5", "calibrate,coarsen:4"} {
		chain := mustChain(b, spec)
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/workers=%d", spec, w), func(b *testing.B) {
				b.SetBytes(int64(granuleShape.Len())*2 + int64(chain.OutputShape(granuleShape).Len())*4)
				for i := 0; i < b.N; i++ {
					job := Job{Input: "granule", Source: &memSource{a: granuleIn}, Shape: granuleShape, DType: chunk.Int16, Chain: chain, Grid: grid, Sink: sink}
					if _, err := Run(context.Background(), job, Config{Workers: w}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/granule")
			})
		}
	}
}
