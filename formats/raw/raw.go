// Package raw reads and writes headerless flat binary arrays. The element
// type, shape and byte order come from the command line
// (--dtype int16 --shape 10848x10848 --byte-order little) or from the
// inline form PATH:DTYPE:ROWSxCOLS[:big]; the file's size must match.
//
// Importing the package registers the "raw" format with package formats.
package raw

import (
	"context"
	"fmt"
	"io"
	"math"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/flat"
	"chunkpipe/internal/regularfile"
)

func init() {
	formats.Register(formats.Format{Name: "raw", Exts: []string{".raw", ".bin", ".dat"}, Open: Open, OpenAt: OpenAt, Create: Create, RowMajor: true})
}

// Reader reads regions of a raw file. It is safe for concurrent use.
type Reader struct {
	flat.Mapping // the file mapped read-only: in-place views of regions
	f            file
	layout       flat.Layout
	info         formats.Info
}

// Open opens path as a raw array described by opts.Raw.
func Open(path string, opts formats.OpenOptions) (formats.Reader, error) {
	spec := opts.Raw
	if spec.DType == chunk.Invalid || spec.Shape.Rows <= 0 || spec.Shape.Cols <= 0 {
		return nil, fmt.Errorf("raw: %s: a raw file needs --dtype and --shape (or PATH:DTYPE:ROWSxCOLS)", path)
	}
	f, st, err := regularfile.Open(path)
	if err != nil {
		return nil, fmt.Errorf("raw: %w", err)
	}
	r, err := newReader(f, st.Size(), path, spec)
	if err != nil {
		f.Close()
		return nil, err
	}
	if !r.layout.BigEndian {
		r.Mapping = flat.Map(f, st.Size(), r.layout) // lends no views where mapping fails
	}
	return r, nil
}

// OpenAt reads a raw file of size bytes through ra, as [Open] does (with
// positioned reads only); name stands for it in errors. Close does not
// close ra.
func OpenAt(ra io.ReaderAt, size int64, name string, opts formats.OpenOptions) (formats.Reader, error) {
	spec := opts.Raw
	if spec.DType == chunk.Invalid || spec.Shape.Rows <= 0 || spec.Shape.Cols <= 0 {
		return nil, fmt.Errorf("raw: %s: a raw file needs --dtype and --shape (or PATH:DTYPE:ROWSxCOLS)", name)
	}
	return newReader(formats.NopCloser(ra), size, name, spec)
}

func newReader(f file, size int64, path string, spec formats.RawSpec) (*Reader, error) {
	l := flat.Layout{Shape: spec.Shape, DType: spec.DType, BigEndian: spec.BigEndian && spec.DType.Size() > 1}
	// A shape whose byte count overflows int64 would wrap around and could
	// match a small (even empty) file.
	if int64(spec.Shape.Rows) > math.MaxInt64/int64(spec.Shape.Cols)/int64(spec.DType.Size()) {
		return nil, fmt.Errorf("raw: %s: shape %v of %v is impossibly large", path, spec.Shape, spec.DType)
	}
	if size != l.Size() {
		return nil, fmt.Errorf("raw: %s: file has %d bytes but %v %v needs %d", path, size, spec.Shape, spec.DType, l.Size())
	}
	return &Reader{f: f, layout: l, info: formats.Info{Path: path, Format: "raw", Shape: spec.Shape, DType: spec.DType}}, nil
}

// file is what a Reader reads from: an *os.File, or a ReaderAt it does not own.
type file interface {
	io.ReaderAt
	io.Closer
}

// Info describes the array.
func (r *Reader) Info() formats.Info { return r.info }

// ReadRegion reads region reg into dst.
func (r *Reader) ReadRegion(ctx context.Context, reg chunk.Region, dst *chunk.Array) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := flat.ReadRegion(r.f, r.layout, reg, dst); err != nil {
		return fmt.Errorf("raw: %s: %w", r.info.Path, err)
	}
	return nil
}

// Close unmaps and closes the file.
func (r *Reader) Close() error {
	r.Unmap()
	return r.f.Close()
}

// Writer writes a little-endian raw file region by region.
type Writer struct {
	file   *formats.AtomicFile
	layout flat.Layout
}

// Create starts a raw output (little-endian, row-major).
func Create(spec formats.CreateSpec) (formats.Writer, error) {
	af, err := formats.CreateAtomic(spec.Path, spec.Overwrite)
	if err != nil {
		return nil, fmt.Errorf("raw: %w", err)
	}
	l := flat.Layout{Shape: spec.Shape, DType: spec.DType}
	if err := af.Truncate(l.Size()); err != nil {
		af.Abort()
		return nil, fmt.Errorf("raw: %s: %w", spec.Path, err)
	}
	return &Writer{file: af, layout: l}, nil
}

// WriteRegion writes a at its place in the file.
func (w *Writer) WriteRegion(ctx context.Context, a *chunk.Array) error {
	if err := flat.WriteRegion(w.file, w.layout, a); err != nil {
		return fmt.Errorf("raw: %s: %w", w.file.Target, err)
	}
	return nil
}

// Commit renames the finished file into place.
func (w *Writer) Commit() error { return w.file.Commit() }

// Abort removes the temporary file.
func (w *Writer) Abort() error { return w.file.Abort() }
