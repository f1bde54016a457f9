package zarr

import (
	"encoding/binary"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/internal/byteswap"
)

// npyArray is a 2-D array loaded from a .npy file by readNPY.
type npyArray struct {
	DType chunk.DType
	Shape chunk.Shape
	Data  []byte // host byte order, C order
}

var (
	npyDescr = regexp.MustCompile(`'descr':\s*'([^']*)'`)
	npyOrder = regexp.MustCompile(`'fortran_order':\s*(True|False)`)
	npyShape = regexp.MustCompile(`'shape':\s*\(([^)]*)\)`)
)

// readNPY reads a version 1 or 2 .npy file holding a 2-D array of a type
// chunkpipe handles, the expected values for fixture tests.
func readNPY(t testing.TB, path string) npyArray {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := parseNPY(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return a
}

func parseNPY(b []byte) (npyArray, error) {
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		return npyArray{}, fmt.Errorf("not a .npy file")
	}
	var hlen, start int
	switch b[6] {
	case 1:
		hlen, start = int(binary.LittleEndian.Uint16(b[8:])), 10
	case 2, 3:
		if len(b) < 12 {
			return npyArray{}, fmt.Errorf("truncated header")
		}
		hlen, start = int(binary.LittleEndian.Uint32(b[8:])), 12
	default:
		return npyArray{}, fmt.Errorf("unsupported .npy version %d", b[6])
	}
	if start+hlen > len(b) {
		return npyArray{}, fmt.Errorf("truncated header")
	}
	h := string(b[start : start+hlen])
	d, o, s := npyDescr.FindStringSubmatch(h), npyOrder.FindStringSubmatch(h), npyShape.FindStringSubmatch(h)
	if d == nil || o == nil || s == nil {
		return npyArray{}, fmt.Errorf("bad header %q", h)
	}
	if o[1] != "False" {
		return npyArray{}, fmt.Errorf("fortran-ordered .npy not supported")
	}
	et, err := parseDType(d[1])
	if err != nil {
		return npyArray{}, err
	}
	var dims []int
	for _, f := range strings.Split(s[1], ",") {
		if f = strings.TrimSpace(f); f != "" {
			n, err := strconv.Atoi(f)
			if err != nil {
				return npyArray{}, fmt.Errorf("bad shape %q", s[1])
			}
			dims = append(dims, n)
		}
	}
	if len(dims) != 2 {
		return npyArray{}, fmt.Errorf("want a 2-D array, have shape %v", dims)
	}
	a := npyArray{DType: et.DType, Shape: chunk.Shape{Rows: dims[0], Cols: dims[1]}}
	data := b[start+hlen:]
	if n := a.Shape.Len() * et.DType.Size(); len(data) != n {
		return npyArray{}, fmt.Errorf("holds %d data bytes, want %d", len(data), n)
	}
	a.Data = append(chunk.AlignedBytes(0), data...)
	if et.swapped() {
		byteswap.Swap(a.Data, et.DType.Size())
	}
	return a, nil
}
