package netcdf3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/internal/regularfile"
)

// maxCoordValues bounds the coordinate variables the reader loads into
// [Coords] at open; longer ones are left out.
const maxCoordValues = 1 << 24

// Reader reads regions of one variable of a NetCDF classic file. It
// implements [formats.Reader] and [formats.Describer], and is safe for
// concurrent use.
type Reader struct {
	path      string
	ra        io.ReaderAt
	closer    io.Closer
	h         *header
	v         *variable
	info      formats.Info
	rowStride int64 // bytes between the starts of consecutive rows
	esize     int
}

var (
	_ formats.Reader    = (*Reader)(nil)
	_ formats.Describer = (*Reader)(nil)
)

// Open opens the NetCDF classic file at path and selects the variable
// opts.Variable, or by default the largest two-dimensional variable that
// is not a coordinate variable (see the package documentation for the
// shapes accepted). Only the header is read.
func Open(path string, opts formats.OpenOptions) (*Reader, error) {
	f, st, err := regularfile.Open(path)
	if err != nil {
		return nil, fmt.Errorf("netcdf3: %w", err)
	}
	r, err := NewReader(f, st.Size(), path, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// NewReader reads a NetCDF classic file of size bytes from ra, as [Open]
// does. name identifies the file in errors and Info. Close does not close
// ra.
func NewReader(ra io.ReaderAt, size int64, name string, opts formats.OpenOptions) (*Reader, error) {
	h, err := parseHeader(ra, size)
	if err != nil {
		return nil, fmt.Errorf("netcdf3: %s: %w", name, err)
	}
	r := &Reader{path: name, ra: ra, h: h}
	if err := r.selectVar(opts.Variable); err != nil {
		return nil, fmt.Errorf("netcdf3: %s: %w", name, err)
	}
	v := r.v
	rows, cols, _ := h.plane(v)
	r.esize = v.typ.Size()
	r.rowStride = cols * int64(r.esize)
	if v.record && len(v.shape) == 2 {
		r.rowStride = h.recsize
	}
	r.info = formats.Info{
		Path:     name,
		Format:   "netcdf3",
		Variable: v.name,
		Shape:    chunk.Shape{Rows: int(rows), Cols: int(cols)},
		DType:    v.typ.DType(),
		Attrs:    toAttrs(v.attrs),
		Global:   toAttrs(h.global),
	}
	if r.rowStride != cols*int64(r.esize) {
		r.info.Storage = chunk.Shape{Rows: 1, Cols: int(cols)}
	}
	for _, id := range v.dimids {
		r.info.Dims = append(r.info.Dims, h.dims[id].name)
	}
	c, err := r.coords()
	if err != nil {
		return nil, fmt.Errorf("netcdf3: %s: %w", name, err)
	}
	if c != nil {
		r.info.Geo = c
	}
	return r, nil
}

// plane returns the 2-D shape of v, or ok false when v is not numeric or
// not 2-D after dropping a leading dimension of size 1.
func (h *header) plane(v *variable) (rows, cols int64, ok bool) {
	if v.typ == Char {
		return 0, 0, false
	}
	switch {
	case len(v.shape) == 2:
		rows, cols = v.shape[0], v.shape[1]
	case len(v.shape) == 3 && v.shape[0] == 1:
		rows, cols = v.shape[1], v.shape[2]
	default:
		return 0, 0, false
	}
	// Both sizes are bounded by the file size (checked by layout), so the
	// product cannot overflow.
	return rows, cols, true
}

// describeVar formats a variable's declaration, e.g. "float data(y, x)".
func (h *header) describeVar(v *variable) string {
	var dims []string
	for i, id := range v.dimids {
		dims = append(dims, fmt.Sprintf("%s=%d", h.dims[id].name, v.shape[i]))
	}
	return fmt.Sprintf("%v %s(%s)", v.typ, v.name, strings.Join(dims, ", "))
}

func (r *Reader) selectVar(name string) error {
	h := r.h
	if name != "" {
		for i := range h.vars {
			v := &h.vars[i]
			if v.name != name {
				continue
			}
			if _, _, ok := h.plane(v); !ok {
				return fmt.Errorf("variable %s: %s is not 2-D (want two dimensions, or three with a leading dimension of size 1, of a numeric type)", name, h.describeVar(v))
			}
			r.v = v
			return nil
		}
		return fmt.Errorf("no variable %q (variables: %s)", name, r.varList())
	}
	best := int64(-1)
	for i := range h.vars {
		v := &h.vars[i]
		rows, cols, ok := h.plane(v)
		if !ok || h.isCoord(v) {
			continue
		}
		if n := rows * cols; n > best {
			best, r.v = n, v
		}
	}
	if r.v == nil {
		return fmt.Errorf("no 2-D numeric variable (variables: %s)", r.varList())
	}
	return nil
}

func (r *Reader) varList() string {
	if len(r.h.vars) == 0 {
		return "none"
	}
	var s []string
	for i := range r.h.vars {
		s = append(s, r.h.describeVar(&r.h.vars[i]))
	}
	return strings.Join(s, "; ")
}

// coords collects the selected variable's coordinate variables and the
// file's scalar variables.
func (r *Reader) coords() (*Coords, error) {
	h := r.h
	c := &Coords{}
	n := len(r.v.dimids)
	for i := range h.vars {
		v := &h.vars[i]
		if v.typ == Char || v == r.v {
			continue
		}
		var dst **Var
		switch {
		case len(v.dimids) == 0:
		case h.isCoord(v) && v.dimids[0] == r.v.dimids[n-2]:
			dst = &c.Y
		case h.isCoord(v) && v.dimids[0] == r.v.dimids[n-1]:
			dst = &c.X
		default:
			continue
		}
		if v.slab > maxCoordValues*int64(v.typ.Size()) {
			continue
		}
		vals, err := r.readSmall(v)
		if err != nil {
			return nil, err
		}
		cv := Var{Name: v.name, DType: v.typ.DType(), Attrs: toAttrs(v.attrs), Values: vals}
		if dst != nil {
			*dst = &cv
		} else {
			c.Scalars = append(c.Scalars, cv)
		}
	}
	if c.X == nil && c.Y == nil && len(c.Scalars) == 0 {
		return nil, nil
	}
	if names, ok := toAttrs(r.v.attrs).String("coordinates"); ok {
		for _, n := range strings.Fields(names) {
			if slices.ContainsFunc(c.Scalars, func(v Var) bool { return v.Name == n }) {
				c.Coordinates = append(c.Coordinates, n)
			}
		}
	}
	return c, nil
}

// readSmall reads all values of a 0-D or 1-D variable as float64.
func (r *Reader) readSmall(v *variable) ([]float64, error) {
	n := int64(1)
	if len(v.shape) == 1 {
		n = v.shape[0]
	}
	sz := int64(v.typ.Size())
	buf := make([]byte, n*sz)
	if v.record {
		for i := int64(0); i < n; i++ {
			if err := r.readAt(buf[i*sz:(i+1)*sz], v.begin+i*r.h.recsize); err != nil {
				return nil, fmt.Errorf("variable %s: %w", v.name, err)
			}
		}
	} else if err := r.readAt(buf, v.begin); err != nil {
		return nil, fmt.Errorf("variable %s: %w", v.name, err)
	}
	return decodeFloat64s(v.typ, buf), nil
}

func (r *Reader) readAt(b []byte, off int64) error {
	n, err := r.ra.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("read %d bytes at %d: %w", len(b), off, err)
}

// Info describes the selected variable. Dims lists all its dimensions,
// including a dropped leading one of size 1. Geo is a *[Coords] when the
// file has coordinate or scalar variables, and nil otherwise.
func (r *Reader) Info() formats.Info { return r.info }

// Version returns the file's format version.
func (r *Reader) Version() Version { return r.h.version }

// ReadRegion reads region rg of the variable into dst, converting the
// file's big-endian values to host order. dst must have the variable's
// DType and Rect rg; it may be strided. Contiguous full-width regions of
// fixed-size variables take one ReadAt; others take one per row.
func (r *Reader) ReadRegion(ctx context.Context, rg chunk.Region, dst *chunk.Array) error {
	if err := r.checkRegion(rg, dst); err != nil {
		return fmt.Errorf("netcdf3: %s: variable %s: %w", r.path, r.v.name, err)
	}
	if rg.Empty() {
		return nil
	}
	cols := int64(r.info.Shape.Cols)
	sz := int64(r.esize)
	n := rg.Cols() * r.esize
	if r.rowStride == cols*sz && rg.Cols() == int(cols) && dst.Contiguous() {
		b := dst.Data[:rg.Len()*r.esize]
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := r.readAt(b, r.v.begin+int64(rg.Row0)*r.rowStride); err != nil {
			return fmt.Errorf("netcdf3: %s: variable %s: region %v: %w", r.path, r.v.name, rg, err)
		}
		swapInPlace(b, r.esize)
		return nil
	}
	for row := rg.Row0; row < rg.Row1; row++ {
		if (row-rg.Row0)%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		o := dst.Offset(row, rg.Col0) * r.esize
		b := dst.Data[o : o+n]
		if err := r.readAt(b, r.v.begin+int64(row)*r.rowStride+int64(rg.Col0)*sz); err != nil {
			return fmt.Errorf("netcdf3: %s: variable %s: region %v row %d: %w", r.path, r.v.name, rg, row, err)
		}
		swapInPlace(b, r.esize)
	}
	return nil
}

func (r *Reader) checkRegion(rg chunk.Region, dst *chunk.Array) error {
	if !r.info.Shape.Bounds().Contains(rg) || rg.Row0 > rg.Row1 || rg.Col0 > rg.Col1 {
		return fmt.Errorf("region %v outside the %v array", rg, r.info.Shape)
	}
	if dst == nil || dst.DType != r.info.DType {
		return fmt.Errorf("destination type does not match the variable's %v", r.info.DType)
	}
	if dst.Rect != rg {
		return fmt.Errorf("destination covers %v, not the region %v", dst.Rect, rg)
	}
	if rg.Empty() {
		return nil
	}
	if dst.Stride < rg.Cols() || len(dst.Data) < ((rg.Rows()-1)*dst.Stride+rg.Cols())*r.esize {
		return fmt.Errorf("destination of %d bytes with stride %d is too small for region %v", len(dst.Data), dst.Stride, rg)
	}
	return nil
}

// Close closes the file opened by [Open]; for a [NewReader] it does nothing.
func (r *Reader) Close() error {
	if r.closer == nil {
		return nil
	}
	if err := r.closer.Close(); err != nil {
		return fmt.Errorf("netcdf3: close %s: %w", r.path, err)
	}
	return nil
}
