package geotiff

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// Writer writes one band, or several bands pixel-interleaved, as a tiled
// GeoTIFF (or COG). WriteRegion may be called from many goroutines at
// once; Commit and Abort must not run concurrently with WriteRegion.
type Writer struct {
	spec      formats.CreateSpec
	out       *formats.AtomicFile
	stage     *os.File    // COG only: side file for tiles until Commit
	sink      io.WriterAt // where tiles are appended: out.File or stage
	big       bool
	cog       bool
	dtype     chunk.DType
	spp       int // samples (bands) per pixel
	enc       *encoder
	predictor int
	fill      float64
	hasFill   bool
	geo       *Georef
	meta      []gdalItem
	base      level // the full-resolution image

	end  atomic.Int64 // next free byte of sink
	bufs sync.Pool    // *blockBuf tile buffers of base's tile size
	outs sync.Pool    // *[]byte compressed tile buffers

	mu      sync.Mutex
	pending map[int]*partialTile
	err     error // first tile write error; sticky
	closed  bool
}

var _ formats.Writer = (*Writer)(nil)

// level is the geometry and tile index of one resolution level.
type level struct {
	width, height int
	tw, th        int
	across, down  int
	offsets       []uint64
	counts        []uint64
	written       []bool
}

func newLevel(width, height, tw, th int) level {
	l := level{width: width, height: height, tw: tw, th: th}
	l.across = (width + tw - 1) / tw
	l.down = (height + th - 1) / th
	n := l.across * l.down
	l.offsets, l.counts, l.written = make([]uint64, n), make([]uint64, n), make([]bool, n)
	return l
}

// tileRect returns the part of tile (tr, tc) inside the image.
func (l *level) tileRect(tr, tc int) chunk.Region {
	return chunk.Rect(tr*l.th, tc*l.tw, min((tr+1)*l.th, l.height), min((tc+1)*l.tw, l.width))
}

// partialTile is a tile that some but not all of its regions have reached.
type partialTile struct {
	buf    *blockBuf
	filled int // pixels copied so far
}

// maxBands bounds the bands of one output (SamplesPerPixel is a SHORT;
// GDAL's own limit for a pixel-interleaved GeoTIFF is far lower in
// practice).
const maxBands = 4096

// maxClassicBytes is the largest file written as classic TIFF; beyond it
// (with a margin for incompressible data and headers) BigTIFF is used.
const maxClassicBytes = 4000 << 20

// Create starts a GeoTIFF at spec.Path. Options (spec.Options):
//
//	compress   deflate (default) | zstd | none
//	level      compression level: deflate 1-9 (default 6), zstd 1-22 (default 9)
//	predictor  2 | 3 | none; default 2 for integers and 3 for floats
//	cog        true: write a Cloud-Optimized GeoTIFF with 2x averaged overviews
//	           (NaN- and nodata-aware) until a level fits in one tile
//	bigtiff    yes | no | if_needed (default: when the file could pass 4 GiB)
//	tile       tile size N or RxC, multiples of 16 (default: spec.Chunk when
//	           both sides are multiples of 16 up to 4096, else 256, or 512
//	           for images of at least 4096x4096)
//
// spec.Bands > 1 writes that many bands, pixel-interleaved (GDAL's
// INTERLEAVE=PIXEL) with photometric MinIsBlack and unspecified extra
// samples: each region passed to WriteRegion then has spec.Bands planes,
// band k in plane k, and spec.BandNames, when given, become the bands'
// descriptions. Predictors, compression, tiles and COG overviews apply to
// every band.
//
// A _FillValue in spec.Attrs becomes GDAL_NODATA (of every band); scale_factor and
// add_offset become GDAL's band SCALE and OFFSET; georeferencing is copied
// from spec.Source.Geo when it is a *Georef, scaled by spec.Factor, or
// derived from a [formats.CFGrid] with a geostationary grid mapping (ABI:
// see georefFromCF).
func Create(spec formats.CreateSpec) (formats.Writer, error) {
	w, err := NewWriter(spec)
	if err != nil {
		return nil, err
	}
	return w, nil
}

// newWriter checks spec and sets up a writer's encoding and tile grid,
// creating no file.
func newWriter(spec formats.CreateSpec) (*Writer, error) {
	fail := func(format string, args ...any) (*Writer, error) {
		return nil, fileErr(spec.Path, format, args...)
	}
	if spec.Shape.Rows <= 0 || spec.Shape.Cols <= 0 || spec.Shape.Rows > math.MaxUint32 || spec.Shape.Cols > math.MaxUint32 {
		return fail("cannot write an image of shape %v", spec.Shape)
	}
	if spec.DType == chunk.Invalid || spec.DType.Size() == 0 {
		return fail("cannot write dtype %v", spec.DType)
	}
	if spec.Bands < 0 || spec.Bands > maxBands {
		return fail("cannot write %d bands (at most %d)", spec.Bands, maxBands)
	}
	if len(spec.BandNames) > max(spec.Bands, 1) {
		return fail("%d band names for %d bands", len(spec.BandNames), max(spec.Bands, 1))
	}
	opt := func(k string) string { return strings.ToLower(strings.TrimSpace(spec.Options[k])) }
	for k := range spec.Options {
		switch k {
		case "compress", "level", "predictor", "cog", "bigtiff", "tile":
		default:
			return fail("unknown option %q (known: compress, level, predictor, cog, bigtiff, tile)", k)
		}
	}
	w := &Writer{spec: spec, dtype: spec.DType, spp: max(spec.Bands, 1), pending: map[int]*partialTile{}}
	comp := compDeflate
	switch opt("compress") {
	case "", "deflate", "zip":
	case "zstd":
		comp = compZstd
	case "none":
		comp = compNone
	default:
		return fail("unknown compress=%q (want deflate, zstd or none)", spec.Options["compress"])
	}
	lvl := 0
	if s := opt("level"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return fail("bad level=%q", s)
		}
		lvl = n
	}
	enc, err := newEncoder(comp, lvl)
	if err != nil {
		return fail("%v", err)
	}
	w.enc = enc
	switch opt("predictor") {
	case "":
		w.predictor = predHoriz
		if spec.DType.IsFloat() {
			w.predictor = predFloat
		}
	case "none", "1", "no", "false":
		w.predictor = predNone
	case "2":
		w.predictor = predHoriz
	case "3":
		if !spec.DType.IsFloat() {
			return fail("predictor=3 needs a float dtype, not %v", spec.DType)
		}
		w.predictor = predFloat
	default:
		return fail("unknown predictor=%q (want 2, 3 or none)", spec.Options["predictor"])
	}
	if comp == compNone {
		w.predictor = predNone
	}
	switch opt("cog") {
	case "", "false", "no":
	case "true", "yes":
		w.cog = true
	default:
		return fail("bad cog=%q (want true or false)", spec.Options["cog"])
	}
	th, tw, err := tileSize(spec, opt("tile"))
	if err != nil {
		return fail("%v", err)
	}
	w.base = newLevel(spec.Shape.Cols, spec.Shape.Rows, tw, th)
	est := float64(w.base.across*w.base.down) * float64(tw*th*w.spp*spec.DType.Size()+64)
	if w.cog {
		est *= 4.0 / 3
	}
	switch opt("bigtiff") {
	case "", "if_needed":
		w.big = est+1<<20 > maxClassicBytes
	case "yes", "true":
		w.big = true
	case "no", "false":
	default:
		return fail("bad bigtiff=%q (want yes, no or if_needed)", spec.Options["bigtiff"])
	}
	if v, ok := spec.Attrs.Get("_FillValue"); ok {
		if s, isStr := v.(string); isStr {
			w.fill, w.hasFill = parseNoData(s)
		} else {
			w.fill, w.hasFill = formats.ToFloats(v)
		}
	}
	w.meta = metadataItems(spec)
	if spec.Source != nil {
		switch g := spec.Source.Geo.(type) {
		case *Georef:
			if g != nil {
				w.geo = g.Scaled(max(spec.Factor, 1))
			}
		case formats.CFGrid:
			cf, err := g.CFGridVars(spec.Shape, max(spec.Factor, 1))
			if err != nil {
				return fail("georeferencing from %s: %v", spec.Source.Path, err)
			}
			w.geo = georefFromCF(cf)
		}
	}
	bb := tw * th * w.spp * spec.DType.Size()
	w.bufs.New = func() any {
		return &blockBuf{data: chunk.AlignedBytes(bb), tmp: make([]byte, tw*w.spp*spec.DType.Size())}
	}
	return w, nil
}

// NewWriter is [Create] with a concrete result type.
func NewWriter(spec formats.CreateSpec) (*Writer, error) {
	w, err := newWriter(spec)
	if err != nil {
		return nil, err
	}
	if w.out, err = formats.CreateAtomic(spec.Path, spec.Overwrite); err != nil {
		return nil, fmt.Errorf("geotiff: %w", err)
	}
	w.sink = w.out.File
	hdr := header(w.big, 0)
	if w.cog {
		if w.stage, err = formats.CreateScratch(spec.Path, "cog-tiles"); err != nil {
			w.out.Abort()
			return nil, fileErr(spec.Path, "create staging file: %v", err)
		}
		w.sink = w.stage
		hdr = nil
	} else if _, err := w.out.WriteAt(hdr, 0); err != nil {
		w.out.Abort()
		return nil, fileErr(spec.Path, "write header: %v", err)
	}
	w.end.Store(int64(len(hdr)))
	return w, nil
}

// tileSize chooses the tile shape (rows, cols).
func tileSize(spec formats.CreateSpec, opt string) (int, int, error) {
	ok := func(n int) bool { return n > 0 && n%16 == 0 && n <= 4096 }
	if opt != "" {
		s, err := formats.ParseShape(opt)
		if err != nil || !ok(s.Rows) || !ok(s.Cols) {
			return 0, 0, fmt.Errorf("bad tile=%q (want N or RxC, multiples of 16 up to 4096)", opt)
		}
		return s.Rows, s.Cols, nil
	}
	if ok(spec.Chunk.Rows) && ok(spec.Chunk.Cols) {
		return spec.Chunk.Rows, spec.Chunk.Cols, nil
	}
	if spec.Shape.Rows >= 4096 && spec.Shape.Cols >= 4096 {
		return 512, 512, nil
	}
	return 256, 256, nil
}

// metadataItems turns the spec's attributes into GDAL metadata items:
// scale_factor and add_offset as the band's SCALE and OFFSET, other string
// attributes as band (of every band) or dataset items, and band names as
// the bands' descriptions.
func metadataItems(spec formats.CreateSpec) []gdalItem {
	var items []gdalItem
	skip := map[string]bool{"_FillValue": true, "geotransform": true, "crs": true, "raster_type": true, "gcp_count": true}
	for _, a := range spec.Attrs {
		switch a.Name {
		case "scale_factor", "add_offset":
			if v, ok := formats.ToFloats(a.Value); ok {
				name, role := "SCALE", "scale"
				if a.Name == "add_offset" {
					name, role = "OFFSET", "offset"
				}
				items = append(items, gdalItem{Name: name, Sample: "0", Role: role, Value: strconv.FormatFloat(v, 'g', -1, 64)})
			}
			continue
		}
		if s, ok := a.Value.(string); ok && !skip[a.Name] {
			items = append(items, gdalItem{Name: a.Name, Sample: "0", Value: s})
		}
	}
	// The band attributes describe every band of a multi-band output.
	band0 := items
	for k := 1; k < spec.Bands; k++ {
		for _, it := range band0 {
			it.Sample = strconv.Itoa(k)
			items = append(items, it)
		}
	}
	for k, name := range spec.BandNames {
		if name != "" {
			items = append(items, gdalItem{Name: "DESCRIPTION", Sample: strconv.Itoa(k), Role: "description", Value: name})
		}
	}
	for _, a := range spec.Global {
		if s, ok := a.Value.(string); ok && !strings.HasPrefix(a.Name, "TIFFTAG_") {
			items = append(items, gdalItem{Name: a.Name, Value: s})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Sample < items[j].Sample })
	return items
}

// WriteRegion stores a. Tiles that a completes are predicted, compressed
// and appended to the file in the calling goroutine; tiles it covers only
// partly wait in memory for the regions that complete them.
func (w *Writer) WriteRegion(ctx context.Context, a *chunk.Array) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := w.checkRegion(a); err != nil || a.Rect.Empty() {
		return err
	}
	l := &w.base
	for tr := a.Rect.Row0 / l.th; tr <= (a.Rect.Row1-1)/l.th; tr++ {
		for tc := a.Rect.Col0 / l.tw; tc <= (a.Rect.Col1-1)/l.tw; tc++ {
			if err := w.addToTile(tr, tc, a); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkRegion checks that a fits the output: its dtype, bounds, bands
// and data length.
func (w *Writer) checkRegion(a *chunk.Array) error {
	if a.DType != w.dtype {
		return fileErr(w.spec.Path, "region %v is %v, the output is %v", a.Rect, a.DType, w.dtype)
	}
	if !w.spec.Shape.Bounds().Contains(a.Rect) {
		return fileErr(w.spec.Path, "region %v outside the output %v", a.Rect, w.spec.Shape)
	}
	if a.Rect.Empty() {
		return nil
	}
	if a.NumPlanes() != w.spp {
		return fileErr(w.spec.Path, "region %v has %d band(s), the output %d", a.Rect, a.NumPlanes(), w.spp)
	}
	need := (a.Offset(a.Rect.Row1-1, a.Rect.Col1-1) + 1) * a.DType.Size()
	if w.spp > 1 {
		need = w.spp * a.Stride * a.Rect.Rows() * a.DType.Size()
	}
	if a.Stride < a.Rect.Cols() || need > len(a.Data) {
		return fileErr(w.spec.Path, "region %v: data too short (%d bytes, stride %d, %d band(s))", a.Rect, len(a.Data), a.Stride, w.spp)
	}
	return nil
}

// addToTile copies the part of a inside tile (tr, tc) and writes the tile
// out when it is complete.
func (w *Writer) addToTile(tr, tc int, a *chunk.Array) error {
	l := &w.base
	idx := tr*l.across + tc
	valid := l.tileRect(tr, tc)
	isect := valid.Intersect(a.Rect)
	if isect == valid {
		w.mu.Lock()
		dup := l.written[idx] || w.pending[idx] != nil
		l.written[idx] = true
		w.mu.Unlock()
		if dup {
			return fileErr(w.spec.Path, "tile (%d, %d) written twice (overlapping regions)", tr, tc)
		}
		bb := w.bufs.Get().(*blockBuf)
		clear(bb.data)
		copyIntoTile(bb.data, l, tr, tc, a, isect, w.spp)
		return w.emit(l, idx, bb)
	}
	w.mu.Lock()
	if l.written[idx] {
		w.mu.Unlock()
		return fileErr(w.spec.Path, "tile (%d, %d) written twice (overlapping regions)", tr, tc)
	}
	p := w.pending[idx]
	if p == nil {
		p = &partialTile{buf: w.bufs.Get().(*blockBuf)}
		clear(p.buf.data)
		w.pending[idx] = p
	}
	w.mu.Unlock()
	// Regions never overlap, so copies into one tile need no lock; the
	// mutex below orders them before the goroutine that completes it.
	copyIntoTile(p.buf.data, l, tr, tc, a, isect, w.spp)
	w.mu.Lock()
	p.filled += isect.Len()
	complete := p.filled >= valid.Len()
	if complete {
		delete(w.pending, idx)
		l.written[idx] = true
	}
	w.mu.Unlock()
	if complete {
		return w.emit(l, idx, p.buf)
	}
	return nil
}

// copyIntoTile copies region r of a into the tile buffer of tile (tr, tc),
// whose pixels hold spp samples. a holds spp samples per pixel too: either
// interleaved in one plane (spp times as many columns per row, as
// overviews are built) or, when a has spp planes, one band per plane,
// which are interleaved here.
func copyIntoTile(tile []byte, l *level, tr, tc int, a *chunk.Array, r chunk.Region, spp int) {
	sz := a.DType.Size()
	if spp > 1 && a.NumPlanes() == spp {
		interleaveIntoTile(tile, l, tr, tc, a, r, spp)
		return
	}
	n := r.Cols() * sz * spp
	for row := r.Row0; row < r.Row1; row++ {
		d := ((row-tr*l.th)*l.tw + (r.Col0 - tc*l.tw)) * sz * spp
		s := ((row-a.Rect.Row0)*a.Stride*spp + (r.Col0-a.Rect.Col0)*spp) * sz
		copy(tile[d:d+n], a.Data[s:s+n])
	}
}

// interleaveIntoTile copies region r of the planes of a, band k from plane
// k, into the pixel-interleaved tile buffer of tile (tr, tc).
func interleaveIntoTile(tile []byte, l *level, tr, tc int, a *chunk.Array, r chunk.Region, spp int) {
	sz := a.DType.Size()
	planeBytes := a.Stride * a.Rect.Rows() * sz
	for row := r.Row0; row < r.Row1; row++ {
		d0 := ((row-tr*l.th)*l.tw + (r.Col0 - tc*l.tw)) * sz * spp
		for k := 0; k < spp; k++ {
			src := a.Data[k*planeBytes+a.Offset(row, r.Col0)*sz:][:r.Cols()*sz]
			interleaveRow(tile[d0+k*sz:], src, sz, spp)
		}
	}
}

// interleaveRow copies the samples of src (sz bytes each) to every spp-th
// sample of dst, starting at dst's first.
func interleaveRow(dst, src []byte, sz, spp int) {
	step := sz * spp
	switch sz {
	case 1:
		for i, v := range src {
			dst[i*step] = v
		}
	case 2:
		for i := 0; i < len(src); i += 2 {
			copy(dst[i/2*step:][:2], src[i:i+2])
		}
	case 4:
		for i := 0; i < len(src); i += 4 {
			copy(dst[i/4*step:][:4], src[i:i+4])
		}
	default:
		for i := 0; i < len(src); i += sz {
			copy(dst[i/sz*step:][:sz], src[i:i+sz])
		}
	}
}

// emit predicts, compresses and appends one tile, recording its place in
// l, and returns the tile buffer to the pool.
func (w *Writer) emit(l *level, idx int, bb *blockBuf) error {
	defer w.bufs.Put(bb)
	op, _ := w.outs.Get().(*[]byte)
	if op == nil {
		op = new([]byte)
	}
	defer w.outs.Put(op)
	data, err := w.encodeTile(*op, bb, l.tw)
	if err != nil {
		return w.setErr(fileErr(w.spec.Path, "tile %d: %v", idx, err))
	}
	*op = data
	off := w.end.Add(int64(len(data))) - int64(len(data))
	if _, err := w.sink.WriteAt(data, off); err != nil {
		return w.setErr(fileErr(w.spec.Path, "write tile %d: %v", idx, err))
	}
	w.mu.Lock()
	l.offsets[idx], l.counts[idx] = uint64(off), uint64(len(data))
	w.mu.Unlock()
	return nil
}

// encodeTile applies the predictor to bb in place (host order in, file
// order out) and compresses it into dst.
func (w *Writer) encodeTile(dst []byte, bb *blockBuf, tw int) ([]byte, error) {
	sz := w.dtype.Size()
	switch w.predictor {
	case predHoriz:
		applyHorizontal(bb.data, sz, tw*w.spp, w.spp)
		toNative(bb.data, sz, true) // host to little-endian: the same swap
	case predFloat:
		toNative(bb.data, sz, true)
		applyFloat(bb.data, bb.tmp, sz, tw*w.spp, w.spp)
	default:
		toNative(bb.data, sz, true)
	}
	return w.enc.encode(dst, bb.data)
}

// decodeTile reverses encodeTile: it decompresses src into bb and undoes
// the predictor, leaving host-order samples.
func (w *Writer) decodeTile(bb *blockBuf, src []byte, tw int) error {
	n, err := decompress(w.enc.compression, bb.data, src)
	if err != nil {
		return err
	}
	if n != len(bb.data) {
		return fmt.Errorf("staged tile decodes to %d bytes, want %d", n, len(bb.data))
	}
	sz := w.dtype.Size()
	if w.predictor == predFloat {
		undoFloat(bb.data, bb.tmp, sz, tw*w.spp, w.spp)
	}
	toNative(bb.data, sz, true)
	if w.predictor == predHoriz {
		undoHorizontal(bb.data, sz, tw*w.spp, w.spp)
	}
	return nil
}

// setErr records the first error and returns err.
func (w *Writer) setErr(err error) error {
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
	return err
}

// flushPending writes out the partly filled tiles; their unwritten pixels
// stay zero.
func (w *Writer) flushPending() error {
	idx := make([]int, 0, len(w.pending))
	for i := range w.pending {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	for _, i := range idx {
		p := w.pending[i]
		delete(w.pending, i)
		w.base.written[i] = true
		if err := w.emit(&w.base, i, p.buf); err != nil {
			return err
		}
	}
	return nil
}

// imageEntries returns the IFD entries describing level l (full resolution
// when overview is false).
func (w *Writer) imageEntries(l *level, overview bool) []entry {
	sz := w.dtype.Size()
	perSample := func(v uint16) []uint16 {
		out := make([]uint16, w.spp)
		for i := range out {
			out[i] = v
		}
		return out
	}
	e := []entry{
		longEntry(tagImageWidth, uint32(l.width)),
		longEntry(tagImageLength, uint32(l.height)),
		shortEntry(tagBitsPerSample, perSample(uint16(8*sz))...),
		shortEntry(tagCompression, uint16(w.enc.compression)),
		shortEntry(tagPhotometric, 1),
		shortEntry(tagSamplesPerPixel, uint16(w.spp)),
		shortEntry(tagPlanarConfig, 1),
		longEntry(tagTileWidth, uint32(l.tw)),
		longEntry(tagTileLength, uint32(l.th)),
		offsetEntry(tagTileOffsets, w.big, l.offsets),
		offsetEntry(tagTileByteCounts, w.big, l.counts),
		shortEntry(tagSampleFormat, perSample(uint16(sampleFormatFor(w.dtype)))...),
	}
	if w.spp > 1 {
		// MinIsBlack counts one sample as the image: the others are
		// extra samples of unspecified meaning, as GDAL writes them.
		e = append(e, shortEntry(tagExtraSamples, make([]uint16, w.spp-1)...))
	}
	if w.predictor != predNone {
		e = append(e, shortEntry(tagPredictor, uint16(w.predictor)))
	}
	if w.hasFill {
		e = append(e, asciiEntry(tagGDALNoData, formatNoData(w.fill)))
	}
	if overview {
		return append(e, longEntry(tagNewSubfileType, 1))
	}
	if g := w.geo; g != nil {
		if len(g.PixelScale) > 0 {
			e = append(e, doubleEntry(tagModelPixelScale, g.PixelScale))
		}
		if len(g.Tiepoints) > 0 {
			e = append(e, doubleEntry(tagModelTiepoint, g.Tiepoints))
		}
		if len(g.Transformation) > 0 {
			e = append(e, doubleEntry(tagModelTransform, g.Transformation))
		}
		if len(g.GeoKeys) > 0 {
			e = append(e, shortEntry(tagGeoKeyDirectory, g.GeoKeys...))
		}
		if len(g.GeoDoubles) > 0 {
			e = append(e, doubleEntry(tagGeoDoubleParams, g.GeoDoubles))
		}
		if g.GeoASCII != "" {
			e = append(e, asciiEntry(tagGeoASCIIParams, g.GeoASCII))
		}
	}
	if s := gdalMetadataXML(w.meta); s != "" {
		e = append(e, asciiEntry(tagGDALMetadata, s))
	}
	return e
}

// Commit writes any partial tiles and the IFD (for COG: builds the
// overviews and lays the file out) and renames the file into place.
func (w *Writer) Commit() error {
	if w.closed {
		return fileErr(w.spec.Path, "writer already committed or aborted")
	}
	if w.err != nil {
		w.Abort()
		return w.err
	}
	err := w.flushPending()
	if err == nil {
		if w.cog {
			err = w.commitCOG()
		} else {
			err = w.commitPlain()
		}
	}
	if err != nil {
		w.Abort()
		return err
	}
	w.closed = true
	if w.stage != nil {
		w.stage.Close()
		os.Remove(w.stage.Name())
	}
	if err := w.out.Commit(); err != nil {
		return fmt.Errorf("geotiff: %w", err)
	}
	return nil
}

// commitPlain appends the IFD after the tiles and points the header at it.
func (w *Writer) commitPlain() error {
	at := uint64(w.end.Load())
	at += at % 2
	ifdb := encodeIFD(w.imageEntries(&w.base, false), w.big, at, 0)
	if !w.big && at+uint64(len(ifdb)) > math.MaxUint32 {
		return fileErr(w.spec.Path, "output passed 4 GiB as classic TIFF; use bigtiff=yes")
	}
	if _, err := w.out.WriteAt(ifdb, int64(at)); err != nil {
		return fileErr(w.spec.Path, "write IFD: %v", err)
	}
	if _, err := w.out.WriteAt(header(w.big, at), 0); err != nil {
		return fileErr(w.spec.Path, "write header: %v", err)
	}
	return nil
}

// Abort removes the output and any staging file. It is safe to call more
// than once and after Commit.
func (w *Writer) Abort() error {
	if w.stage != nil {
		w.stage.Close()
		os.Remove(w.stage.Name())
	}
	w.closed = true
	return w.out.Abort()
}
