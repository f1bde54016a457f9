package quicklook_test

import (
	"context"
	"fmt"
	"image"
	"path/filepath"
	"slices"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/quicklook"
)

var (
	benchSink      []float64
	benchImageSink image.Image
)

// BenchmarkDownsamplerAdd measures folding one float32 chunk into the
// accumulator, per input byte.
func BenchmarkDownsamplerAdd(b *testing.B) {
	for _, size := range []int{256, 1024} {
		for _, f := range []int{1, 3, 11} {
			b.Run(fmt.Sprintf("chunk=%d/f=%d", size, f), func(b *testing.B) {
				s := chunk.Shape{Rows: size, Cols: size}
				a := toArray(randomField(s, 1, 0.01), s, s.Bounds(), chunk.Float32)
				d, _ := quicklook.NewDownsampler(s, f)
				b.SetBytes(int64(a.Bytes()))
				b.ReportAllocs()
				for b.Loop() {
					if err := d.Add(a); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkWriter measures a whole quicklook: 4 goroutines feeding 512x512
// float32 chunks of a 4096x4096 array, then Commit (percentile, render,
// PNG encoding), per input byte.
func BenchmarkWriter(b *testing.B) {
	s := chunk.Shape{Rows: 4096, Cols: 4096}
	vals := smoothField(s)
	rs := regions(s, 512, 512, 0)
	arrays := make([]*chunk.Array, len(rs))
	for i, r := range rs {
		arrays[i] = toArray(vals, s, r, chunk.Float32)
	}
	for _, maxSize := range []int{512, 2048} {
		b.Run(fmt.Sprintf("max-size=%d", maxSize), func(b *testing.B) {
			dir := b.TempDir()
			b.SetBytes(int64(4 * s.Len()))
			b.ReportAllocs()
			for b.Loop() {
				w, err := quicklook.Create(formats.CreateSpec{Path: filepath.Join(dir, "b.png"), Shape: s, DType: chunk.Float32,
					Overwrite: true, Options: map[string]string{"max-size": fmt.Sprint(maxSize), "colormap": "inferno"}})
				if err != nil {
					b.Fatal(err)
				}
				writeArrays(b, w, arrays, 4)
				if err := w.Commit(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// writeArrays writes arrays through w from workers goroutines.
func writeArrays(b *testing.B, w formats.Writer, arrays []*chunk.Array, workers int) {
	ch := make(chan *chunk.Array)
	errs := make(chan error, workers)
	for range workers {
		go func() {
			var first error
			for a := range ch {
				if err := w.WriteRegion(context.Background(), a); err != nil && first == nil {
					first = err
				}
			}
			errs <- first
		}()
	}
	for _, a := range arrays {
		ch <- a
	}
	close(ch)
	for range workers {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender measures stretching and colouring downsampled means,
// per float64 mean.
func BenchmarkRender(b *testing.B) {
	s := chunk.Shape{Rows: 1024, Cols: 1024}
	means := randomField(s, 3, 0.01)
	for _, name := range []string{"gray", "inferno"} {
		for _, gamma := range []float64{1, 2.2} {
			b.Run(fmt.Sprintf("%s/gamma=%v", name, gamma), func(b *testing.B) {
				cm, _ := quicklook.ColormapByName(name)
				st := quicklook.Stretch{Lo: -900, Hi: 900, Gamma: gamma}
				b.SetBytes(int64(8 * s.Len()))
				b.ReportAllocs()
				for b.Loop() {
					benchImageSink = quicklook.Render(means, s, st, cm)
				}
			})
		}
	}
}

// BenchmarkLimitsResolve measures exact percentile limits, per float64
// value.
func BenchmarkLimitsResolve(b *testing.B) {
	for _, n := range []int{1 << 16, 1 << 20} {
		vals := randomField(chunk.Shape{Rows: 1, Cols: n}, 4, 0.01)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(8 * n))
			b.ReportAllocs()
			for b.Loop() {
				lo, hi, _ := quicklook.DefaultLimits.Resolve(vals)
				benchSink = slices.Insert(benchSink[:0], 0, lo, hi)
			}
		})
	}
}
