package netcdf3_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/netcdf3"
)

var benchSink *chunk.Array

// BenchmarkWrite writes a full-disk 5424x5424 float32 ABI-sized array in
// the chunk shapes a pipeline uses, from 8 goroutines.
func BenchmarkWrite(b *testing.B) {
	shape := sh(5424, 5424)
	src := randomArray(chunk.Float32, shape, 1)
	for _, c := range []chunk.Shape{sh(512, 5424), sh(1024, 1024), sh(512, 512)} {
		b.Run(fmt.Sprintf("chunk=%v", c), func(b *testing.B) {
			regs := regions(shape, c, "forward", 1)
			b.SetBytes(int64(len(src.Data)))
			b.ReportAllocs()
			dir := b.TempDir()
			for i := 0; b.Loop(); i++ {
				w, err := netcdf3.Create(formats.CreateSpec{Path: filepath.Join(dir, fmt.Sprintf("b%d.nc", i)), Shape: shape, DType: chunk.Float32})
				if err != nil {
					b.Fatal(err)
				}
				jobs := make(chan chunk.Region)
				var wg sync.WaitGroup
				for range 8 {
					wg.Go(func() {
						for rg := range jobs {
							if err := w.WriteRegion(context.Background(), src.Sub(rg)); err != nil {
								b.Error(err)
							}
						}
					})
				}
				for _, rg := range regs {
					jobs <- rg
				}
				close(jobs)
				wg.Wait()
				if err := w.Commit(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRead reads the same array back in chunks from 8 goroutines.
func BenchmarkRead(b *testing.B) {
	shape := sh(5424, 5424)
	src := randomArray(chunk.Float32, shape, 1)
	path := filepath.Join(b.TempDir(), "r.nc")
	writeAll(b, formats.CreateSpec{Path: path, Shape: shape, DType: chunk.Float32}, src, regions(shape, sh(1024, 5424), "forward", 1))
	r, err := netcdf3.Open(path, formats.OpenOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	for _, c := range []chunk.Shape{sh(512, 5424), sh(512, 512)} {
		b.Run(fmt.Sprintf("chunk=%v", c), func(b *testing.B) {
			regs := regions(shape, c, "forward", 1)
			b.SetBytes(int64(len(src.Data)))
			b.ReportAllocs()
			for b.Loop() {
				jobs := make(chan chunk.Region)
				var wg sync.WaitGroup
				for range 8 {
					wg.Go(func() {
						a := &chunk.Array{}
						for rg := range jobs {
							a.Reset(chunk.Float32, rg)
							if err := r.ReadRegion(context.Background(), rg, a); err != nil {
								b.Error(err)
							}
						}
						benchSink = a
					})
				}
				for _, rg := range regs {
					jobs <- rg
				}
				close(jobs)
				wg.Wait()
			}
		})
	}
}
