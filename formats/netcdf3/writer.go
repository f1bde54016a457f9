package netcdf3

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"sync/atomic"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// writeBlock is the most bytes WriteRegion converts to big-endian before
// issuing one WriteAt.
const writeBlock = 1 << 20

// Writer writes one 2-D variable of a NetCDF classic file. It implements
// [formats.Writer]; WriteRegion is safe for concurrent use with disjoint
// regions.
type Writer struct {
	f       *formats.AtomicFile
	path    string
	name    string // the data variable
	dtype   chunk.DType
	shape   chunk.Shape
	version Version
	begin   int64 // offset of the data variable
	esize   int
	written atomic.Int64 // elements written so far
	bufs    sync.Pool    // *[]byte of writeBlock bytes
}

var _ formats.Writer = (*Writer)(nil)

// Create starts a NetCDF classic output for spec (see the package
// documentation for the format version chosen). The file holds:
//
//   - dimensions named after the coordinate variables when there are any,
//     else the last two of spec.Source.Dims, else "y" and "x";
//   - the coordinate and scalar variables of the spec's [Coords] (see
//     [WithCoords]), 1-D coordinates subsampled by spec.Factor when their
//     length is the output's times the factor;
//   - the data variable spec.Variable (default "data") with spec.Attrs; a
//     floating-point variable gets _FillValue NaN unless spec.Attrs sets
//     one. Its grid_mapping names the carried grid-mapping variable and
//     its coordinates the carried scalar coordinates (see [Coords]);
//     either attribute is dropped when it would name a variable the file
//     lacks. _FillValue, missing_value and valid_* are stored in the
//     variable's type;
//   - the global attributes spec.Global with Conventions set to "CF-1.8".
//
// spec.Options["netcdf"] may force the version: "cdf1" (or "classic"),
// "cdf2" (or "64bit-offset") or "cdf5" (or "64bit-data"); a version that
// cannot hold the data is an error.
//
// The header and the small variables are written at once, and the file is
// sized to its final length. Regions never written read back as zeros, so
// [Writer.Commit] refuses to finish unless the regions written add up to
// the whole array.
func Create(spec formats.CreateSpec) (*Writer, error) {
	h, small, err := buildHeader(spec)
	if err != nil {
		return nil, fmt.Errorf("netcdf3: %s: %w", spec.Path, err)
	}
	f, err := formats.CreateAtomic(spec.Path, spec.Overwrite)
	if err != nil {
		return nil, fmt.Errorf("netcdf3: %w", err)
	}
	dataVar := &h.vars[len(h.vars)-1]
	w := &Writer{f: f, path: spec.Path, name: dataVar.name, dtype: spec.DType, shape: spec.Shape,
		version: h.version, begin: dataVar.begin, esize: spec.DType.Size()}
	w.bufs.New = func() any { b := chunk.AlignedBytes(writeBlock); return &b }
	if err := w.writeSmall(h, small); err != nil {
		f.Abort()
		return nil, err
	}
	return w, nil
}

// Version returns the format version the writer writes.
func (w *Writer) Version() Version { return w.version }

// writeSmall writes the header and the data of every variable but the
// last (the data variable), and extends the file to its full size.
func (w *Writer) writeSmall(h *header, small [][]byte) error {
	hb := h.encode()
	if _, err := w.f.WriteAt(hb, 0); err != nil {
		return fmt.Errorf("netcdf3: %s: write header: %w", w.path, err)
	}
	for i, v := range h.vars[:len(h.vars)-1] {
		if _, err := w.f.WriteAt(small[i], v.begin); err != nil {
			return fmt.Errorf("netcdf3: %s: variable %s: %w", w.path, v.name, err)
		}
	}
	last := h.vars[len(h.vars)-1]
	if err := w.f.Truncate(last.begin + pad4(last.slab)); err != nil {
		return fmt.Errorf("netcdf3: %s: size file: %w", w.path, err)
	}
	return nil
}

// WriteRegion stores a, converting its values to big-endian. Full-width
// regions go out in blocks of up to 1 MiB, narrower ones one row per
// WriteAt.
func (w *Writer) WriteRegion(ctx context.Context, a *chunk.Array) error {
	if err := w.checkArray(a); err != nil {
		return fmt.Errorf("netcdf3: %s: variable %s: %w", w.path, w.name, err)
	}
	if a.Rect.Empty() {
		return nil
	}
	bp := w.bufs.Get().(*[]byte)
	defer w.bufs.Put(bp)
	if err := storeRegion(ctx, w.f, w.begin, w.shape, a, *bp); err != nil {
		if ctx.Err() != nil {
			return err
		}
		return fmt.Errorf("netcdf3: %s: variable %s: %w", w.path, w.name, err)
	}
	w.written.Add(int64(a.Rect.Len()))
	return nil
}

// storeRegion writes a, converted to big-endian through buf (writeBlock
// bytes), into the row-major variable of the given shape that begins at
// byte begin of f.
func storeRegion(ctx context.Context, f io.WriterAt, begin int64, shape chunk.Shape, a *chunk.Array, buf []byte) error {
	sz := a.DType.Size()
	cols := a.Rect.Cols()
	rowBytes := cols * sz
	perBlock := 1
	if cols == shape.Cols && a.Contiguous() {
		perBlock = max(1, writeBlock/rowBytes)
	}
	for row := a.Rect.Row0; row < a.Rect.Row1; row += perBlock {
		if err := ctx.Err(); err != nil {
			return err
		}
		nrows := min(perBlock, a.Rect.Row1-row)
		src := a.Data[a.Offset(row, a.Rect.Col0)*sz:][:nrows*rowBytes]
		dst := buf
		if len(src) > len(buf) {
			dst = make([]byte, len(src)) // a single row wider than the block
		}
		dst = dst[:len(src)]
		swapCopy(dst, src, sz)
		off := begin + (int64(row)*int64(shape.Cols)+int64(a.Rect.Col0))*int64(sz)
		if _, err := f.WriteAt(dst, off); err != nil {
			return fmt.Errorf("region %v: %w", a.Rect, err)
		}
	}
	return nil
}

func (w *Writer) checkArray(a *chunk.Array) error {
	if a == nil || a.DType != w.dtype {
		return fmt.Errorf("region type does not match the output's %v", w.dtype)
	}
	r := a.Rect
	if r.Row0 > r.Row1 || r.Col0 > r.Col1 || !w.shape.Bounds().Contains(r) {
		return fmt.Errorf("region %v outside the %v output", r, w.shape)
	}
	if r.Empty() {
		return nil
	}
	if a.Stride < r.Cols() || len(a.Data) < ((r.Rows()-1)*a.Stride+r.Cols())*w.esize {
		return fmt.Errorf("region %v: %d bytes with stride %d are too few", r, len(a.Data), a.Stride)
	}
	return nil
}

// Commit checks that every element was written, then closes the file and
// renames it into place. On error the temporary file is removed.
func (w *Writer) Commit() error {
	if n, want := w.written.Load(), int64(w.shape.Len()); n < want {
		w.f.Abort()
		return fmt.Errorf("netcdf3: %s: variable %s: only %d of %d elements were written", w.path, w.name, n, want)
	}
	if err := w.f.Commit(); err != nil {
		return fmt.Errorf("netcdf3: %w", err)
	}
	return nil
}

// Abort removes the temporary file. It is safe to call more than once and
// after Commit.
func (w *Writer) Abort() error { return w.f.Abort() }

// chooseVersion picks the format version for the output.
func chooseVersion(spec formats.CreateSpec, types []Type, dataBytes int64) (Version, error) {
	need := CDF2
	for _, t := range types {
		if !t.validIn(CDF2) {
			need = CDF5
		}
	}
	if dataBytes > math.MaxUint32-3 || int64(spec.Shape.Rows) > math.MaxInt32 || int64(spec.Shape.Cols) > math.MaxInt32 {
		need = CDF5
	}
	opt := strings.ToLower(strings.TrimSpace(spec.Options["netcdf"]))
	var want Version
	switch opt {
	case "":
		return need, nil
	case "cdf1", "classic":
		want = CDF1
	case "cdf2", "64bit-offset", "64bit_offset":
		want = CDF2
	case "cdf5", "64bit-data", "64bit_data":
		want = CDF5
	default:
		return 0, fmt.Errorf("option netcdf=%q: want cdf1, cdf2 or cdf5", opt)
	}
	if need == CDF5 && want != CDF5 {
		return 0, fmt.Errorf("option netcdf=%s: the data (%v, %d bytes) needs cdf5", opt, spec.DType, dataBytes)
	}
	return want, nil
}
