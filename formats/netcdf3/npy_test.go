package netcdf3_test

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

// npyArray is a little-endian, C-ordered .npy array as the fixtures hold.
type npyArray struct {
	dtype chunk.DType
	shape []int
	data  []byte // little-endian elements
}

var (
	npyDescr = regexp.MustCompile(`'descr':\s*'([<>|=]?)([a-z]\d+)'`)
	npyShape = regexp.MustCompile(`'shape':\s*\(([^)]*)\)`)
)

// readNpy reads a version 1 or 2 .npy file of a little-endian (or
// single-byte) numeric type in C order.
func readNpy(path string) (*npyArray, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < 10 || !bytes.HasPrefix(b, []byte("\x93NUMPY")) {
		return nil, fmt.Errorf("%s: not a .npy file", path)
	}
	var hlen, start int
	switch b[6] {
	case 1:
		hlen, start = int(binary.LittleEndian.Uint16(b[8:])), 10
	case 2, 3:
		hlen, start = int(binary.LittleEndian.Uint32(b[8:])), 12
	default:
		return nil, fmt.Errorf("%s: .npy version %d", path, b[6])
	}
	if start+hlen > len(b) {
		return nil, fmt.Errorf("%s: truncated .npy header", path)
	}
	hdr := string(b[start : start+hlen])
	if strings.Contains(hdr, "'fortran_order': True") {
		return nil, fmt.Errorf("%s: Fortran order", path)
	}
	m := npyDescr.FindStringSubmatch(hdr)
	if m == nil || m[1] == ">" {
		return nil, fmt.Errorf("%s: unsupported descr in %q", path, hdr)
	}
	dt, err := chunk.ParseDType(m[2])
	if err != nil {
		return nil, err
	}
	a := &npyArray{dtype: dt, data: b[start+hlen:]}
	sm := npyShape.FindStringSubmatch(hdr)
	if sm == nil {
		return nil, fmt.Errorf("%s: no shape in %q", path, hdr)
	}
	n := 1
	for _, f := range strings.Split(sm[1], ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		d, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("%s: shape %q", path, sm[1])
		}
		a.shape = append(a.shape, d)
		n *= d
	}
	if len(a.data) != n*dt.Size() {
		return nil, fmt.Errorf("%s: %d data bytes for shape %v of %v", path, len(a.data), a.shape, dt)
	}
	return a, nil
}

// hostBytes returns the array's elements in host byte order.
func (a *npyArray) hostBytes() []byte {
	out := make([]byte, len(a.data))
	sz := a.dtype.Size()
	for i := 0; i < len(out); i += sz {
		for k := 0; k < sz; k++ {
			if binary.NativeEndian.Uint16([]byte{1, 0}) == 1 {
				out[i+k] = a.data[i+k]
			} else {
				out[i+k] = a.data[i+sz-1-k]
			}
		}
	}
	return out
}

// float64s returns the elements converted to float64.
func (a *npyArray) float64s() []float64 {
	sz := a.dtype.Size()
	out := make([]float64, len(a.data)/sz)
	for i := range out {
		e := a.data[i*sz:]
		switch a.dtype {
		case chunk.Int8:
			out[i] = float64(int8(e[0]))
		case chunk.Uint8:
			out[i] = float64(e[0])
		case chunk.Int16:
			out[i] = float64(int16(binary.LittleEndian.Uint16(e)))
		case chunk.Uint16:
			out[i] = float64(binary.LittleEndian.Uint16(e))
		case chunk.Int32:
			out[i] = float64(int32(binary.LittleEndian.Uint32(e)))
		case chunk.Uint32:
			out[i] = float64(binary.LittleEndian.Uint32(e))
		case chunk.Int64:
			out[i] = float64(int64(binary.LittleEndian.Uint64(e)))
		case chunk.Uint64:
			out[i] = float64(binary.LittleEndian.Uint64(e))
		case chunk.Float32:
			out[i] = float64(mathFloat32(binary.LittleEndian.Uint32(e)))
		case chunk.Float64:
			out[i] = mathFloat64(binary.LittleEndian.Uint64(e))
		}
	}
	return out
}
