package geotiff_test

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/internal/byteswap"
	"chunkpipe/internal/realdata"
)

// fixtureDir is the GDAL-written fixtures' directory.
const fixtureDir = "../../testdata/geotiff"

// npyArray is a decoded .npy file: values as float64 (exact for every type
// up to 32 bits; 64-bit integers keep their raw bits in Raw).
type npyArray struct {
	DType chunk.DType
	Shape []int
	Raw   []byte // little-endian elements
}

var npyDescr = map[string]chunk.DType{
	"|u1": chunk.Uint8, "|i1": chunk.Int8, "<u2": chunk.Uint16, "<i2": chunk.Int16, "<u4": chunk.Uint32,
	"<i4": chunk.Int32, "<u8": chunk.Uint64, "<i8": chunk.Int64, "<f4": chunk.Float32, "<f8": chunk.Float64,
}

// readNpy loads a little-endian, C-ordered .npy file.
func readNpy(t testing.TB, path string) *npyArray {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		t.Fatalf("%s: not a .npy file", path)
	}
	var hl, start int
	if b[6] == 1 {
		hl, start = int(binary.LittleEndian.Uint16(b[8:])), 10
	} else {
		hl, start = int(binary.LittleEndian.Uint32(b[8:])), 12
	}
	hdr := string(b[start : start+hl])
	descr := regexp.MustCompile(`'descr': '([^']+)'`).FindStringSubmatch(hdr)
	shape := regexp.MustCompile(`'shape': \(([^)]*)\)`).FindStringSubmatch(hdr)
	if descr == nil || shape == nil || strings.Contains(hdr, "'fortran_order': True") {
		t.Fatalf("%s: unsupported header %q", path, hdr)
	}
	a := &npyArray{Raw: b[start+hl:]}
	var ok bool
	if a.DType, ok = npyDescr[descr[1]]; !ok {
		t.Fatalf("%s: unsupported dtype %s", path, descr[1])
	}
	for _, s := range strings.Split(shape[1], ",") {
		if s = strings.TrimSpace(s); s != "" {
			n, _ := strconv.Atoi(s)
			a.Shape = append(a.Shape, n)
		}
	}
	return a
}

// plane returns band b of a (bands, rows, cols) array as a chunk.Array in
// host byte order.
func (a *npyArray) plane(b int) *chunk.Array {
	rows, cols := a.Shape[len(a.Shape)-2], a.Shape[len(a.Shape)-1]
	out := chunk.NewArray(a.DType, chunk.Rect(0, 0, rows, cols))
	n := len(out.Data)
	copy(out.Data, a.Raw[b*n:(b+1)*n])
	if !littleHost() {
		byteswap.Swap(out.Data, a.DType.Size())
	}
	return out
}

func littleHost() bool { return binary.NativeEndian.Uint16([]byte{1, 0}) == 1 }

// valueAt returns element i of a as float64 (NaN-preserving).
func valueAt(a *chunk.Array, i int) float64 {
	switch a.DType {
	case chunk.Int8:
		return float64(chunk.Elems[int8](a)[i])
	case chunk.Uint8:
		return float64(chunk.Elems[uint8](a)[i])
	case chunk.Int16:
		return float64(chunk.Elems[int16](a)[i])
	case chunk.Uint16:
		return float64(chunk.Elems[uint16](a)[i])
	case chunk.Int32:
		return float64(chunk.Elems[int32](a)[i])
	case chunk.Uint32:
		return float64(chunk.Elems[uint32](a)[i])
	case chunk.Int64:
		return float64(chunk.Elems[int64](a)[i])
	case chunk.Uint64:
		return float64(chunk.Elems[uint64](a)[i])
	case chunk.Float32:
		return float64(chunk.Elems[float32](a)[i])
	case chunk.Float64:
		return chunk.Elems[float64](a)[i]
	}
	panic("bad dtype")
}

// sameArrays reports the first element where got and want differ, comparing
// bit patterns (so NaN equals NaN), over got.Rect.
func sameArrays(got, want *chunk.Array) error {
	if got.DType != want.DType {
		return fmt.Errorf("dtype %v, want %v", got.DType, want.DType)
	}
	sz := got.DType.Size()
	r := got.Rect
	if !want.Rect.Contains(r) {
		return fmt.Errorf("rect %v not inside %v", r, want.Rect)
	}
	for row := r.Row0; row < r.Row1; row++ {
		g := got.Data[got.Offset(row, r.Col0)*sz:][:r.Cols()*sz]
		w := want.Data[want.Offset(row, r.Col0)*sz:][:r.Cols()*sz]
		for c := 0; c < len(g); c += sz {
			if string(g[c:c+sz]) != string(w[c:c+sz]) {
				i := c / sz
				return fmt.Errorf("element (%d, %d) differs: got bytes %x, want %x", row, r.Col0+i, g[c:c+sz], w[c:c+sz])
			}
		}
	}
	return nil
}

// gdalChecksum is GDALChecksumImage (gcore/gdalchecksum.cpp) over a whole
// band: every pixel, read as Int32 for integer bands, or for float bands
// rounded as floor(v+0.5) and clamped to ±2147483647 with NaN and ±Inf as
// INT_MIN, is reduced modulo the next of the primes 7, 11, ..., 43 in turn
// (C's truncating %), summed, and the sum kept modulo 2^16.
func gdalChecksum(a *chunk.Array) int {
	primes := [...]int64{7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43}
	var sum int64
	p := 0
	n := a.Rect.Len()
	for i := 0; i < n; i++ {
		var v int64
		if a.DType.IsFloat() {
			f := valueAt(a, i)
			switch {
			case math.IsNaN(f) || math.IsInf(f, 0):
				v = math.MinInt32
			default:
				f += 0.5
				switch {
				case f < -2147483647:
					v = -2147483647
				case f > 2147483647:
					v = 2147483647
				default:
					v = int64(math.Floor(f))
				}
			}
		} else {
			f := valueAt(a, i)
			v = int64(max(min(f, math.MaxInt32), math.MinInt32))
		}
		sum += v % primes[p]
		p++
		if p > 10 {
			p = 0
		}
		sum &= 0xffff
	}
	return int(sum)
}

// realDataDir returns the real GeoTIFF directory (see realdata.Require).
func realDataDir(t testing.TB) string { return filepath.Join(realdata.Require(t), "geotiff") }
