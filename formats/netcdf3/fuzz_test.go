package netcdf3_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// FuzzOpen opens arbitrary bytes as a NetCDF classic file and, when that
// succeeds, reads a region, the whole variable when small, and the
// description. Nothing may panic, and allocation stays bounded by the input
// size.
func FuzzOpen(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(fixtureDir, "*.nc"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add(goodSpec().bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := openBytes(b)
		if err != nil {
			return
		}
		info := r.Info()
		if int64(info.Shape.Len())*int64(info.DType.Size()) > int64(len(b)) {
			t.Fatalf("variable of %v %v declares more than the %d-byte file", info.Shape, info.DType, len(b))
		}
		for _, rg := range []chunk.Region{info.Shape.Bounds(), chunk.Rect(info.Shape.Rows/2, info.Shape.Cols/3, info.Shape.Rows, info.Shape.Cols)} {
			a := chunk.NewArray(info.DType, rg)
			if err := r.ReadRegion(context.Background(), rg, a); err != nil {
				t.Fatalf("ReadRegion %v of an opened file: %v", rg, err)
			}
		}
		if err := r.Describe(io.Discard, formats.DescribeOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}
