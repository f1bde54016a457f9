package geotiff_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
)

// naiveHalve is the reference 2x2 average: NaN and nodata skipped, odd
// edges averaged over fewer pixels, integers rounded half up.
func naiveHalve(src *chunk.Array, fill float64, hasFill bool) *chunk.Array {
	rows, cols := src.Rect.Rows(), src.Rect.Cols()
	out := chunk.NewArray(src.DType, chunk.Rect(0, 0, (rows+1)/2, (cols+1)/2))
	for i := 0; i < out.Rect.Rows(); i++ {
		for j := 0; j < out.Rect.Cols(); j++ {
			sum, n := 0.0, 0
			for r := 2 * i; r < min(rows, 2*i+2); r++ {
				for c := 2 * j; c < min(cols, 2*j+2); c++ {
					v := valueAt(src, r*cols+c)
					if math.IsNaN(v) || hasFill && v == fill {
						continue
					}
					sum += v
					n++
				}
			}
			v := math.NaN()
			if hasFill {
				v = fill
			}
			if n > 0 {
				v = sum / float64(n)
			}
			k := i*out.Rect.Cols() + j
			switch out.DType {
			case chunk.Float32:
				chunk.Elems[float32](out)[k] = float32(v)
			case chunk.Int16:
				chunk.Elems[int16](out)[k] = int16(math.Floor(v + 0.5))
			}
		}
	}
	return out
}

func TestCOG(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		dtype chunk.DType
		shape chunk.Shape
		fill  any
		tile  string
		ovrs  []chunk.Shape
	}{
		{chunk.Float32, chunk.Shape{Rows: 150, Cols: 97}, nil, "32", []chunk.Shape{{Rows: 75, Cols: 49}, {Rows: 38, Cols: 25}, {Rows: 19, Cols: 13}}},
		{chunk.Int16, chunk.Shape{Rows: 64, Cols: 200}, int64(5), "32x64", []chunk.Shape{{Rows: 32, Cols: 100}, {Rows: 16, Cols: 50}}},
	} {
		t.Run(tc.dtype.String(), func(t *testing.T) {
			path := filepath.Join(dir, tc.dtype.String()+".tif")
			src := randomArray(tc.dtype, tc.shape.Bounds(), 5)
			spec := formats.CreateSpec{Path: path, Shape: tc.shape, DType: tc.dtype, Chunk: chunk.Shape{Rows: 24, Cols: 24},
				Options: map[string]string{"cog": "true", "tile": tc.tile}}
			fill, hasFill := 0.0, false
			if tc.fill != nil {
				spec.Attrs = formats.Attrs{{Name: "_FillValue", Value: tc.fill}}
				fill, hasFill = formats.ToFloats(tc.fill)
				chunk.Elems[int16](src)[3] = 5 // some nodata input
			}
			writeGrid(t, spec, src, 3)
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(raw[8:], []byte("GDAL_STRUCTURAL_METADATA_SIZE=")) ||
				!bytes.Contains(raw[:300], []byte("BLOCK_TRAILER=LAST_4_BYTES_REPEATED\n")) {
				t.Fatalf("no ghost header: %q", raw[:200])
			}
			if m, _ := filepath.Glob(filepath.Join(dir, ".*")); len(m) != 0 {
				t.Errorf("staging files left: %v", m)
			}
			r, err := geotiff.OpenFile(path, "")
			if err != nil {
				t.Fatal(err)
			}
			if err := sameArrays(readAll(t, r), src); err != nil {
				t.Fatal(err)
			}
			if n, _ := r.Info().Global.Get("overviews"); n != int64(len(tc.ovrs)) {
				t.Fatalf("%v overviews, want %d", n, len(tc.ovrs))
			}
			var sb bytes.Buffer
			r.Describe(&sb, formats.DescribeOptions{})
			r.Close()
			prev := src
			for k, want := range tc.ovrs {
				or, err := geotiff.OpenFile(path, fmt.Sprintf("overview:%d", k+1))
				if err != nil {
					t.Fatal(err)
				}
				got := readAll(t, or)
				or.Close()
				if got.Rect.Shape() != want {
					t.Fatalf("overview %d shape %v, want %v", k+1, got.Rect.Shape(), want)
				}
				ref := naiveHalve(prev, fill, hasFill)
				if err := sameArrays(got, ref); err != nil {
					t.Errorf("overview %d: %v", k+1, err)
				}
				prev = got
			}
			// Every tile: leader = byte count, trailer = last 4 bytes, and
			// data of smaller levels first.
			checkFraming(t, raw)
		})
	}
}

// checkFraming verifies the COG block leaders and trailers by parsing the
// TileOffsets/TileByteCounts of each IFD with a minimal classic/BigTIFF
// walker.
func checkFraming(t *testing.T, raw []byte) {
	t.Helper()
	le := binary.LittleEndian
	big := raw[2] == 43
	var ifd uint64
	if big {
		ifd = le.Uint64(raw[8:])
	} else {
		ifd = uint64(le.Uint32(raw[4:]))
	}
	var firstData []uint64
	for ifd != 0 {
		var n, esz, hdr uint64 = uint64(le.Uint16(raw[ifd:])), 12, 2
		if big {
			n, esz, hdr = le.Uint64(raw[ifd:]), 20, 8
		}
		var offs, cnts []uint64
		for i := uint64(0); i < n; i++ {
			e := raw[ifd+hdr+i*esz:]
			tag, typ := le.Uint16(e), le.Uint16(e[2:])
			if tag != 324 && tag != 325 {
				continue
			}
			var cnt, pos uint64
			if big {
				cnt, pos = le.Uint64(e[4:]), ifd+hdr+i*esz+12
				if cnt > 1 {
					pos = le.Uint64(e[12:])
				}
			} else {
				cnt, pos = uint64(le.Uint32(e[4:])), ifd+hdr+i*esz+8
				if cnt > 1 {
					pos = uint64(le.Uint32(e[8:]))
				}
			}
			vals := make([]uint64, cnt)
			for k := range vals {
				if typ == 16 {
					vals[k] = le.Uint64(raw[pos+8*uint64(k):])
				} else {
					vals[k] = uint64(le.Uint32(raw[pos+4*uint64(k):]))
				}
			}
			if tag == 324 {
				offs = vals
			} else {
				cnts = vals
			}
		}
		for k, o := range offs {
			if le.Uint32(raw[o-4:]) != uint32(cnts[k]) {
				t.Errorf("tile at %d: leader %d, count %d", o, le.Uint32(raw[o-4:]), cnts[k])
			}
			end := o + cnts[k]
			if !bytes.Equal(raw[end-4:end], raw[end:end+4]) {
				t.Errorf("tile at %d: bad trailer", o)
			}
			if k > 0 && o < offs[k-1] {
				t.Errorf("tiles not in row-major order")
			}
		}
		firstData = append(firstData, offs[0])
		if big {
			ifd = le.Uint64(raw[ifd+hdr+n*esz:])
		} else {
			ifd = uint64(le.Uint32(raw[ifd+hdr+n*esz:]))
		}
	}
	for i := 1; i < len(firstData); i++ {
		if firstData[i] > firstData[i-1] {
			t.Errorf("level %d data at %d comes after level %d data at %d", i, firstData[i], i-1, firstData[i-1])
		}
	}
}
