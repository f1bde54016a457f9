package npy

import (
	"context"
	"fmt"
	"io"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/flat"
	"chunkpipe/internal/regularfile"
)

func init() {
	formats.Register(formats.Format{Name: "npy", Exts: []string{".npy"}, Magic: []string{Magic}, Open: Open, OpenAt: OpenAt, Create: Create, RowMajor: true})
}

// Reader reads regions of a .npy file. It is safe for concurrent use.
type Reader struct {
	flat.Mapping // the file mapped read-only: in-place views and partial-row copies
	f            file
	header       *Header
	layout       flat.Layout
	info         formats.Info
}

// Open opens a .npy file and parses its header; no data is read.
func Open(path string, opts formats.OpenOptions) (formats.Reader, error) {
	f, st, err := regularfile.Open(path)
	if err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	r, err := newReader(f, st.Size(), path, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	if !r.layout.Fortran && st.Size() >= r.layout.Offset+r.layout.Size() {
		r.Mapping = flat.Map(f, st.Size(), r.layout) // lends nothing where mapping fails: then ReadAt
	}
	return r, nil
}

// OpenAt reads a .npy file of size bytes through ra, as [Open] does (with
// positioned reads only); name stands for it in errors. Close does not
// close ra.
func OpenAt(ra io.ReaderAt, size int64, name string, opts formats.OpenOptions) (formats.Reader, error) {
	return newReader(formats.NopCloser(ra), size, name, opts)
}

func newReader(f file, size int64, path string, opts formats.OpenOptions) (*Reader, error) {
	h, err := ReadHeader(f, size)
	if err != nil {
		return nil, fmt.Errorf("npy: %s: %w", path, err)
	}
	shape, err := h.Shape2D()
	if err != nil {
		return nil, fmt.Errorf("npy: %s: %w", path, err)
	}
	if opts.Variable != "" {
		return nil, fmt.Errorf("npy: %s holds one array; it has no variable %q", path, opts.Variable)
	}
	r := &Reader{f: f, header: h}
	r.layout = flat.Layout{Offset: h.DataOffset, Shape: shape, DType: h.DType, BigEndian: h.BigEndian, Fortran: h.Fortran && len(h.Shape) >= 2}
	r.info = formats.Info{Path: path, Format: "npy", Shape: shape, DType: h.DType}
	return r, nil
}

// file is what a Reader reads from: an *os.File, or a ReaderAt it does not own.
type file interface {
	io.ReaderAt
	io.Closer
}

// Info describes the array.
func (r *Reader) Info() formats.Info { return r.info }

// Header returns the parsed .npy header.
func (r *Reader) Header() *Header { return r.header }

// ReadRegion reads region reg into dst.
func (r *Reader) ReadRegion(ctx context.Context, reg chunk.Region, dst *chunk.Array) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var err error
	fullRows := reg.Col0 == 0 && reg.Col1 == r.layout.Shape.Cols
	if r.Bytes != nil && !fullRows && !r.layout.Fortran {
		// Partial rows: copy them out of the mapping (no system call per
		// row), then drop the band's pages from this process so that its
		// resident set stays bounded by the chunks in flight; the page
		// cache keeps them for neighbouring chunks.
		err = flat.ReadRegionMapped(r.Bytes, r.layout, reg, dst)
		if err == nil && reg.Col1 == r.layout.Shape.Cols {
			flat.ReleaseRows(r.Bytes, r.layout, reg)
		}
	} else {
		// Whole rows are one contiguous read straight into the chunk.
		err = flat.ReadRegion(r.f, r.layout, reg, dst)
	}
	if err != nil {
		return fmt.Errorf("npy: %s: %w", r.info.Path, err)
	}
	return nil
}

// Close unmaps and closes the file.
func (r *Reader) Close() error {
	r.Unmap()
	return r.f.Close()
}

// Writer writes a little-endian, C-order .npy file region by region.
type Writer struct {
	file   *formats.AtomicFile
	layout flat.Layout
	strips *flat.StripWriter // gathers chunks into row strips: one write each
}

// Create starts a .npy output of spec.Shape and spec.DType. The file is
// sized up front, so regions can be written in any order and concurrently.
func Create(spec formats.CreateSpec) (formats.Writer, error) {
	af, l, err := CreateSized(spec)
	if err != nil {
		return nil, err
	}
	return &Writer{file: af, layout: l, strips: &flat.StripWriter{W: af, L: l}}, nil
}

// CreateSized creates the temporary file of a .npy output of spec.Shape
// and spec.DType: the header written and the file sized to hold the data,
// which lies where the returned layout says. Whoever writes the data
// (Create's Writer, or a cluster's workers by the file's name) commits
// or aborts the file.
func CreateSized(spec formats.CreateSpec) (*formats.AtomicFile, flat.Layout, error) {
	af, err := formats.CreateAtomic(spec.Path, spec.Overwrite)
	if err != nil {
		return nil, flat.Layout{}, fmt.Errorf("npy: %w", err)
	}
	hdr := Encode(spec.DType, spec.Shape.Rows, spec.Shape.Cols)
	l := flat.Layout{Offset: int64(len(hdr)), Shape: spec.Shape, DType: spec.DType}
	if _, err := af.WriteAt(hdr, 0); err != nil {
		af.Abort()
		return nil, flat.Layout{}, fmt.Errorf("npy: %s: %w", spec.Path, err)
	}
	if err := af.Truncate(l.Offset + l.Size()); err != nil {
		af.Abort()
		return nil, flat.Layout{}, fmt.Errorf("npy: %s: %w", spec.Path, err)
	}
	return af, l, nil
}

// WriteRegion writes a at its place in the file.
func (w *Writer) WriteRegion(ctx context.Context, a *chunk.Array) error {
	if err := w.strips.WriteRegion(a); err != nil {
		return fmt.Errorf("npy: %s: %w", w.file.Target, err)
	}
	return nil
}

// LendRegion lends the buffer a region's output should be computed into
// (see [flat.StripWriter.LendRegion]); nil when the region is written
// directly.
func (w *Writer) LendRegion(t chunk.DType, r chunk.Region) *chunk.Array {
	return w.strips.LendRegion(t, r)
}

// Commit writes what is still buffered and renames the finished file into
// place.
func (w *Writer) Commit() error {
	if err := w.strips.Flush(); err != nil {
		w.file.Abort()
		return fmt.Errorf("npy: %s: %w", w.file.Target, err)
	}
	return w.file.Commit()
}

// Abort drops what is buffered and removes the temporary file.
func (w *Writer) Abort() error {
	w.strips = &flat.StripWriter{W: w.file, L: w.layout}
	return w.file.Abort()
}
