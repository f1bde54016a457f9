package kernels

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"chunkpipe/chunk"
)

// readNpy reads a little-endian, C-ordered .npy file of one or two
// dimensions holding <i2, <f4 or <f8 into an Array (a 1-D array becomes
// one row). It is a test helper only: the formats/npy package is the real
// reader.
func readNpy(path string) (*chunk.Array, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < 10 || !bytes.Equal(b[:6], []byte("\x93NUMPY")) {
		return nil, fmt.Errorf("%s: not an .npy file", path)
	}
	var hlen, off int
	switch b[6] {
	case 1:
		hlen, off = int(binary.LittleEndian.Uint16(b[8:10])), 10
	case 2, 3:
		if len(b) < 12 {
			return nil, fmt.Errorf("%s: short header", path)
		}
		hlen, off = int(binary.LittleEndian.Uint32(b[8:12])), 12
	default:
		return nil, fmt.Errorf("%s: npy version %d", path, b[6])
	}
	if off+hlen > len(b) {
		return nil, fmt.Errorf("%s: short header", path)
	}
	hdr := string(b[off : off+hlen])
	data := b[off+hlen:]
	descr := regexp.MustCompile(`'descr':\s*'([^']*)'`).FindStringSubmatch(hdr)
	shape := regexp.MustCompile(`'shape':\s*\(([^)]*)\)`).FindStringSubmatch(hdr)
	if descr == nil || shape == nil || strings.Contains(hdr, "'fortran_order': True") {
		return nil, fmt.Errorf("%s: unsupported header %q", path, hdr)
	}
	var dims []int
	for _, f := range strings.Split(shape[1], ",") {
		if f = strings.TrimSpace(f); f != "" {
			n, err := strconv.Atoi(f)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("%s: bad shape %q", path, shape[1])
			}
			dims = append(dims, n)
		}
	}
	var r chunk.Region
	switch len(dims) {
	case 1:
		r = chunk.Rect(0, 0, 1, dims[0])
	case 2:
		r = chunk.Rect(0, 0, dims[0], dims[1])
	default:
		return nil, fmt.Errorf("%s: %d dimensions", path, len(dims))
	}
	types := map[string]chunk.DType{"<i2": chunk.Int16, "<f4": chunk.Float32, "<f8": chunk.Float64}
	dt, ok := types[descr[1]]
	if !ok {
		return nil, fmt.Errorf("%s: dtype %s", path, descr[1])
	}
	a := chunk.NewArray(dt, r)
	if len(data) != len(a.Data) {
		return nil, fmt.Errorf("%s: %d data bytes, want %d", path, len(data), len(a.Data))
	}
	sz := dt.Size()
	for i := 0; i < len(data); i += sz { // host order from little-endian
		switch sz {
		case 2:
			binary.NativeEndian.PutUint16(a.Data[i:], binary.LittleEndian.Uint16(data[i:]))
		case 4:
			binary.NativeEndian.PutUint32(a.Data[i:], binary.LittleEndian.Uint32(data[i:]))
		case 8:
			binary.NativeEndian.PutUint64(a.Data[i:], binary.LittleEndian.Uint64(data[i:]))
		}
	}
	return a, nil
}

// float64At returns element i (row-major) of a Float32 or Float64 array.
func float64At(a *chunk.Array, i int) float64 {
	if a.DType == chunk.Float64 {
		return chunk.Elems[float64](a)[i]
	}
	return float64(a.Float32s()[i])
}
