package geotiff_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/internal/byteswap"
)

// writeNpy saves a as a 2-D little-endian .npy file.
func writeNpy(t testing.TB, path string, a *chunk.Array) {
	t.Helper()
	descr := map[chunk.DType]string{chunk.Uint8: "|u1", chunk.Int8: "|i1", chunk.Uint16: "<u2", chunk.Int16: "<i2",
		chunk.Uint32: "<u4", chunk.Int32: "<i4", chunk.Uint64: "<u8", chunk.Int64: "<i8", chunk.Float32: "<f4", chunk.Float64: "<f8"}[a.DType]
	hdr := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }", descr, a.Rect.Rows(), a.Rect.Cols())
	for (10+len(hdr)+1)%64 != 0 {
		hdr += " "
	}
	hdr += "\n"
	b := []byte("\x93NUMPY\x01\x00")
	b = append(b, byte(len(hdr)), byte(len(hdr)>>8))
	b = append(b, hdr...)
	data := append([]byte(nil), a.Data[:a.Bytes()]...)
	if !littleHost() {
		byteswap.Swap(data, a.DType.Size())
	}
	if err := os.WriteFile(path, append(b, data...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestInteropSamples writes sample outputs and their expected values for
// tools/interop/geotiff_check.sh when GEOTIFF_INTEROP_DIR is set.
func TestInteropSamples(t *testing.T) {
	dir := os.Getenv("GEOTIFF_INTEROP_DIR")
	if dir == "" {
		t.Skip("set GEOTIFF_INTEROP_DIR to write interop samples for tools/interop/geotiff_check.sh")
	}
	for _, s := range []struct {
		name  string
		dtype chunk.DType
		shape chunk.Shape
		opts  map[string]string
		fill  any
	}{
		{"f32_deflate", chunk.Float32, chunk.Shape{Rows: 300, Cols: 517}, nil, nil},
		{"i16_zstd_nodata", chunk.Int16, chunk.Shape{Rows: 130, Cols: 90}, map[string]string{"compress": "zstd"}, int64(-1)},
		{"f64_none_bigtiff", chunk.Float64, chunk.Shape{Rows: 40, Cols: 33}, map[string]string{"compress": "none", "bigtiff": "yes"}, nil},
		{"u8_pred_none", chunk.Uint8, chunk.Shape{Rows: 64, Cols: 64}, map[string]string{"predictor": "none"}, nil},
		{"f32_cog", chunk.Float32, chunk.Shape{Rows: 1100, Cols: 700}, map[string]string{"cog": "true"}, nil},
		{"u16_cog_nodata_bigtiff", chunk.Uint16, chunk.Shape{Rows: 600, Cols: 900}, map[string]string{"cog": "true", "compress": "zstd", "bigtiff": "yes", "tile": "128"}, int64(0)},
	} {
		src := randomArray(s.dtype, s.shape.Bounds(), 11)
		spec := formats.CreateSpec{Path: filepath.Join(dir, s.name+".tif"), Shape: s.shape, DType: s.dtype,
			Chunk: chunk.Shape{Rows: 100, Cols: 100}, Options: s.opts, Overwrite: true}
		if s.fill != nil {
			spec.Attrs = formats.Attrs{{Name: "_FillValue", Value: s.fill}}
		}
		writeGrid(t, spec, src, 4)
		writeNpy(t, filepath.Join(dir, s.name+".npy"), src)
	}
}
