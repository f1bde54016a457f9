package hdf5

import (
	"math"
	"sync"
)

// Dataset is an HDF5 dataset (a netCDF-4 variable). Its metadata is read
// when the file is opened; its chunk index is loaded on first read. A
// Dataset is safe for concurrent use by multiple goroutines.
type Dataset struct {
	file     *File
	name     string
	path     string
	addr     uint64
	shape    []int
	maxShape []int
	dtype    Datatype
	layout   *layoutInfo
	filters  []Filter
	fill     []byte // file byte order, len == dtype.Size; nil when undefined
	attrs    []Attribute
	dims     []string
	external bool

	elemSize   int
	chunkBytes uint64

	indexOnce sync.Once
	index     *chunkIndex
	indexErr  error
}

// newDataset builds a dataset from its object header.
func (f *File) newDataset(oh *objectHeader, name, path string) (*Dataset, error) {
	ds := &Dataset{file: f, name: name, path: path, addr: oh.addr}
	m := oh.find(msgDataspace)
	if m == nil {
		return nil, corruptf("dataset without dataspace message")
	}
	data, err := f.resolveShared(m, msgDataspace)
	if err != nil {
		return nil, err
	}
	space, err := f.parseDataspace(data)
	if err != nil {
		return nil, err
	}
	ds.shape, ds.maxShape = space.dims, space.maxDims
	if space.null {
		ds.shape = []int{0}
		ds.maxShape = []int{0}
	}
	if m = oh.find(msgDatatype); m == nil {
		return nil, corruptf("dataset without datatype message")
	}
	if data, err = f.resolveShared(m, msgDatatype); err != nil {
		return nil, err
	}
	if ds.dtype, err = f.parseDatatype(f.newDecoder(data, "datatype message"), 0); err != nil {
		return nil, err
	}
	ds.elemSize = ds.dtype.Size
	if ds.elemSize <= 0 {
		return nil, corruptf("datatype size %d", ds.elemSize)
	}
	if _, ok := checkedMul(uint64(space.numElements()), uint64(ds.elemSize), math.MaxInt64/2); !ok {
		return nil, corruptf("dataset size overflows")
	}
	if m = oh.find(msgLayout); m == nil {
		return nil, corruptf("dataset without layout message")
	}
	if ds.layout, err = f.parseLayout(m.data); err != nil {
		return nil, err
	}
	if ds.layout.kind == LayoutChunked {
		if len(ds.layout.chunk) != len(ds.shape) {
			return nil, corruptf("chunk rank %d differs from dataset rank %d", len(ds.layout.chunk), len(ds.shape))
		}
		n := uint64(ds.elemSize)
		for _, c := range ds.layout.chunk {
			var ok bool
			if n, ok = checkedMul(n, uint64(c), maxChunkBytes); !ok {
				return nil, corruptf("chunk size exceeds %d bytes", maxChunkBytes)
			}
		}
		ds.chunkBytes = n
	}
	if m = oh.find(msgFilters); m != nil {
		if data, err = f.resolveShared(m, msgFilters); err != nil {
			return nil, err
		}
		if ds.filters, err = f.parseFilters(data); err != nil {
			return nil, err
		}
	}
	m = oh.find(msgFill)
	if m == nil {
		m = oh.find(msgFillOld)
	}
	if m != nil && m.flags&msgFlagShared == 0 {
		fv, err := f.parseFillValue(m)
		if err != nil {
			return nil, err
		}
		if len(fv) == ds.elemSize {
			ds.fill = append([]byte(nil), fv...)
		}
	}
	ds.external = oh.find(msgExternal) != nil
	if ds.attrs, err = f.objectAttributes(oh); err != nil {
		return nil, err
	}
	return ds, nil
}

// Name returns the dataset's link name (the last path component).
func (ds *Dataset) Name() string { return ds.name }

// Path returns the dataset's absolute path, e.g. "/NS/SLV/zFactorCorrected".
func (ds *Dataset) Path() string { return ds.path }

// Shape returns the current dimensions (empty for a scalar dataset).
func (ds *Dataset) Shape() []int { return append([]int(nil), ds.shape...) }

// MaxShape returns the maximum dimensions; Unlimited (-1) marks unlimited ones.
func (ds *Dataset) MaxShape() []int { return append([]int(nil), ds.maxShape...) }

// Rank returns the number of dimensions (0 for a scalar dataset).
func (ds *Dataset) Rank() int { return len(ds.shape) }

// NumElements returns the number of elements (1 for a scalar dataset).
func (ds *Dataset) NumElements() int {
	n := 1
	for _, v := range ds.shape {
		n *= v
	}
	return n
}

// DType describes the element type.
func (ds *Dataset) DType() Datatype { return ds.dtype }

// ElemSize returns the size of one element in bytes.
func (ds *Dataset) ElemSize() int { return ds.elemSize }

// Layout returns the storage layout.
func (ds *Dataset) Layout() LayoutKind { return ds.layout.kind }

// ChunkIndex returns the kind of chunk index (IndexNone unless chunked).
func (ds *Dataset) ChunkIndex() ChunkIndexKind { return ds.layout.index }

// ChunkShape returns the chunk dimensions, or nil if the dataset is not chunked.
func (ds *Dataset) ChunkShape() []int {
	if ds.layout.kind != LayoutChunked {
		return nil
	}
	return append([]int(nil), ds.layout.chunk...)
}

// Filters returns the filter pipeline in application (write) order.
func (ds *Dataset) Filters() []Filter { return append([]Filter(nil), ds.filters...) }

// Compression describes the filter pipeline, e.g. "shuffle+deflate(level 5)" or "none".
func (ds *Dataset) Compression() string { return describeFilters(ds.filters) }

// FillValue returns the fill value of one element in host (little-endian)
// byte order and whether one is defined in the file. Without one, unwritten
// chunks read as zero bytes.
func (ds *Dataset) FillValue() ([]byte, bool) {
	if ds.fill == nil {
		return make([]byte, ds.elemSize), false
	}
	v := append([]byte(nil), ds.fill...)
	swapElements(v, ds.dtype.swapSpans(0, nil), ds.elemSize)
	return v, true
}

// Attrs returns the user-facing attributes: netCDF-4 and dimension-scale
// bookkeeping attributes are hidden (see AllAttrs).
func (ds *Dataset) Attrs() []Attribute { return visibleAttrs(ds.attrs) }

// AllAttrs returns every attribute stored on the dataset.
func (ds *Dataset) AllAttrs() []Attribute { return append([]Attribute(nil), ds.attrs...) }

// Attr returns the attribute with the given name (hidden ones included).
func (ds *Dataset) Attr(name string) (Attribute, bool) { return findAttr(ds.attrs, name) }

// Dims returns the netCDF-4 dimension names of the dataset, one per
// dimension, or nil when the file does not name them.
func (ds *Dataset) Dims() []string { return append([]string(nil), ds.dims...) }

// IsDimensionScale reports whether the dataset is an HDF5 dimension scale
// (a netCDF-4 dimension or coordinate variable).
func (ds *Dataset) IsDimensionScale() bool {
	a, ok := ds.Attr("CLASS")
	if !ok {
		return false
	}
	s, _ := a.AsString()
	return s == "DIMENSION_SCALE"
}

// chunkIdx returns the chunk index, loading it on first use.
func (ds *Dataset) chunkIdx() (*chunkIndex, error) {
	ds.indexOnce.Do(func() {
		ds.index, ds.indexErr = ds.loadChunkIndex()
	})
	return ds.index, ds.indexErr
}

// wrapErr attaches the file and variable names to err.
func (ds *Dataset) wrapErr(err error) error {
	return ds.file.objError("variable "+ds.path, err)
}
