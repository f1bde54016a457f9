package geotiff

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/internal/regularfile"
)

// Reader reads one band of one image (the main image or an overview) of a
// GeoTIFF file. It is safe for concurrent use: reads go through ReadAt and
// decoding holds no lock.
type Reader struct {
	path   string
	r      io.ReaderAt
	closer io.Closer
	st     *structure
	images []*image // parsed images of every IFD; nil where an IFD was unreadable
	errs   []error  // why an IFD was unreadable, by IFD index
	main   *image
	ovrs   []*image // overviews of the main image, largest first
	img    *image   // the selected image
	band   int      // selected band, 0-based
	geo    *Georef
	meta   []gdalItem
	fill   float64
	hasFil bool
	info   formats.Info

	blocks sync.Pool // *blockBuf sized for img
	raws   sync.Pool // *[]byte compressed-block buffers
}

var (
	_ formats.Reader    = (*Reader)(nil)
	_ formats.Describer = (*Reader)(nil)
)

// blockBuf is a pooled decode buffer for one block plus one row of scratch
// space for the floating-point predictor.
type blockBuf struct {
	data []byte
	tmp  []byte
}

// Open opens the GeoTIFF at path and selects the band (and overview) named
// by opts.Variable: "" or "band:1" for the first band, "band:N",
// "overview:K" or "band:N/overview:K". It implements formats.Format.Open.
func Open(path string, opts formats.OpenOptions) (formats.Reader, error) {
	r, err := OpenFile(path, opts.Variable)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// OpenFile is [Open] with a concrete result type.
func OpenFile(path, variable string) (*Reader, error) {
	f, st, err := regularfile.Open(path)
	if err != nil {
		return nil, fmt.Errorf("geotiff: %w", err)
	}
	r, err := NewReader(f, st.Size(), path, variable)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// NewReader reads the structure of a TIFF held by ra (size bytes long) and
// selects a band as [OpenFile] does; name is used in errors and Info.Path.
// Close does not close ra.
func NewReader(ra io.ReaderAt, size int64, name, variable string) (*Reader, error) {
	st, err := parseStructure(ra, size, name)
	if err != nil {
		return nil, err
	}
	r := &Reader{path: name, r: ra, st: st}
	r.images = make([]*image, len(st.ifds))
	r.errs = make([]error, len(st.ifds))
	for i, d := range st.ifds {
		im, err := newImage(d, i, size)
		if err != nil {
			r.errs[i] = err
			if r.main == nil && i == 0 {
				return nil, fileErr(name, "IFD 0: %v", err)
			}
			continue
		}
		r.images[i] = im
		switch {
		case r.main == nil && !im.isOverview() && !im.isMask():
			r.main = im
		case r.main != nil && im.isOverview() && !im.isMask() && im.spp == r.main.spp && im.dtype == r.main.dtype:
			r.ovrs = append(r.ovrs, im)
		}
	}
	if r.main == nil {
		return nil, fileErr(name, "no full-resolution image among %d IFDs", len(st.ifds))
	}
	band, ovr, err := parseVariable(variable)
	if err != nil {
		return nil, fileErr(name, "%v", err)
	}
	if band >= r.main.spp {
		return nil, fileErr(name, "band %d requested but the image has %d band(s) (use band:1 to band:%d)", band+1, r.main.spp, r.main.spp)
	}
	r.img, r.band = r.main, band
	if ovr > 0 {
		if ovr > len(r.ovrs) {
			return nil, fileErr(name, "overview %d requested but the image has %d overview(s)", ovr, len(r.ovrs))
		}
		r.img = r.ovrs[ovr-1]
	}
	r.geo = georefFrom(r.main.ifd)
	if s, ok := r.main.ifd.str(tagGDALMetadata); ok {
		r.meta = parseGDALMetadata(s)
	}
	if s, ok := r.main.ifd.str(tagGDALNoData); ok {
		r.fill, r.hasFil = parseNoData(s)
	}
	r.info = r.makeInfo(variable)
	bb := r.img.blockBytes()
	tmp := r.img.blockW * r.img.samplesPerBlockPixel() * r.img.dtype.Size()
	r.blocks.New = func() any { return &blockBuf{data: chunk.AlignedBytes(bb), tmp: make([]byte, tmp)} }
	return r, nil
}

// parseVariable parses "", "band:N", "overview:K" and "band:N/overview:K"
// into a 0-based band and a 1-based overview (0 for the main image).
func parseVariable(v string) (band, ovr int, err error) {
	if strings.TrimSpace(v) == "" {
		return 0, 0, nil
	}
	for _, part := range strings.Split(v, "/") {
		key, val, ok := strings.Cut(strings.TrimSpace(part), ":")
		n, perr := strconv.Atoi(val)
		if !ok || perr != nil || n < 1 {
			return 0, 0, fmt.Errorf("bad variable %q (want band:N, overview:K or band:N/overview:K, 1-based)", v)
		}
		switch key {
		case "band":
			band = n - 1
		case "overview":
			ovr = n
		default:
			return 0, 0, fmt.Errorf("bad variable %q (want band:N, overview:K or band:N/overview:K, 1-based)", v)
		}
	}
	return band, ovr, nil
}

// makeInfo builds the Info of the selected band.
func (r *Reader) makeInfo(variable string) formats.Info {
	im := r.img
	info := formats.Info{
		Path:     r.path,
		Format:   "geotiff",
		Variable: variable,
		Shape:    chunk.Shape{Rows: im.height, Cols: im.width},
		DType:    im.dtype,
		Storage:  chunk.Shape{Rows: im.blockH, Cols: im.blockW},
		Dims:     []string{"y", "x"},
	}
	if r.geo != nil {
		g := r.geo
		if im != r.main && im.width > 0 {
			// Overviews share the main image's georeferencing, coarser.
			f := float64(r.main.width) / float64(im.width)
			g = r.geo.Scaled(1)
			for i := 0; i < len(g.PixelScale) && i < 2; i++ {
				g.PixelScale[i] *= f
			}
		}
		info.Geo = g
	}
	if r.hasFil {
		info.Attrs = info.Attrs.Set("_FillValue", fillAttr(r.fill, im.dtype))
	}
	sample := strconv.Itoa(r.band)
	for _, it := range r.meta {
		if it.Sample != sample || it.Domain != "" {
			continue
		}
		switch strings.ToLower(it.Role) {
		case "scale":
			if v, err := strconv.ParseFloat(strings.TrimSpace(it.Value), 64); err == nil {
				info.Attrs = info.Attrs.Set("scale_factor", v)
			}
		case "offset":
			if v, err := strconv.ParseFloat(strings.TrimSpace(it.Value), 64); err == nil {
				info.Attrs = info.Attrs.Set("add_offset", v)
			}
		case "":
			if _, dup := info.Attrs.Get(it.Name); !dup {
				info.Attrs = info.Attrs.Set(it.Name, it.Value)
			}
		}
	}
	for _, kv := range r.geo.attrs() {
		info.Attrs = info.Attrs.Set(kv.name, kv.value)
	}
	info.Global = info.Global.Set("bands", int64(r.main.spp))
	info.Global = info.Global.Set("overviews", int64(len(r.ovrs)))
	for _, it := range r.meta {
		if it.Sample == "" && it.Domain == "" && it.Role == "" {
			info.Global = info.Global.Set(it.Name, it.Value)
		}
	}
	for _, t := range []uint16{tagImageDescription, tagSoftware, tagDateTime} {
		if s, ok := r.main.ifd.str(t); ok && s != "" {
			info.Global = info.Global.Set("TIFFTAG_"+strings.ToUpper(tagName(t)), s)
		}
	}
	return info
}

// Info describes the selected band.
func (r *Reader) Info() formats.Info { return r.info }

// Georef returns the georeferencing of the main image, or nil.
func (r *Reader) Georef() *Georef { return r.geo }

// Close closes the file when the reader opened it.
func (r *Reader) Close() error {
	if r.closer != nil {
		return r.closer.Close()
	}
	return nil
}

// ReadRegion reads region reg of the selected band into dst (host byte
// order). It decodes only the blocks reg touches, several at once when it
// touches more than one.
func (r *Reader) ReadRegion(ctx context.Context, reg chunk.Region, dst *chunk.Array) error {
	im := r.img
	if !r.info.Shape.Bounds().Contains(reg) {
		return fileErr(r.path, "region %v outside image %v", reg, r.info.Shape)
	}
	if reg.Empty() {
		return nil
	}
	if dst.DType != im.dtype {
		return fileErr(r.path, "destination is %v, band is %v", dst.DType, im.dtype)
	}
	if !dst.Rect.Contains(reg) || dst.Stride < dst.Rect.Cols() ||
		(dst.Offset(reg.Row1-1, reg.Col1-1)+1)*im.dtype.Size() > len(dst.Data) {
		return fileErr(r.path, "destination %v (stride %d, %d bytes) cannot hold region %v", dst.Rect, dst.Stride, len(dst.Data), reg)
	}
	br0, br1 := reg.Row0/im.blockH, (reg.Row1-1)/im.blockH
	bc0, bc1 := reg.Col0/im.blockW, (reg.Col1-1)/im.blockW
	nc := bc1 - bc0 + 1
	n := (br1 - br0 + 1) * nc
	if n == 1 {
		return r.readBlock(ctx, br0, bc0, reg, dst)
	}
	workers := min(n, runtime.GOMAXPROCS(0))
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		errOnce sync.Once
		first   error
		failed  atomic.Bool
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := r.readBlock(ctx, br0+i/nc, bc0+i%nc, reg, dst); err != nil {
					errOnce.Do(func() { first = err })
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// readBlock decodes block (br, bc) and copies its part of reg into dst.
func (r *Reader) readBlock(ctx context.Context, br, bc int, reg chunk.Region, dst *chunk.Array) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	im := r.img
	plane := 0
	if im.planar == 2 {
		plane = r.band
	}
	idx := im.blockIndex(plane, br, bc)
	rows := im.blockRows(br)
	brect := chunk.Rect(br*im.blockH, bc*im.blockW, br*im.blockH+rows, (bc+1)*im.blockW)
	isect := brect.Intersect(reg)
	sz := im.dtype.Size()
	off, cnt := im.offsets[idx], im.counts[idx]
	if cnt == 0 || off == 0 {
		r.fillRegion(dst, isect)
		return nil
	}
	if max := maxStored(im.compression, im.blockBytes()); cnt > uint64(max) {
		return fileErr(r.path, "band %d block %d (row %d, col %d): stores %d bytes, more than %s compression takes for a %d-byte block (at most %d)",
			r.band+1, idx, br, bc, cnt, compressionName(im.compression), im.blockBytes(), max)
	}
	rawp := r.getRaw(int(cnt))
	defer r.raws.Put(rawp)
	raw := *rawp
	if err := r.readPieces(ctx, raw, int64(off)); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fileErr(r.path, "band %d block %d (row %d, col %d): %v", r.band+1, idx, br, bc, err)
	}
	spb := im.samplesPerBlockPixel()
	need := rows * im.blockW * spb * sz
	bb := r.blocks.Get().(*blockBuf)
	defer r.blocks.Put(bb)
	buf := bb.data[:need]
	got, err := decompress(im.compression, buf, raw)
	if err != nil {
		return fileErr(r.path, "band %d block %d (row %d, col %d): %v", r.band+1, idx, br, bc, err)
	}
	if got < need {
		return fileErr(r.path, "band %d block %d (row %d, col %d): decodes to %d bytes, want %d", r.band+1, idx, br, bc, got, need)
	}
	rowLen := im.blockW * spb
	if im.predictor == predFloat {
		undoFloat(buf, bb.tmp, sz, rowLen, spb)
	}
	toNative(buf, sz, r.st.little)
	if im.predictor == predHoriz {
		undoHorizontal(buf, sz, rowLen, spb)
	}
	w := isect.Cols() * sz
	for row := isect.Row0; row < isect.Row1; row++ {
		d := dst.Offset(row, isect.Col0) * sz
		s := ((row-brect.Row0)*im.blockW + (isect.Col0 - brect.Col0)) * spb
		if spb == 1 {
			copy(dst.Data[d:d+w], buf[s*sz:s*sz+w])
			continue
		}
		s = (s + r.band) * sz
		step := spb * sz
		for c := 0; c < w; c += sz {
			copy(dst.Data[d+c:d+c+sz], buf[s:s+sz])
			s += step
		}
	}
	return nil
}

// readPieces fills raw from file offset off in pieces of at most
// regularfile.PieceSize bytes, checking ctx between pieces.
func (r *Reader) readPieces(ctx context.Context, raw []byte, off int64) error {
	for done := 0; done < len(raw); {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(len(raw)-done, regularfile.PieceSize)
		if err := readFull(r.r, r.st.size, raw[done:done+n], off+int64(done)); err != nil {
			return err
		}
		done += n
	}
	return nil
}

// getRaw returns a pooled buffer of n bytes.
func (r *Reader) getRaw(n int) *[]byte {
	p, _ := r.raws.Get().(*[]byte)
	if p == nil {
		p = new([]byte)
	}
	if cap(*p) < n {
		*p = make([]byte, n)
	}
	*p = (*p)[:n]
	return p
}

// fillRegion sets reg of dst to the nodata value (zero when there is none),
// as GDAL does for blocks missing from sparse files.
func (r *Reader) fillRegion(dst *chunk.Array, reg chunk.Region) {
	sz := dst.DType.Size()
	elem := make([]byte, sz)
	if r.hasFil {
		encodeValue(elem, dst.DType, r.fill)
	}
	zero := bytes.Count(elem, []byte{0}) == sz
	for row := reg.Row0; row < reg.Row1; row++ {
		d := dst.Offset(row, reg.Col0) * sz
		line := dst.Data[d : d+reg.Cols()*sz]
		if zero {
			clear(line)
			continue
		}
		for c := 0; c < len(line); c += sz {
			copy(line[c:], elem)
		}
	}
}

// encodeValue writes v converted to type t into b in host byte order.
func encodeValue(b []byte, t chunk.DType, v float64) {
	o := binary.NativeEndian
	switch t {
	case chunk.Int8:
		b[0] = byte(int8(v))
	case chunk.Uint8:
		b[0] = byte(v)
	case chunk.Int16:
		o.PutUint16(b, uint16(int16(v)))
	case chunk.Uint16:
		o.PutUint16(b, uint16(v))
	case chunk.Int32:
		o.PutUint32(b, uint32(int32(v)))
	case chunk.Uint32:
		o.PutUint32(b, uint32(v))
	case chunk.Int64:
		o.PutUint64(b, uint64(int64(v)))
	case chunk.Uint64:
		o.PutUint64(b, uint64(v))
	case chunk.Float32:
		o.PutUint32(b, math.Float32bits(float32(v)))
	case chunk.Float64:
		o.PutUint64(b, math.Float64bits(v))
	}
}
