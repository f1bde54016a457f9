package netcdf4

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/hdf5"
)

func init() {
	formats.Register(formats.Format{Name: "netcdf4", Exts: []string{".h5", ".hdf5", ".he5", ".nc4", ".hdf"},
		Magic: []string{"\x89HDF\r\n\x1a\n"}, Open: Open, OpenAt: OpenAt})
}

// Reader reads regions of one variable of a NetCDF-4/HDF5 file. It is safe
// for concurrent use.
type Reader struct {
	file    *hdf5.File
	ds      *hdf5.Dataset
	lead    int // leading size-1 dimensions dropped
	info    formats.Info
	mask    *hdf5.Dataset // the quality-flag variable, when masking
	maskMax int64
	fill    []byte // raw fill value written over masked pixels

	scalarsOnce sync.Once
	scalars     formats.Attrs
}

// Open opens path and selects the variable opts.Variable names.
func Open(path string, opts formats.OpenOptions) (formats.Reader, error) {
	f, err := hdf5.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := newReader(f, path, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

func newReader(f *hdf5.File, path string, opts formats.OpenOptions) (*Reader, error) {
	ds, err := pick(f, opts.Variable)
	if err != nil {
		return nil, fmt.Errorf("netcdf4: %s: %w", path, err)
	}
	shape, lead, err := shape2D(ds)
	if err != nil {
		return nil, fmt.Errorf("netcdf4: %s: variable %s: %w (2-D variables: %s)", path, ds.Path(), err, strings.Join(variables2D(f), ", "))
	}
	dt, err := dtypeOf(ds.DType())
	if err != nil {
		return nil, fmt.Errorf("netcdf4: %s: variable %s: %w", path, ds.Path(), err)
	}
	r := &Reader{file: f, ds: ds, lead: lead}
	r.info = formats.Info{Path: path, Format: "netcdf4", Variable: ds.Path(), Shape: shape, DType: dt,
		Attrs: convertAttrs(ds.Attrs()), Global: convertAttrs(f.Attrs())}
	if f.IsNetCDF4() {
		r.info.Format = "netcdf4"
	} else {
		r.info.Format = "hdf5"
	}
	if cs := ds.ChunkShape(); len(cs) >= 2 {
		r.info.Storage = chunk.Shape{Rows: cs[len(cs)-2], Cols: cs[len(cs)-1]}
	}
	if dims := ds.Dims(); len(dims) >= 2 {
		r.info.Dims = dims[len(dims)-2:]
	}
	r.info.Geo = abiCoords(f, r.info)
	if opts.Mask != "" {
		if err := r.setMask(opts.Mask, opts.MaskMax); err != nil {
			return nil, fmt.Errorf("netcdf4: %s: %w", path, err)
		}
	}
	return r, nil
}

// pick finds the variable: by name or path, else Rad, else the largest 2-D
// numeric data variable (see [largerData]): not a dimension scale, not a
// coordinate that another variable's "coordinates" attribute names (the
// lat and lon of a MODIS or VIIRS L2P), not a latitude or longitude by
// name, not a flag variable.
func pick(f *hdf5.File, name string) (*hdf5.Dataset, error) {
	if name != "" {
		ds, err := f.Dataset(name)
		if err != nil {
			return nil, fmt.Errorf("no variable %q (2-D variables: %s)", name, strings.Join(variables2D(f), ", "))
		}
		return ds, nil
	}
	if ds, err := f.Dataset("Rad"); err == nil {
		return ds, nil
	}
	coords := map[string]bool{}
	for _, ds := range f.Datasets() {
		if s, ok := attrString(ds, "coordinates"); ok {
			for _, c := range strings.Fields(s) {
				coords[c] = true
			}
		}
	}
	var best, fallback *hdf5.Dataset
	for _, ds := range f.Datasets() {
		if _, _, err := shape2D(ds); err != nil || !ds.DType().IsNumeric() || ds.IsDimensionScale() {
			continue
		}
		if fallback == nil || ds.NumElements() > fallback.NumElements() {
			fallback = ds
		}
		if coords[ds.Name()] || coords[strings.TrimPrefix(ds.Path(), "/")] || isLatLon(ds) || isFlags(ds) {
			continue
		}
		if best == nil || largerData(ds, best) {
			best = ds
		}
	}
	if best == nil {
		best = fallback // only coordinates or flags: still the largest
	}
	if best == nil {
		return nil, fmt.Errorf("no 2-D numeric variable")
	}
	return best, nil
}

// largerData reports whether a ranks before b as the default variable:
// more elements, then a CF standard_name (an L2P's sea_water_temperature
// over its auxiliary fields of the same size); else the first in the
// file stays.
func largerData(a, b *hdf5.Dataset) bool {
	if a.NumElements() != b.NumElements() {
		return a.NumElements() > b.NumElements()
	}
	_, na := attrString(a, "standard_name")
	_, nb := attrString(b, "standard_name")
	return na && !nb
}

// isLatLon reports whether ds is a latitude or longitude field by its
// name or CF standard_name (GPM's /NS/Latitude has no CF attributes).
func isLatLon(ds *hdf5.Dataset) bool {
	names := []string{strings.ToLower(ds.Name())}
	if s, ok := attrString(ds, "standard_name"); ok {
		names = append(names, strings.ToLower(s))
	}
	for _, n := range names {
		switch n {
		case "lat", "lon", "latitude", "longitude":
			return true
		}
	}
	return false
}

// isFlags reports whether ds is a CF flag variable (flag_meanings).
func isFlags(ds *hdf5.Dataset) bool {
	_, ok := attrString(ds, "flag_meanings")
	return ok
}

// attrString returns the named string attribute of ds.
func attrString(ds *hdf5.Dataset, name string) (string, bool) {
	for _, a := range ds.Attrs() {
		if a.Name == name {
			return a.AsString()
		}
	}
	return "", false
}

// variables2D lists the paths of the file's 2-D numeric variables.
func variables2D(f *hdf5.File) []string {
	var out []string
	for _, ds := range f.Datasets() {
		if _, _, err := shape2D(ds); err == nil && ds.DType().IsNumeric() && !ds.IsDimensionScale() {
			out = append(out, strings.TrimPrefix(ds.Path(), "/"))
		}
	}
	sort.Strings(out)
	return out
}

// Variables lists the 2-D variables --var may name.
func (r *Reader) Variables() []string { return variables2D(r.file) }

// shape2D returns a dataset's shape as rows x cols, dropping leading
// dimensions of size 1.
func shape2D(ds *hdf5.Dataset) (chunk.Shape, int, error) {
	dims := ds.Shape()
	lead := 0
	for len(dims)-lead > 2 && dims[lead] == 1 {
		lead++
	}
	d := dims[lead:]
	if len(d) != 2 {
		return chunk.Shape{}, 0, fmt.Errorf("has shape %v, not 2-D", dims)
	}
	return chunk.Shape{Rows: d[0], Cols: d[1]}, lead, nil
}

// dtypeOf maps an HDF5 datatype to a chunkpipe element type.
func dtypeOf(t hdf5.Datatype) (chunk.DType, error) {
	switch t.Kind() {
	case reflect.Int8:
		return chunk.Int8, nil
	case reflect.Uint8:
		return chunk.Uint8, nil
	case reflect.Int16:
		return chunk.Int16, nil
	case reflect.Uint16:
		return chunk.Uint16, nil
	case reflect.Int32:
		return chunk.Int32, nil
	case reflect.Uint32:
		return chunk.Uint32, nil
	case reflect.Int64:
		return chunk.Int64, nil
	case reflect.Uint64:
		return chunk.Uint64, nil
	case reflect.Float32:
		return chunk.Float32, nil
	case reflect.Float64:
		return chunk.Float64, nil
	}
	return chunk.Invalid, fmt.Errorf("type %v is not numeric", t)
}

// Info describes the variable.
func (r *Reader) Info() formats.Info { return r.info }

// ReadRegion reads region reg into dst, decoding only the storage chunks it
// touches (several in parallel).
func (r *Reader) ReadRegion(ctx context.Context, reg chunk.Region, dst *chunk.Array) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !r.info.Shape.Bounds().Contains(reg) || dst.Rect != reg || dst.DType != r.info.DType {
		return fmt.Errorf("netcdf4: %s: variable %s: bad region %v into %v %v", r.info.Path, r.info.Variable, reg, dst.DType, dst.Rect)
	}
	if reg.Empty() {
		return nil
	}
	start := make([]int, r.lead+2)
	count := make([]int, r.lead+2)
	for i := 0; i < r.lead; i++ {
		count[i] = 1
	}
	start[r.lead], start[r.lead+1] = reg.Row0, reg.Col0
	count[r.lead], count[r.lead+1] = reg.Rows(), reg.Cols()
	buf := dst.Data[:dst.Bytes()]
	strided := !dst.Contiguous()
	if strided {
		buf = make([]byte, reg.Len()*dst.DType.Size())
	}
	workers := 1
	if cs := r.info.Storage; cs.Rows > 0 && (reg.Rows() > cs.Rows || reg.Cols() > cs.Cols) {
		workers = 2
	}
	if err := r.ds.ReadHyperslabParallel(start, count, buf, workers); err != nil {
		return err
	}
	if strided {
		src := &chunk.Array{DType: dst.DType, Rect: reg, Stride: reg.Cols(), Data: buf}
		dst.CopyFrom(src)
	}
	if r.mask != nil {
		return r.applyMask(reg, dst)
	}
	return nil
}

// Close closes the file.
func (r *Reader) Close() error { return r.file.Close() }

// Scalars returns the file's scalar numeric variables (ABI's kappa0,
// planck_fk1, band_id, ...), read once.
func (r *Reader) Scalars() formats.Attrs {
	r.scalarsOnce.Do(func() {
		for _, ds := range r.file.Datasets() {
			if ds.NumElements() != 1 || !ds.DType().IsNumeric() || len(ds.Shape()) > 1 || ds.IsDimensionOnly() {
				continue
			}
			raw, err := ds.ReadAll()
			if err != nil {
				continue
			}
			v, ok := decodeScalar(ds.DType(), raw)
			if !ok {
				continue
			}
			// CF packing applies to scalar variables too (e.g. ABI's
			// packed scalars); calibration constants are unpacked floats.
			if sf, ok := attrFloat(ds, "scale_factor"); ok {
				v *= sf
			}
			if ao, ok := attrFloat(ds, "add_offset"); ok {
				v += ao
			}
			name := strings.TrimPrefix(ds.Path(), "/")
			r.scalars = append(r.scalars, formats.Attr{Name: name, Value: v})
		}
	})
	return r.scalars
}

func attrFloat(ds *hdf5.Dataset, name string) (float64, bool) {
	a, ok := ds.Attr(name)
	if !ok {
		return 0, false
	}
	return a.Float64()
}

// decodeScalar reads one host-order element of type t as float64.
func decodeScalar(t hdf5.Datatype, b []byte) (float64, bool) {
	dt, err := dtypeOf(t)
	if err != nil || len(b) < dt.Size() {
		return 0, false
	}
	a := chunk.NewArray(dt, chunk.Rect(0, 0, 1, 1))
	copy(a.Data, b)
	var v [1]float64
	if chunk.ConvertRow(v[:], a, 0, 0) != nil {
		return 0, false
	}
	return v[0], true
}

// convertAttrs turns HDF5 attributes into formats attributes: strings stay
// strings, one-element numbers become float64 or int64 scalars, longer
// ones slices.
func convertAttrs(in []hdf5.Attribute) formats.Attrs {
	var out formats.Attrs
	for _, a := range in {
		if s, ok := a.AsString(); ok {
			out = append(out, formats.Attr{Name: a.Name, Value: s})
			continue
		}
		isFloat := a.Type.Class == hdf5.ClassFloat
		if isFloat {
			if fs, ok := a.Float64s(); ok {
				if len(fs) == 1 {
					out = append(out, formats.Attr{Name: a.Name, Value: fs[0]})
				} else {
					out = append(out, formats.Attr{Name: a.Name, Value: fs})
				}
			}
			continue
		}
		if is, ok := a.Int64s(); ok {
			if len(is) == 1 {
				out = append(out, formats.Attr{Name: a.Name, Value: is[0]})
			} else {
				out = append(out, formats.Attr{Name: a.Name, Value: is})
			}
			continue
		}
		if fs, ok := a.Float64s(); ok && len(fs) > 0 {
			out = append(out, formats.Attr{Name: a.Name, Value: fs})
		}
	}
	return out
}
