package zarr

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// benchShape is one GOES ABI full-disk 2 km band.
var benchShape = chunk.Shape{Rows: 5424, Cols: 5424}

// benchImage returns a seeded full-disk-like float32 image: a smooth field
// with noise inside the disk, NaN outside it.
func benchImage() *chunk.Array {
	a := chunk.NewArray(chunk.Float32, benchShape.Bounds())
	f := a.Float32s()
	rng := rand.New(rand.NewPCG(1, 1))
	c := float64(benchShape.Rows) / 2
	for r := 0; r < benchShape.Rows; r++ {
		for col := 0; col < benchShape.Cols; col++ {
			dy, dx := float64(r)-c, float64(col)-c
			if dx*dx+dy*dy > c*c*0.95 {
				f[r*benchShape.Cols+col] = float32(math.NaN())
				continue
			}
			f[r*benchShape.Cols+col] = float32(250+30*math.Sin(float64(r)/300)*math.Cos(float64(col)/200)) + float32(rng.NormFloat64())
		}
	}
	return a
}

var benchSink int64

// benchDir returns where benchmarks write stores: $ZARR_BENCH_DIR when set
// (a tmpfs such as /dev/shm separates codec cost from disk speed), else a
// test temporary directory.
func benchDir(b *testing.B) string {
	if d := os.Getenv("ZARR_BENCH_DIR"); d != "" {
		d, err := os.MkdirTemp(d, "zarr-bench-")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { os.RemoveAll(d) })
		return d
	}
	return b.TempDir()
}

// BenchmarkWrite writes the full-disk float32 image as a Zarr store with
// 1024x1024 chunks from 1 and 2 goroutines (MB/s of float32 input).
func BenchmarkWrite(b *testing.B) {
	img := benchImage()
	g, err := chunk.NewGrid(benchShape, chunk.Shape{Rows: 1024, Cols: 1024})
	if err != nil {
		b.Fatal(err)
	}
	for _, compress := range []string{"zstd", "blosc", "zlib"} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("compress=%s/goroutines=%d", compress, workers), func(b *testing.B) {
				dir := benchDir(b)
				b.SetBytes(int64(len(img.Data)))
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					path := filepath.Join(dir, fmt.Sprintf("b%d.zarr", i))
					w, err := Create(formats.CreateSpec{Path: path, Shape: benchShape, DType: chunk.Float32, Chunk: g.Chunk,
						Options: map[string]string{"compress": compress}})
					if err != nil {
						b.Fatal(err)
					}
					jobs := make(chan int)
					var wg sync.WaitGroup
					for range workers {
						wg.Add(1)
						go func() {
							defer wg.Done()
							for n := range jobs {
								// A strided view of the image, as a pipeline stage hands over a chunk.
								if err := w.WriteRegion(context.Background(), img.Sub(g.Region(g.Index(n)))); err != nil {
									b.Error(err)
								}
							}
						}()
					}
					for n := range g.Len() {
						jobs <- n
					}
					close(jobs)
					wg.Wait()
					if err := w.Commit(); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					benchSink += storeBytes(b, path)
					os.RemoveAll(path)
					b.StartTimer()
				}
				b.ReportMetric(float64(benchSink)/float64(b.N)/float64(len(img.Data)), "ratio")
				benchSink = 0
			})
		}
	}
}

// BenchmarkRead reads the whole image back chunk by chunk.
func BenchmarkRead(b *testing.B) {
	img := benchImage()
	for _, compress := range []string{"zstd", "blosc"} {
		b.Run("compress="+compress, func(b *testing.B) {
			path := filepath.Join(benchDir(b), "r.zarr")
			writeStore(b, path, img, chunk.Shape{Rows: 1024, Cols: 1024}, map[string]string{"compress": compress}, nil)
			r, err := Open(path, formats.OpenOptions{})
			if err != nil {
				b.Fatal(err)
			}
			dst := chunk.NewArray(chunk.Float32, benchShape.Bounds())
			b.SetBytes(int64(len(img.Data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := r.ReadRegion(context.Background(), dst.Rect, dst); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBlosclz decodes a zarr-python blosclz chunk.
func BenchmarkBlosclz(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(fixtureDir, "blosc_blosclz_shuffle_u2.zarr", "0.0"))
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]byte, 256*200*2)
	b.SetBytes(int64(len(dst)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := bloscDecode(dst, data); err != nil {
			b.Fatal(err)
		}
	}
}

func storeBytes(b *testing.B, path string) int64 {
	var n int64
	filepath.Walk(path, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n
}
