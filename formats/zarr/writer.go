package zarr

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// DefaultVariable names the output array when neither the spec nor its
// source names one.
const DefaultVariable = "data"

// Writer writes one 2-D array as a Zarr v2 group store: the array lives in
// a member directory named after the variable, with _ARRAY_DIMENSIONS and
// consolidated metadata (.zmetadata) so that xarray.open_zarr reads it.
// When the source describes its grid the CF way ([formats.CFGrid]: ABI's
// x, y and goes_imager_projection), the coordinate variables (unpacked,
// block means when coarsened; geostationary scan angles as metres of the
// projection plane, see [formats.CFGridVars.InMetres]), the grid mapping
// and the scalar coordinates are written as small arrays beside it, and
// the array's _ARRAY_DIMENSIONS, grid_mapping and coordinates name them,
// so that xarray sees x/y coordinates and the projection; a geostationary
// CRS, or a grid mapping with CF's crs_wkt, is also written as GDAL's _CRS
// attribute ({"wkt": ...}). Sources whose Geo is not a CFGrid (a GeoTIFF's
// EPSG georeferencing) are described by [formats.CFGridOf]'s converters.
//
// The chunk grid is the spec's compute grid. A WriteRegion that covers
// whole chunks (edge chunks clipped by the array's shape) encodes and
// writes each chunk file at once; edge chunks are stored full-size,
// padded with the fill value, as Zarr requires. Regions that cover only
// part of a chunk are accumulated in memory until the chunk is complete;
// Commit writes chunks still incomplete with the fill value in the gaps.
// Everything is written inside a temporary directory beside the target,
// renamed into place by Commit. WriteRegion is safe for concurrent use.
type Writer struct {
	target string
	tmp    *formats.AtomicDir
	dir    string // the array's directory inside tmp
	name   string
	meta   *arrayMeta
	fill   []byte
	attrs  formats.Attrs // the array's attributes, without _FillValue
	dims   []string
	global formats.Attrs
	grid   []gridArray // coordinate and grid-mapping arrays written beside it

	bufs sync.Pool // of *[]byte holding one decoded chunk
	outs sync.Pool // of *[]byte holding one encoded chunk

	mu      sync.RWMutex // WriteRegion holds it shared, Commit and Abort exclusively
	done    bool
	pmu     sync.Mutex // guards partial
	partial map[chunk.Index]*partialChunk

	shared  bool   // writes chunk files into another writer's store (see OpenShared)
	staging string // a shared writer's directory for temporary chunk files
}

// partialChunk is a chunk that regions have covered only in part so far.
type partialChunk struct {
	buf    []byte
	filled int // elements written
}

var _ formats.Writer = (*Writer)(nil)

// Create starts a Zarr store at spec.Path. spec.Chunk is the chunk shape
// (zero means the whole array, up to 1024x1024 per chunk; larger than the
// array means the array). Options: "compress" is zstd (the default), zlib,
// gzip, blosc (lz4 with byte shuffle) or none; "level" is the compression
// level (zstd 1, zlib and gzip 1, blosc 5 by default). A _FillValue in
// spec.Attrs becomes the fill_value; without one, floating-point arrays use
// NaN and integer arrays null (zero).
func Create(spec formats.CreateSpec) (*Writer, error) {
	w, err := newWriter(spec)
	if err != nil {
		return nil, err
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("zarr: %s: %s", spec.Path, fmt.Sprintf(format, args...))
	}
	if w.tmp, err = formats.CreateAtomicDir(spec.Path, spec.Overwrite, zarrayFile, zgroupFile, zattrsFile); err != nil {
		return nil, fmt.Errorf("zarr: %w", err)
	}
	w.dir = filepath.Join(w.tmp.Path, w.name)
	if err := os.Mkdir(w.dir, 0o777); err != nil {
		w.tmp.Abort()
		return nil, fail("%v", err)
	}
	return w, nil
}

// newWriter resolves spec into a writer that has no store yet.
func newWriter(spec formats.CreateSpec) (*Writer, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("zarr: %s: %s", spec.Path, fmt.Sprintf(format, args...))
	}
	t := spec.DType
	if t.Size() == 0 {
		return nil, fail("cannot write dtype %v", t)
	}
	if spec.Shape.Rows < 0 || spec.Shape.Cols < 0 || spec.Shape.Rows > maxDim || spec.Shape.Cols > maxDim {
		return nil, fail("bad shape %v", spec.Shape)
	}
	cs, err := chunkShape(spec.Shape, spec.Chunk, t.Size())
	if err != nil {
		return nil, fail("%v", err)
	}
	name, err := variableName(spec)
	if err != nil {
		return nil, fail("%v", err)
	}
	c, err := codecForOption(strings.ToLower(spec.Options["compress"]), spec.Options["level"], t.Size())
	if err != nil {
		return nil, fail("%v", err)
	}
	m := &arrayMeta{Shape: spec.Shape, Chunks: cs, Type: nativeType(t), Sep: ".", Codec: c}
	if v, ok := spec.Attrs.Get("_FillValue"); ok {
		f, ok := formats.ToFloats(v)
		if !ok {
			return nil, fail("_FillValue %v is not a number", v)
		}
		if m.Fill, err = fillFromFloat(f, t); err != nil {
			return nil, fail("%v", err)
		}
	} else if t.IsFloat() {
		m.Fill = fillValue{Set: true, F: nan}
	}
	w := &Writer{target: spec.Path, name: name, meta: m, fill: m.Fill.elem(t), global: spec.Global,
		dims: []string{"y", "x"}, partial: map[chunk.Index]*partialChunk{}}
	if spec.Source != nil && len(spec.Source.Dims) == 2 {
		w.dims = append([]string(nil), spec.Source.Dims...)
	}
	for _, a := range spec.Attrs {
		if a.Name != "_FillValue" && a.Name != dimsAttr {
			w.attrs = append(w.attrs, a)
		}
	}
	cf, err := formats.CFGridOf(spec.Source)
	if err != nil {
		return nil, fail("grid of %s: %v", spec.Source.Path, err)
	}
	if cf != nil {
		g, err := cf.CFGridVars(spec.Shape, max(spec.Factor, 1))
		if err != nil {
			return nil, fail("grid of %s: %v", spec.Source.Path, err)
		}
		g = g.InMetres()
		if w.grid, err = gridArrays(g, name); err != nil {
			return nil, fail("grid of %s: %v", spec.Source.Path, err)
		}
		written := map[string]bool{}
		for _, a := range w.grid {
			written[a.v.Name] = true
		}
		w.attrs, w.dims = linkGrid(w.attrs, w.dims, g, written)
		// GDAL's Zarr driver reads the CRS from _CRS, not from the CF
		// grid mapping: a geostationary one is turned into WKT, others
		// carry theirs as CF's crs_wkt.
		if p, ok := formats.GeostationaryFrom(g.Mapping); ok {
			w.attrs = w.attrs.Set("_CRS", map[string]any{"wkt": p.WKT()})
		} else if g.Mapping != nil {
			if wkt, ok := g.Mapping.Attrs.String("crs_wkt"); ok {
				w.attrs = w.attrs.Set("_CRS", map[string]any{"wkt": wkt})
			}
		}
	}
	return w, nil
}

// chunkShape resolves the requested chunk shape against the array's.
func chunkShape(shape, want chunk.Shape, size int) (chunk.Shape, error) {
	cs := want
	if cs.Rows <= 0 || cs.Cols <= 0 {
		cs = chunk.Shape{Rows: min(shape.Rows, 1024), Cols: min(shape.Cols, 1024)}
	}
	cs.Rows = max(min(cs.Rows, shape.Rows), 1)
	cs.Cols = max(min(cs.Cols, shape.Cols), 1)
	if int64(cs.Rows)*int64(cs.Cols) > maxChunkBytes/int64(size) {
		return chunk.Shape{}, fmt.Errorf("chunks of %v take more than %d bytes", cs, maxChunkBytes)
	}
	return cs, nil
}

// variableName picks and checks the output array's name.
func variableName(spec formats.CreateSpec) (string, error) {
	name := spec.Variable
	if name == "" && spec.Source != nil && spec.Source.Variable != "" {
		name = filepath.Base(filepath.FromSlash(spec.Source.Variable))
	}
	if name == "" {
		return DefaultVariable, nil
	}
	if strings.ContainsAny(name, "/\\") || strings.HasPrefix(name, ".") {
		return "", fmt.Errorf("bad variable name %q: want one path element not starting with a dot", name)
	}
	return name, nil
}

// WriteRegion stores a, whose DType must be the array's and whose Rect
// must lie inside the array. See [Writer] for how regions map to chunks.
func (w *Writer) WriteRegion(ctx context.Context, a *chunk.Array) error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.done {
		return fmt.Errorf("zarr: %s: write after Commit or Abort", w.target)
	}
	m := w.meta
	if a == nil {
		return fmt.Errorf("zarr: %s: nil region", w.target)
	}
	if err := checkDst(a.Rect, a, m.Shape, m.Type.DType); err != nil {
		return fmt.Errorf("zarr: %s: %w", w.target, err)
	}
	r := a.Rect
	if r.Empty() {
		return nil
	}
	for i := r.Row0 / m.Chunks.Rows; i <= (r.Row1-1)/m.Chunks.Rows; i++ {
		for j := r.Col0 / m.Chunks.Cols; j <= (r.Col1-1)/m.Chunks.Cols; j++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := w.writePart(i, j, a); err != nil {
				return err
			}
		}
	}
	return nil
}

// writePart stores the part of a inside chunk (i, j).
func (w *Writer) writePart(i, j int, a *chunk.Array) error {
	m := w.meta
	cr := m.chunkRegion(i, j)
	part := cr.Intersect(a.Rect)
	if part != cr {
		return w.accumulate(i, j, cr, part, a)
	}
	if cr.Shape() == m.Chunks && a.Rect == cr && a.Contiguous() {
		return w.flush(i, j, a.Data[:m.chunkBytes()])
	}
	bp := w.chunkBuf()
	defer w.bufs.Put(bp)
	if cr.Shape() != m.Chunks {
		fillBytes(*bp, w.fill)
	}
	copyInto(*bp, m.Chunks.Cols, cr, a, part)
	return w.flush(i, j, *bp)
}

// accumulate copies part of a into the chunk's partial buffer and writes
// the chunk once all of it has arrived.
func (w *Writer) accumulate(i, j int, cr, part chunk.Region, a *chunk.Array) error {
	m := w.meta
	idx := chunk.Index{Row: i, Col: j}
	if w.shared {
		return fmt.Errorf("zarr: %s: region %v covers chunk %s only in part: a shared writer stores whole chunks", w.target, a.Rect, m.key(i, j))
	}
	w.pmu.Lock()
	p := w.partial[idx]
	if p == nil {
		p = &partialChunk{buf: chunk.AlignedBytes(m.chunkBytes())}
		fillBytes(p.buf, w.fill)
		w.partial[idx] = p
	}
	copyInto(p.buf, m.Chunks.Cols, cr, a, part)
	p.filled += part.Len()
	complete := p.filled >= cr.Len()
	if complete {
		delete(w.partial, idx)
	}
	w.pmu.Unlock()
	if !complete {
		return nil
	}
	return w.flush(i, j, p.buf)
}

// copyInto copies the part of a inside part into buf, a C-order chunk of
// the given width whose top-left element is cr's.
func copyInto(buf []byte, width int, cr chunk.Region, a *chunk.Array, part chunk.Region) {
	sz := a.DType.Size()
	n := part.Cols() * sz
	for row := part.Row0; row < part.Row1; row++ {
		d := ((row-cr.Row0)*width + (part.Col0 - cr.Col0)) * sz
		s := a.Offset(row, part.Col0) * sz
		copy(buf[d:d+n], a.Data[s:s+n])
	}
}

func (w *Writer) chunkBuf() *[]byte {
	bp, _ := w.bufs.Get().(*[]byte)
	if bp == nil {
		b := chunk.AlignedBytes(w.meta.chunkBytes())
		bp = &b
	}
	return bp
}

// flush encodes one whole chunk and writes its file.
func (w *Writer) flush(i, j int, data []byte) error {
	key := w.meta.key(i, j)
	op, _ := w.outs.Get().(*[]byte)
	if op == nil {
		op = new([]byte)
	}
	defer w.outs.Put(op)
	enc, err := w.meta.Codec.encode((*op)[:0], data)
	if err != nil {
		return fmt.Errorf("zarr: %s: chunk %s: %w", w.target, key, err)
	}
	*op = enc
	if w.shared {
		return w.replaceChunk(key, enc)
	}
	if err := os.WriteFile(filepath.Join(w.dir, key), enc, 0o666); err != nil {
		return fmt.Errorf("zarr: %s: chunk %s: %w", w.target, key, err)
	}
	return nil
}

// Commit writes the chunks that are still incomplete, then the metadata
// (.zgroup, .zattrs, the array's .zarray and .zattrs, and the consolidated
// .zmetadata), and renames the store into place. On error the temporary
// store is removed.
func (w *Writer) Commit() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return fmt.Errorf("zarr: %s: already committed or aborted", w.target)
	}
	w.done = true
	if w.shared {
		return fmt.Errorf("zarr: %s: a shared writer cannot commit: the store's owner does", w.target)
	}
	if err := w.finish(); err != nil {
		w.tmp.Abort()
		return err
	}
	if err := w.tmp.Commit(); err != nil {
		return fmt.Errorf("zarr: %w", err)
	}
	return nil
}

func (w *Writer) finish() error {
	for idx, p := range w.partial {
		if err := w.flush(idx.Row, idx.Col, p.buf); err != nil {
			return err
		}
	}
	w.partial = nil
	zarray, err := w.meta.marshal()
	if err != nil {
		return fmt.Errorf("zarr: %s: %w", w.target, err)
	}
	docs := []metaDoc{
		{zgroupFile, []byte("{\n    \"zarr_format\": 2\n}")},
		{zattrsFile, marshalAttrs(w.global, nil)},
		{w.name + "/" + zarrayFile, zarray},
		{w.name + "/" + zattrsFile, marshalAttrs(w.attrs, w.dims)},
	}
	for _, a := range w.grid {
		zarray, zattrs, data, err := a.docs()
		if err != nil {
			return fmt.Errorf("zarr: %s: %w", w.target, err)
		}
		if err := os.Mkdir(filepath.Join(w.tmp.Path, a.v.Name), 0o777); err != nil {
			return fmt.Errorf("zarr: %s: %w", w.target, err)
		}
		if err := os.WriteFile(filepath.Join(w.tmp.Path, a.v.Name, "0"), data, 0o666); err != nil {
			return fmt.Errorf("zarr: %s: %w", w.target, err)
		}
		docs = append(docs, metaDoc{a.v.Name + "/" + zarrayFile, zarray}, metaDoc{a.v.Name + "/" + zattrsFile, zattrs})
	}
	docs = append(docs, metaDoc{zmetadataFile, consolidate(docs)})
	for _, d := range docs {
		if err := os.WriteFile(filepath.Join(w.tmp.Path, filepath.FromSlash(d.key)), d.data, 0o666); err != nil {
			return fmt.Errorf("zarr: %s: %w", w.target, err)
		}
	}
	return nil
}

// Abort removes everything written so far. It is safe to call more than
// once and after Commit, when it does nothing.
func (w *Writer) Abort() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
	w.partial = nil
	if w.shared {
		return nil
	}
	if err := w.tmp.Abort(); err != nil {
		return fmt.Errorf("zarr: %s: %w", w.target, err)
	}
	return nil
}
