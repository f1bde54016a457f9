package geotiff

import (
	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// Encoding tiles apart from the file: a cluster's workers encode the
// tiles of their chunks with a [NewTileEncoder] made from the output's
// spec, and the coordinator's [Writer] places them with WriteTile, so the
// compression runs where the chunks are computed and the file is
// assembled in one place.

// TileEncoder cuts, predicts and compresses the tiles of an output's
// chunks as its [Writer] would, without writing any file: the tiles go
// to the Writer's WriteTile elsewhere.
type TileEncoder struct {
	w *Writer // a writer of the output's spec that never writes
}

// NewTileEncoder returns the tile encoder of spec. Options, shape, dtype,
// bands and chunk must be those of the writer that will place the tiles.
func NewTileEncoder(spec formats.CreateSpec) (*TileEncoder, error) {
	spec.Source = nil // georeferencing goes in the IFD, which the encoder never writes
	w, err := newWriter(spec)
	if err != nil {
		return nil, err
	}
	return &TileEncoder{w: w}, nil
}

// TileShape returns the shape of the full-resolution tiles.
func (e *TileEncoder) TileShape() chunk.Shape { return e.w.TileShape() }

// EncodeTiles is [Writer.EncodeTiles] of the output's writer.
func (e *TileEncoder) EncodeTiles(a *chunk.Array, put func(tile int, data []byte) error, part func(tile int, r chunk.Region) error) error {
	return e.w.EncodeTiles(a, put, part)
}

// TileShape returns the shape of the full-resolution tiles.
func (w *Writer) TileShape() chunk.Shape {
	return chunk.Shape{Rows: w.base.th, Cols: w.base.tw}
}

// EncodeTiles goes over the full-resolution tiles that a touches, in
// row-major order of the tiles. Each tile a covers whole (tiles on the
// image's right and bottom edges are cut at the edge) it predicts and
// compresses exactly as WriteRegion would and passes to put with its
// number; data is valid only during the call. For each tile a covers in
// part it calls part with the tile's number and the part covered; with
// part nil such a tile is an error.
func (w *Writer) EncodeTiles(a *chunk.Array, put func(tile int, data []byte) error, part func(tile int, r chunk.Region) error) error {
	if err := w.checkRegion(a); err != nil || a.Rect.Empty() {
		return err
	}
	l := &w.base
	var out []byte
	for tr := a.Rect.Row0 / l.th; tr <= (a.Rect.Row1-1)/l.th; tr++ {
		for tc := a.Rect.Col0 / l.tw; tc <= (a.Rect.Col1-1)/l.tw; tc++ {
			valid := l.tileRect(tr, tc)
			if isect := valid.Intersect(a.Rect); isect != valid {
				if part == nil {
					return fileErr(w.spec.Path, "region %v covers tile (%d, %d) %v only in part", a.Rect, tr, tc, valid)
				}
				if err := part(tr*l.across+tc, isect); err != nil {
					return err
				}
				continue
			}
			bb := w.bufs.Get().(*blockBuf)
			clear(bb.data)
			copyIntoTile(bb.data, l, tr, tc, a, valid, w.spp)
			var err error
			out, err = w.encodeTile(out, bb, l.tw)
			w.bufs.Put(bb)
			if err != nil {
				return fileErr(w.spec.Path, "tile (%d, %d): %v", tr, tc, err)
			}
			if err := put(tr*l.across+tc, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteTile stores full-resolution tile number tile, encoded by
// EncodeTiles of a writer with the same spec, as WriteRegion stores the
// tiles it completes: appended to the file in the order of the calls
// (for a COG, laid out by number at Commit). Each tile may be given once.
func (w *Writer) WriteTile(tile int, data []byte) error {
	l := &w.base
	if tile < 0 || tile >= len(l.offsets) {
		return fileErr(w.spec.Path, "tile %d outside the image's %d tiles", tile, len(l.offsets))
	}
	if len(data) == 0 {
		return fileErr(w.spec.Path, "tile %d is empty", tile)
	}
	w.mu.Lock()
	dup := l.written[tile] || w.pending[tile] != nil
	closed := w.closed
	l.written[tile] = true
	w.mu.Unlock()
	if closed {
		return fileErr(w.spec.Path, "writer already committed or aborted")
	}
	if dup {
		return fileErr(w.spec.Path, "tile %d written twice", tile)
	}
	off := w.end.Add(int64(len(data))) - int64(len(data))
	if _, err := w.sink.WriteAt(data, off); err != nil {
		return w.setErr(fileErr(w.spec.Path, "write tile %d: %v", tile, err))
	}
	w.mu.Lock()
	l.offsets[tile], l.counts[tile] = uint64(off), uint64(len(data))
	w.mu.Unlock()
	return nil
}
