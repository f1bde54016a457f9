package geotiff_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// benchSink keeps benchmark results alive.
var benchSink any

// BenchmarkWriteFullDisk writes a 5424x5424 float32 array (the ABI
// full-disk 2 km grid) as a deflate GeoTIFF in 512x512 chunks with 1 and 2
// writer goroutines.
func BenchmarkWriteFullDisk(b *testing.B) {
	shape := chunk.Shape{Rows: 5424, Cols: 5424}
	src := randomArray(chunk.Float32, shape.Bounds(), 1)
	dir := b.TempDir()
	for _, comp := range []string{"deflate", "zstd"} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("compress=%s/workers=%d", comp, workers), func(b *testing.B) {
				b.SetBytes(int64(src.Bytes()))
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					path := filepath.Join(dir, "fd.tif")
					writeGrid(b, formats.CreateSpec{Path: path, Shape: shape, DType: chunk.Float32,
						Chunk: chunk.Shape{Rows: 512, Cols: 512}, Options: map[string]string{"compress": comp}, Overwrite: true}, src, workers)
					if i == 0 {
						st, _ := os.Stat(path)
						b.ReportMetric(float64(st.Size())/float64(src.Bytes()), "ratio")
					}
				}
			})
		}
	}
}

// BenchmarkReadRealDEM reads the whole Copernicus DEM COG (3600x3600
// float32, deflate + floating-point predictor, 1024x1024 tiles).
func BenchmarkReadRealDEM(b *testing.B) {
	path := filepath.Join(realDataDir(b), "Copernicus_DSM_COG_10_N00_00_E006_00_DEM.tif")
	r, err := formats.Open(path, formats.OpenOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	dst := chunk.NewArray(info.DType, info.Shape.Bounds())
	b.SetBytes(int64(dst.Bytes()))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := r.ReadRegion(context.Background(), dst.Rect, dst); err != nil {
			b.Fatal(err)
		}
	}
	benchSink = dst
}
