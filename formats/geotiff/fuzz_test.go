package geotiff_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
)

// FuzzOpen opens arbitrary bytes as a GeoTIFF, describes it and reads a
// region of the first two bands: nothing may panic, hang or allocate
// without bound. Minimising large seeds is slow; run it with
// -fuzzminimizetime 0 (or a few seconds) to keep the fuzzer busy fuzzing.
func FuzzOpen(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(fixtureDir, "*.tif"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil && len(b) < 32<<10 {
			f.Add(b)
		}
	}
	// A 512-byte deflate tile whose TileByteCounts says 256 KiB, in a file
	// padded to hold them: refused before it is read.
	if b := writeTIFF(f, map[string]string{"compress": "deflate"}); len(b) > 0 {
		setFirstByteCount(f, b, 256<<10)
		f.Add(append(b, make([]byte, 256<<10)...))
	}
	f.Add([]byte("II*\x00\x08\x00\x00\x00"))
	f.Add([]byte("MM\x00+\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := geotiff.NewReader(bytes.NewReader(data), int64(len(data)), "fuzz.tif", "")
		if err != nil {
			return
		}
		defer r.Close()
		r.Describe(io.Discard, formats.DescribeOptions{})
		info := r.Info()
		reg := chunk.Rect(0, 0, min(info.Shape.Rows, 64), min(info.Shape.Cols, 64))
		dst := chunk.NewArray(info.DType, reg)
		r.ReadRegion(context.Background(), reg, dst)
		if n, _ := info.Global.Get("bands"); n == int64(2) {
			if r2, err := geotiff.NewReader(bytes.NewReader(data), int64(len(data)), "fuzz.tif", "band:2"); err == nil {
				r2.ReadRegion(context.Background(), reg, dst)
			}
		}
	})
}
