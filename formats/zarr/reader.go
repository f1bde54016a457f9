package zarr

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/internal/byteswap"
	"chunkpipe/internal/regularfile"
)

// Reader reads regions of one 2-D array of a Zarr v2 store. It is safe for
// concurrent use: ReadRegion reads and decodes only the chunk files a region
// touches, into buffers drawn from a pool, with pooled decoders.
type Reader struct {
	root   string // the store's path or URL, for messages
	store  store
	name   string // the array's path in the store ("" when the store is the array)
	meta   *arrayMeta
	info   formats.Info
	fill   []byte    // one fill element in host byte order
	bufs   sync.Pool // of *[]byte, decoded chunks
	closed atomic.Bool

	scalarsOnce sync.Once
	scalars     formats.Attrs
}

var (
	_ formats.Reader    = (*Reader)(nil)
	_ formats.Describer = (*Reader)(nil)
)

// Open opens the array that opts.Variable names in the Zarr v2 store at
// path: a directory holding .zarray (an array store) or .zgroup (a group,
// searched recursively; Variable is a slash-separated path such as
// "sub/Rad"). With no Variable, a group's only 2-D array is opened, and a
// group holding several is an error that lists them. Only the metadata is
// read here.
func Open(path string, opts formats.OpenOptions) (*Reader, error) {
	return openStore(dirStore{root: path}, opts)
}

// openStore opens the array opts.Variable names in s, as [Open] does.
func openStore(s store, opts formats.OpenOptions) (*Reader, error) {
	path := s.String()
	name, err := pickArray(s, opts.Variable)
	if err != nil {
		return nil, fmt.Errorf("zarr: %s: %w", path, err)
	}
	r := &Reader{root: path, store: s, name: name}
	b, err := readMeta(s, metaKey(name, zarrayFile))
	if err != nil {
		return nil, fmt.Errorf("zarr: %s: %w", r.where(), err)
	}
	if r.meta, err = parseArrayMeta(b); err != nil {
		return nil, fmt.Errorf("zarr: %s: %w", r.where(), err)
	}
	attrs, dims, err := readAttrs(s, name)
	if err != nil {
		return nil, fmt.Errorf("zarr: %s: %w", r.where(), err)
	}
	var global formats.Attrs
	if name != "" {
		if global, _, err = readAttrs(s, ""); err != nil {
			return nil, fmt.Errorf("zarr: %s: %w", path, err)
		}
	}
	m := r.meta
	if _, ok := attrs.Get("_FillValue"); !ok && m.Fill.Set {
		attrs = attrs.Set("_FillValue", m.Fill.attr(m.Type.DType))
	}
	if len(dims) != 2 {
		dims = nil
	}
	r.fill = m.Fill.elem(m.Type.DType)
	r.info = formats.Info{
		Path:     path,
		Format:   "zarr",
		Variable: name,
		Shape:    m.Shape,
		DType:    m.Type.DType,
		Storage:  m.Chunks,
		Attrs:    attrs,
		Global:   global,
		Dims:     dims,
	}
	return r, nil
}

// readAttrs reads the .zattrs of the array or group at dir; a missing
// document means no attributes.
func readAttrs(s store, dir string) (formats.Attrs, []string, error) {
	b, err := readMeta(s, metaKey(dir, zattrsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return parseAttrs(b)
}

// where names the array in messages: the store, and the array inside it.
func (r *Reader) where() string {
	if r.name == "" {
		return r.root
	}
	return r.root + ": array " + r.name
}

// Info describes the array. Storage is the chunk shape, Dims come from
// _ARRAY_DIMENSIONS, and Attrs include _FillValue when the array has a
// fill_value, as xarray reports it.
func (r *Reader) Info() formats.Info { return r.info }

// Close marks the reader closed; later reads fail. Zarr keeps no file open
// between reads, so Close never fails and may be called more than once.
func (r *Reader) Close() error {
	r.closed.Store(true)
	return nil
}

// ReadRegion reads region reg of the array into dst, whose DType must be
// the array's and whose Rect must be reg. Chunks missing from the store
// read as the fill value (zero when fill_value is null). Big-endian and
// Fortran-ordered chunks are converted.
func (r *Reader) ReadRegion(ctx context.Context, reg chunk.Region, dst *chunk.Array) error {
	m := r.meta
	if r.closed.Load() {
		return fmt.Errorf("zarr: %s: read after Close", r.where())
	}
	if err := checkDst(reg, dst, m.Shape, m.Type.DType); err != nil {
		return fmt.Errorf("zarr: %s: %w", r.where(), err)
	}
	if reg.Empty() {
		return nil
	}
	for i := reg.Row0 / m.Chunks.Rows; i <= (reg.Row1-1)/m.Chunks.Rows; i++ {
		for j := reg.Col0 / m.Chunks.Cols; j <= (reg.Col1-1)/m.Chunks.Cols; j++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := r.readChunk(ctx, i, j, reg, dst); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkDst validates a region and its destination against the array.
func checkDst(reg chunk.Region, dst *chunk.Array, shape chunk.Shape, t chunk.DType) error {
	if dst == nil {
		return fmt.Errorf("nil destination")
	}
	if dst.DType != t {
		return fmt.Errorf("destination is %v, array is %v", dst.DType, t)
	}
	if dst.Rect != reg {
		return fmt.Errorf("destination covers %v, region is %v", dst.Rect, reg)
	}
	if !shape.Bounds().Contains(reg) && !reg.Empty() || reg.Row0 < 0 || reg.Col0 < 0 {
		return fmt.Errorf("region %v outside the array's %v", reg, shape)
	}
	if reg.Empty() {
		return nil
	}
	if dst.Stride < reg.Cols() {
		return fmt.Errorf("destination stride %d is less than %d columns", dst.Stride, reg.Cols())
	}
	if need := ((reg.Rows()-1)*dst.Stride + reg.Cols()) * t.Size(); len(dst.Data) < need {
		return fmt.Errorf("destination holds %d bytes, region needs %d", len(dst.Data), need)
	}
	return nil
}

// readChunk copies the part of chunk (i, j) inside reg into dst.
func (r *Reader) readChunk(ctx context.Context, i, j int, reg chunk.Region, dst *chunk.Array) error {
	m := r.meta
	cr := m.chunkRegion(i, j)
	part := cr.Intersect(reg)
	key := m.key(i, j)
	bp, _ := r.bufs.Get().(*[]byte)
	if bp == nil || len(*bp) != m.chunkBytes() {
		b := chunk.AlignedBytes(m.chunkBytes())
		bp = &b
	}
	defer r.bufs.Put(bp)
	found, err := r.decodeChunk(ctx, key, *bp)
	if err != nil {
		return err
	}
	sz := m.Type.DType.Size()
	if !found {
		for row := part.Row0; row < part.Row1; row++ {
			o := dst.Offset(row, part.Col0) * sz
			fillBytes(dst.Data[o:o+part.Cols()*sz], r.fill)
		}
		return nil
	}
	buf := *bp
	if m.FOrder {
		for row := part.Row0; row < part.Row1; row++ {
			o := dst.Offset(row, part.Col0) * sz
			for col := part.Col0; col < part.Col1; col++ {
				s := ((col-cr.Col0)*m.Chunks.Rows + (row - cr.Row0)) * sz
				copy(dst.Data[o:o+sz], buf[s:s+sz])
				o += sz
			}
		}
		return nil
	}
	n := part.Cols() * sz
	for row := part.Row0; row < part.Row1; row++ {
		o := dst.Offset(row, part.Col0) * sz
		s := ((row-cr.Row0)*m.Chunks.Cols + (part.Col0 - cr.Col0)) * sz
		copy(dst.Data[o:o+n], buf[s:s+n])
	}
	return nil
}

// decodeChunk reads and decodes the chunk file key into buf, which has the
// chunk's decoded size, in host byte order. It reports false when the file
// does not exist (over HTTP and S3: the answer is 404). A chunk file that is not a regular file (a FIFO, a link
// to /dev/zero), or that holds more bytes than the codec can encode a
// chunk of len(buf) bytes into, is an error before anything is read; the
// read goes in pieces with ctx checked between them.
func (r *Reader) decodeChunk(ctx context.Context, key string, buf []byte) (bool, error) {
	max := r.meta.Codec.maxEncoded(len(buf))
	data, err := r.store.get(ctx, metaKey(r.name, key), max)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	var tl *regularfile.TooLargeError
	if errors.As(err, &tl) {
		return false, fmt.Errorf("zarr: %s: chunk %s: file holds %d bytes, more than %s encodes a %d-byte chunk into (at most %d)", r.where(), key, tl.Size, r.meta.Codec, len(buf), max)
	}
	if err != nil {
		return false, fmt.Errorf("zarr: %s: chunk %s: %w", r.where(), key, err)
	}
	if err := r.meta.Codec.decode(buf, data); err != nil {
		return false, fmt.Errorf("zarr: %s: chunk %s: %w", r.where(), key, err)
	}
	if r.meta.Type.swapped() {
		byteswap.Swap(buf, r.meta.Type.DType.Size())
	}
	return true, nil
}
