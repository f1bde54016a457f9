package netcdf3_test

import (
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/netcdf3"
)

var interopDir = flag.String("interop", "", "write chunkpipe NetCDF outputs with .npy expectations to this directory for tools/interop/netcdf_check.py")

// writeNpy writes a as a version 1.0 little-endian .npy file.
func writeNpy(path string, a *chunk.Array) error {
	code := map[chunk.DType]string{chunk.Int8: "|i1", chunk.Uint8: "|u1", chunk.Int16: "<i2", chunk.Uint16: "<u2", chunk.Int32: "<i4",
		chunk.Uint32: "<u4", chunk.Int64: "<i8", chunk.Uint64: "<u8", chunk.Float32: "<f4", chunk.Float64: "<f8"}[a.DType]
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }", code, a.Rect.Rows(), a.Rect.Cols())
	h += strings.Repeat(" ", 63-(10+len(h))%64) + "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(h)), byte(len(h)>>8))
	b = append(b, h...)
	sz := a.DType.Size()
	for i := 0; i < len(a.Data); i += sz {
		e := a.Data[i : i+sz]
		switch sz { // host order to little-endian
		case 2:
			b = binary.LittleEndian.AppendUint16(b, binary.NativeEndian.Uint16(e))
		case 4:
			b = binary.LittleEndian.AppendUint32(b, binary.NativeEndian.Uint32(e))
		case 8:
			b = binary.LittleEndian.AppendUint64(b, binary.NativeEndian.Uint64(e))
		default:
			b = append(b, e...)
		}
	}
	return os.WriteFile(path, b, 0o644)
}

// TestInteropOutput writes outputs for the CI interop step when -interop
// is given: each dtype, ragged chunks, NaNs in float data, coordinates
// carried over from a fixture. It checks the .npy writer against the
// fixture reader either way.
func TestInteropOutput(t *testing.T) {
	dir := *interopDir
	if dir == "" {
		dir = t.TempDir()
	}
	shape := sh(37, 53)
	for _, dt := range allDTypes {
		src := randomArray(dt, shape, 99)
		if dt == chunk.Float32 { // NaN where the fill value says "missing"
			f := src.Float32s()
			for i := 0; i < len(f); i += 7 {
				f[i] = float32(math.NaN())
			}
		}
		base := filepath.Join(dir, "chunkpipe_"+dt.String())
		spec := formats.CreateSpec{Path: base + ".nc", Shape: shape, DType: dt, Overwrite: true,
			Attrs:  formats.Attrs{at("units", "K"), at("long_name", "test "+dt.String())},
			Global: formats.Attrs{at("history", "chunkpipe interop test")}}
		writeAll(t, spec, src, regions(shape, sh(10, 16), "shuffled", 5))
		if err := writeNpy(base+".npy", src); err != nil {
			t.Fatal(err)
		}
		back, err := readNpy(base + ".npy")
		if err != nil {
			t.Fatal(err)
		}
		equalBits(t, dt.String()+" npy", back.hostBytes(), src.Data, dt.Size())
	}
	r, err := netcdf3.Open(filepath.Join(fixtureDir, "offset64.nc"), formats.OpenOptions{Variable: "data"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	src := readAll(t, r)
	spec := formats.CreateSpec{Path: filepath.Join(dir, "chunkpipe_coords.nc"), Shape: info.Shape, DType: info.DType, Overwrite: true,
		Source: &info, Attrs: info.Attrs, Global: formats.Attrs{at("history", "chunkpipe interop test")}}
	writeAll(t, spec, src, regions(info.Shape, sh(3, 2), "reverse", 1))
	if err := writeNpy(filepath.Join(dir, "chunkpipe_coords.npy"), src); err != nil {
		t.Fatal(err)
	}
}
