package resample

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/internal/realdata"
)

// BenchmarkReader resamples the real 1 km CONUS band 1 (5000x3000 counts)
// to its lat/lon footprint at 0.02 degrees, one 512x512 output chunk after
// another on one goroutine, for each method, with interpolated and exact
// coordinates. Bytes are output bytes.
func BenchmarkReader(b *testing.B) {
	dir := realdata.Require(b)
	path := filepath.Join(dir, "abi", "OR_ABI-L1b-RadC-M6C01_G16_s20200040316182_e20200040318554_c20200040319012.nc")
	for _, m := range []Method{Nearest, Bilinear, Average} {
		for _, tol := range []float64{DefaultTolerance, -1} {
			name := fmt.Sprintf("%s/tol=%g", m, tol)
			area := "latlon:0.02"
			if m == Average {
				area = "latlon:0.05"
			}
			b.Run(name, func(b *testing.B) {
				src, err := formats.Open(path, formats.OpenOptions{})
				if err != nil {
					b.Fatal(err)
				}
				r, err := resampled(src, area, Options{Method: m, Tolerance: tol})
				if err != nil {
					b.Fatal(err)
				}
				defer r.Close()
				info := r.Info()
				grid, err := chunk.NewGrid(info.Shape, chunk.Shape{Rows: 512, Cols: 512})
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(info.Shape.Len() * info.DType.Size()))
				b.ReportAllocs()
				a := &chunk.Array{}
				for b.Loop() {
					for i := range grid.Len() {
						reg := grid.Region(grid.Index(i))
						a.Reset(info.DType, reg)
						if err := r.ReadRegion(context.Background(), reg, a); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}
