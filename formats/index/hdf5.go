package index

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"strings"

	"chunkpipe/formats/hdf5"
	"chunkpipe/formats/zarr"
)

// FromHDF5 describes every numeric dataset of f (a NetCDF-4 or HDF5 file)
// whose storage maps to Zarr, with chunk references pointing to url.
// Datasets of at most InlineBytes (scalars such as ABI's calibration
// constants, short coordinate variables) are stored in the document
// itself, uncompressed. Groups become Zarr groups; the NetCDF dimension
// names of a variable become its _ARRAY_DIMENSIONS. Dimension-only
// datasets are left out.
func FromHDF5(f *hdf5.File, url string) (*Refs, error) {
	r := newRefs(url)
	r.Meta[".zgroup"] = []byte(`{"zarr_format": 2}`)
	r.Meta[".zattrs"] = attrsJSON(f.Attrs(), nil)
	err := f.Root().WalkDatasets(func(ds *hdf5.Dataset) error {
		if ds.IsDimensionOnly() {
			return nil
		}
		if err := addDataset(r, ds); err != nil {
			r.Skipped = append(r.Skipped, fmt.Sprintf("%s: %v", strings.TrimPrefix(ds.Path(), "/"), err))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// addDataset adds one dataset's documents and chunk references, or
// nothing with the reason it cannot be described.
func addDataset(r *Refs, ds *hdf5.Dataset) error {
	name := strings.TrimPrefix(ds.Path(), "/")
	dtype, err := zarrDType(ds.DType())
	if err != nil {
		return err
	}
	shape := ds.Shape()
	if n := ds.NumElements() * ds.ElemSize(); n <= InlineBytes && n > 0 {
		return addInline(r, ds, name, dtype)
	}
	chunks := shape
	var refs map[string]Range
	var filters, compressor string
	switch ds.Layout() {
	case hdf5.LayoutChunked:
		chunks = ds.ChunkShape()
		if filters, compressor, err = numcodecs(ds.Filters(), ds.ElemSize()); err != nil {
			return err
		}
		stored, err := ds.StoredChunks()
		if err != nil {
			return err
		}
		refs = make(map[string]Range, len(stored))
		for _, c := range stored {
			if c.FilterMask != 0 {
				return fmt.Errorf("chunk %v skipped filters (mask %#x)", c.Coords, c.FilterMask)
			}
			refs[chunkKey(name, c.Coords)] = Range{int64(c.Offset), int64(c.Size)}
		}
	case hdf5.LayoutContiguous:
		if len(ds.Filters()) > 0 {
			return fmt.Errorf("filters on contiguous storage")
		}
		off, size, ok := ds.ContiguousExtent()
		if !ok {
			return fmt.Errorf("contiguous storage never written or external")
		}
		for i, n := range chunks {
			if n == 0 {
				chunks[i] = 1
			}
		}
		refs = map[string]Range{chunkKey(name, make([]int, len(shape))): {int64(off), int64(size)}}
		filters, compressor = "null", "null"
	default:
		return fmt.Errorf("%s layout", ds.Layout())
	}
	fill := "null"
	if b, ok := ds.FillValue(); ok {
		fill = fillJSON(b, ds.DType())
	}
	r.Meta[name+"/.zarray"] = fmt.Appendf(nil, `{"chunks": %s, "compressor": %s, "dtype": %q, "fill_value": %s, "filters": %s, "order": "C", "shape": %s, "zarr_format": 2}`,
		intsJSON(chunks), compressor, dtype, fill, filters, intsJSON(shape))
	addAttrs(r, ds, name)
	for k, v := range refs {
		r.Chunks[k] = v
	}
	return nil
}

func parentDir(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[:i]
	}
	return ""
}

// numcodecs maps an HDF5 filter pipeline (in the order filters are
// applied when writing) to numcodecs filters and compressor JSON: at most
// a shuffle, then at most a deflate.
func numcodecs(pipeline []hdf5.Filter, elemSize int) (filters, compressor string, err error) {
	filters, compressor = "null", "null"
	for i, f := range pipeline {
		switch {
		case f.ID == hdf5.FilterShuffle && i == 0:
			filters = fmt.Sprintf(`[{"elementsize": %d, "id": "shuffle"}]`, elemSize)
		case f.ID == hdf5.FilterDeflate && i == len(pipeline)-1:
			level := 4
			if len(f.ClientData) > 0 {
				level = int(f.ClientData[0])
			}
			compressor = fmt.Sprintf(`{"id": "zlib", "level": %d}`, level)
		default:
			return "", "", fmt.Errorf("filter %s has no numcodecs equivalent here", f)
		}
	}
	return filters, compressor, nil
}

// zarrDType is the NumPy type string of an HDF5 integer or float type.
func zarrDType(t hdf5.Datatype) (string, error) {
	order := "<"
	if t.BigEndian {
		order = ">"
	}
	if t.Size == 1 {
		order = "|"
	}
	switch {
	case t.Class == hdf5.ClassFixedPoint && t.Signed && (t.Size == 1 || t.Size == 2 || t.Size == 4 || t.Size == 8):
		return fmt.Sprintf("%si%d", order, t.Size), nil
	case t.Class == hdf5.ClassFixedPoint && (t.Size == 1 || t.Size == 2 || t.Size == 4 || t.Size == 8):
		return fmt.Sprintf("%su%d", order, t.Size), nil
	case t.Class == hdf5.ClassFloat && (t.Size == 4 || t.Size == 8):
		return fmt.Sprintf("%sf%d", order, t.Size), nil
	}
	return "", fmt.Errorf("%s type of %d bytes", t.Class, t.Size)
}

// fillJSON is the fill value for .zarray of one element b in the file's
// byte order: a number, or "NaN", "Infinity", "-Infinity" as Zarr v2
// writes non-finite fills.
func fillJSON(b []byte, t hdf5.Datatype) string {
	var bo binary.ByteOrder = binary.LittleEndian
	if t.BigEndian {
		bo = binary.BigEndian
	}
	var u uint64
	switch t.Size {
	case 1:
		u = uint64(b[0])
	case 2:
		u = uint64(bo.Uint16(b))
	case 4:
		u = uint64(bo.Uint32(b))
	case 8:
		u = bo.Uint64(b)
	}
	if t.Class == hdf5.ClassFloat {
		f := math.Float64frombits(u)
		if t.Size == 4 {
			f = float64(math.Float32frombits(uint32(u)))
		}
		if s := zarr.FloatJSON(f); s == "NaN" || s == "Infinity" || s == "-Infinity" {
			return `"` + s + `"`
		}
		return zarr.FloatJSON(f)
	}
	if t.Signed {
		shift := 64 - 8*t.Size
		return fmt.Sprint(int64(u<<shift) >> shift)
	}
	return fmt.Sprint(u)
}

// attrsJSON is the .zattrs document of attrs, with dims as
// _ARRAY_DIMENSIONS when given. Attributes with no JSON form are left out.
func attrsJSON(attrs []hdf5.Attribute, dims []string) []byte {
	var b strings.Builder
	b.WriteString("{")
	n := 0
	add := func(name, value string) {
		if n > 0 {
			b.WriteString(",")
		}
		n++
		k, _ := jsonValue(name)
		b.WriteString("\n    " + k + ": " + value)
	}
	for _, a := range attrs {
		val := a.Value
		if rv := reflect.ValueOf(val); rv.Kind() == reflect.Slice && rv.Len() == 1 && rv.Type().Elem().Kind() != reflect.Uint8 {
			val = rv.Index(0).Interface() // a one-element attribute reads as a scalar, as netCDF4-python gives it
		}
		if v, ok := jsonValue(val); ok {
			add(a.Name, v)
		}
	}
	if len(dims) > 0 {
		v, _ := jsonValue(dims)
		add("_ARRAY_DIMENSIONS", v)
	}
	b.WriteString("\n}")
	return []byte(b.String())
}

func intsJSON(v []int) string {
	s, _ := jsonValue(v)
	return s
}

// chunkKey is the Zarr key of the chunk at grid position coords.
func chunkKey(name string, coords []int) string {
	parts := make([]string, len(coords))
	for i, c := range coords {
		parts[i] = fmt.Sprint(c)
	}
	return name + "/" + strings.Join(parts, ".")
}

// InlineBytes is the largest dataset whose data goes into the document.
const InlineBytes = 4096

// addInline adds a small dataset with its data in the document, in
// little-endian order, as one uncompressed chunk.
func addInline(r *Refs, ds *hdf5.Dataset, name, dtype string) error {
	data, err := ds.ReadAll() // numeric data comes in host (little-endian) order
	if err != nil {
		return err
	}
	if dtype[0] == '>' {
		dtype = "<" + dtype[1:]
	}
	fill := "null"
	if b, ok := ds.FillValue(); ok {
		fill = fillJSON(b, ds.DType())
	}
	shape := ds.Shape()
	if ds.Rank() == 0 {
		shape = []int{}
	}
	r.Meta[name+"/.zarray"] = fmt.Appendf(nil, `{"chunks": %s, "compressor": null, "dtype": %q, "fill_value": %s, "filters": null, "order": "C", "shape": %s, "zarr_format": 2}`,
		intsJSON(shape), dtype, fill, intsJSON(shape))
	key := name + "/0"
	if len(shape) > 0 {
		key = chunkKey(name, make([]int, len(shape)))
	}
	r.Inline[key] = data
	addAttrs(r, ds, name)
	return nil
}

// addAttrs adds the .zattrs of a dataset and the .zgroup of each group
// above it.
func addAttrs(r *Refs, ds *hdf5.Dataset, name string) {
	dims := ds.Dims()
	if len(dims) != ds.Rank() {
		dims = nil
	}
	r.Meta[name+"/.zattrs"] = attrsJSON(ds.Attrs(), dims)
	for dir := parentDir(name); dir != ""; dir = parentDir(dir) {
		r.Meta[dir+"/.zgroup"] = []byte(`{"zarr_format": 2}`)
	}
}
