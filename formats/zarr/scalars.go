package zarr

import (
	"encoding/binary"
	"encoding/json"
	"math"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

var _ formats.ScalarReader = (*Reader)(nil)

// Scalars returns the one-element numeric arrays of the reader's store
// (shape [] or [1]) by path, unpacked with their scale_factor and
// add_offset, as the NetCDF-4 reader returns a file's scalar variables:
// ABI's calibration constants, in an index of an ABI granule. A store
// that cannot be listed (HTTP without consolidated metadata), or an
// array store, has none; arrays that cannot be read are left out.
func (r *Reader) Scalars() formats.Attrs {
	r.scalarsOnce.Do(func() {
		if r.name == "" {
			return
		}
		arrays, err := listAllArrays(r.store)
		if err != nil {
			return
		}
		for _, a := range arrays {
			if v, ok := readScalar(r.store, a); ok {
				r.scalars = append(r.scalars, formats.Attr{Name: a, Value: v})
			}
		}
	})
	return r.scalars
}

// listAllArrays lists every array of a group store, whatever its rank.
func listAllArrays(s store) ([]string, error) {
	members, err := listArrays(s)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(members))
	for i, m := range members {
		out[i] = m.Path
	}
	return out, nil
}

// readScalar reads the one element of the array at name, unpacked.
func readScalar(s store, name string) (float64, bool) {
	b, err := readMeta(s, metaKey(name, zarrayFile))
	if err != nil {
		return 0, false
	}
	var z zarrayJSON
	if json.Unmarshal(b, &z) != nil || z.ZarrFormat != 2 || len(z.Shape) > 1 || (len(z.Shape) == 1 && z.Shape[0] != 1) {
		return 0, false
	}
	var ds string
	if json.Unmarshal(z.DType, &ds) != nil {
		return 0, false
	}
	t, err := parseDType(ds)
	if err != nil {
		return 0, false
	}
	c, err := newCodec(z.Compressor, t.DType.Size())
	if err != nil {
		return 0, false
	}
	if c, err = withFilters(z.Filters, c, t.DType.Size()); err != nil {
		return 0, false
	}
	fill, err := parseFill(z.FillValue, t.DType)
	if err != nil {
		return 0, false
	}
	elem := make([]byte, t.DType.Size())
	data, err := s.get(s.openContext(), metaKey(name, "0"), c.maxEncoded(len(elem)))
	switch {
	case err == nil:
		if c.decode(elem, data) != nil {
			return 0, false
		}
		if t.BigEndian {
			for i, j := 0, len(elem)-1; i < j; i, j = i+1, j-1 {
				elem[i], elem[j] = elem[j], elem[i]
			}
		}
	case fill.Set:
		copy(elem, fill.elem(t.DType))
	default:
		return 0, false
	}
	v, ok := elemFloat(t.DType, elem)
	if !ok {
		return 0, false
	}
	attrs, _, _ := readAttrs(s, name)
	if sf, ok := attrs.Float("scale_factor"); ok {
		v *= sf
	}
	if ao, ok := attrs.Float("add_offset"); ok {
		v += ao
	}
	return v, true
}

// elemFloat converts one little-endian element to float64.
func elemFloat(t chunk.DType, b []byte) (float64, bool) {
	le := binary.LittleEndian
	switch t {
	case chunk.Int8:
		return float64(int8(b[0])), true
	case chunk.Uint8:
		return float64(b[0]), true
	case chunk.Int16:
		return float64(int16(le.Uint16(b))), true
	case chunk.Uint16:
		return float64(le.Uint16(b)), true
	case chunk.Int32:
		return float64(int32(le.Uint32(b))), true
	case chunk.Uint32:
		return float64(le.Uint32(b)), true
	case chunk.Int64:
		return float64(int64(le.Uint64(b))), true
	case chunk.Uint64:
		return float64(le.Uint64(b)), true
	case chunk.Float32:
		return float64(math.Float32frombits(le.Uint32(b))), true
	case chunk.Float64:
		return math.Float64frombits(le.Uint64(b)), true
	}
	return 0, false
}
