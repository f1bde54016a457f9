package cluster

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
)

// GeoTIFF on a cluster: workers encode (predict and compress) the tiles
// of their chunks and send them to the coordinator, which places them
// with geotiff.Writer.WriteTile in chunk order, the order a local run
// with one write worker appends them in, and commits the file. A task's
// tiles travel inline in its result record up to maxInlineTiles bytes;
// beyond that (NATS messages are limited to 1 MiB by default) the worker
// writes them to a file in the output's staging directory and sends
// their places in it. Tiles a chunk covers only in part (chunks that are
// not made of whole tiles) travel as raw pixels, and the coordinator
// passes them to WriteRegion, which encodes each tile once its parts are
// all in: the same bytes, with the compression of those tiles done by the
// coordinator. Raw pixels are in the workers' byte order, which must be
// the coordinator's.

// maxInlineTiles is the most encoded tile bytes a result record carries
// inline (base64 in JSON adds a third).
const maxInlineTiles = 256 << 10

// tileRef is one encoded tile in a result, or a part of one: its number
// and its bytes, inline (Data) or at Off in the result's TileFile (Len
// bytes). A part has its region in Part and raw pixels for bytes.
type tileRef struct {
	N    int           `json:"n"`
	Part *chunk.Region `json:"p,omitempty"`
	Data []byte        `json:"d,omitempty"`
	Off  int64         `json:"o,omitempty"`
	Len  int           `json:"l"`
}

// tileEncoder is a worker's side of a GeoTIFF output.
type tileEncoder struct {
	enc     *geotiff.TileEncoder
	staging string
	target  string
}

// openTileEncoder makes the encoder of the tiles the coordinator's writer
// expects, and checks that it cuts the same tiles.
func openTileEncoder(o *outputSpec) (chunkWriter, error) {
	enc, err := geotiff.NewTileEncoder(formats.CreateSpec{Path: o.Target, Shape: o.Shape, DType: o.DType, Chunk: o.Chunk, Options: o.Options, Bands: o.Bands})
	if err != nil {
		return nil, err
	}
	if got := enc.TileShape(); got != o.Tile {
		return nil, fmt.Errorf("cluster: output %s: this worker cuts %v tiles, the coordinator %v (a different chunkpipe version?)", o.Target, got, o.Tile)
	}
	return &tileEncoder{enc: enc, staging: o.Staging, target: o.Target}, nil
}

func (t *tileEncoder) write(_ context.Context, a *chunk.Array, res *result) error {
	return t.enc.EncodeTiles(a, func(n int, data []byte) error {
		res.Tiles = append(res.Tiles, tileRef{N: n, Data: bytes.Clone(data), Len: len(data)})
		return nil
	}, func(n int, r chunk.Region) error {
		sz := a.DType.Size()
		raw := make([]byte, 0, r.Len()*sz*a.NumPlanes())
		for k := range a.NumPlanes() {
			p := a.Plane(k)
			for row := r.Row0; row < r.Row1; row++ {
				raw = append(raw, p.RowBytes(row)[(r.Col0-a.Rect.Col0)*sz:(r.Col1-a.Rect.Col0)*sz]...)
			}
		}
		res.Tiles = append(res.Tiles, tileRef{N: n, Part: &r, Data: raw, Len: len(raw)})
		return nil
	})
}

// finish moves the task's tiles to a staging file when they are too big
// to go inline.
func (t *tileEncoder) finish(res *result) error {
	total := 0
	for _, tr := range res.Tiles {
		total += tr.Len
	}
	if total <= maxInlineTiles {
		return nil
	}
	f, err := os.CreateTemp(t.staging, fmt.Sprintf("tiles-%d-*", res.First))
	if err != nil {
		return err
	}
	var off int64
	for i := range res.Tiles {
		tr := &res.Tiles[i]
		if _, err := f.WriteAt(tr.Data, off); err != nil {
			f.Close()
			os.Remove(f.Name())
			return err
		}
		tr.Off, tr.Data = off, nil
		off += int64(tr.Len)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	res.TileFile = filepath.Base(f.Name())
	return nil
}

func (t *tileEncoder) close() {}

// tiffAssembly is the coordinator's side of a GeoTIFF output: it places
// the tasks' tiles in the order the tasks were published.
type tiffAssembly struct {
	w       *geotiff.Writer
	dtype   chunk.DType
	planes  int // bands
	staging string
	order   []int // the tasks' first chunks, in publish order
	next    int   // index in order of the next task to place
	ready   map[int]*result
	buf     []byte
}

// add takes a done task's result and places the tiles of every task that
// is next in order.
func (a *tiffAssembly) add(res *result) error {
	a.ready[res.First] = res
	for a.next < len(a.order) {
		r, ok := a.ready[a.order[a.next]]
		if !ok {
			return nil
		}
		delete(a.ready, a.order[a.next])
		if err := a.place(r); err != nil {
			return err
		}
		a.next++
	}
	return nil
}

// place writes one task's tiles into the file.
func (a *tiffAssembly) place(res *result) error {
	var f *os.File
	if res.TileFile != "" {
		name := filepath.Join(a.staging, filepath.Base(res.TileFile))
		var err error
		if f, err = os.Open(name); err != nil {
			return fmt.Errorf("cluster: chunk %d: tiles from worker %s: %w", res.First, res.Worker, err)
		}
		defer os.Remove(name)
		defer f.Close()
	}
	for _, tr := range res.Tiles {
		data := tr.Data
		if f != nil {
			if cap(a.buf) < tr.Len {
				a.buf = make([]byte, tr.Len)
			}
			data = a.buf[:tr.Len]
			if _, err := f.ReadAt(data, tr.Off); err != nil {
				return fmt.Errorf("cluster: chunk %d: tile %d from worker %s: %w", res.First, tr.N, res.Worker, err)
			}
		} else if len(data) != tr.Len {
			return fmt.Errorf("cluster: chunk %d: tile %d from worker %s has %d bytes, want %d", res.First, tr.N, res.Worker, len(data), tr.Len)
		}
		var err error
		if tr.Part != nil {
			err = a.writePart(*tr.Part, data)
		} else {
			err = a.w.WriteTile(tr.N, data)
		}
		if err != nil {
			return fmt.Errorf("cluster: chunk %d from worker %s: %w", res.First, res.Worker, err)
		}
	}
	return nil
}

// writePart stores the raw pixels of a tile's part, plane after plane.
func (a *tiffAssembly) writePart(r chunk.Region, raw []byte) error {
	planes := max(a.planes, 1)
	if r.Row0 > r.Row1 || r.Col0 > r.Col1 || len(raw) != r.Len()*a.dtype.Size()*planes {
		return fmt.Errorf("tile part %v: %d bytes, want %d", r, len(raw), max(0, r.Len())*a.dtype.Size()*planes)
	}
	var arr chunk.Array
	if planes > 1 {
		arr.ResetPlanes(a.dtype, r, planes)
	} else {
		arr.Reset(a.dtype, r)
	}
	copy(arr.Data, raw)
	return a.w.WriteRegion(context.Background(), &arr)
}
