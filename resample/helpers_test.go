package resample

import (
	"context"
	"errors"
	"sync"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
)

// memReader is an in-memory input on an EPSG:4326 grid that records the
// regions it is asked for.
type memReader struct {
	info    formats.Info
	data    *chunk.Array
	failAt  chunk.Region // a read overlapping it fails
	mu      sync.Mutex
	regions []chunk.Region
}

// lonLatGeoref georeferences a grid whose pixel (0, 0) has its outer corner
// at (lon0, lat0), with square pixels of res degrees.
func lonLatGeoref(lon0, lat0, res float64) *geotiff.Georef {
	return &geotiff.Georef{PixelScale: []float64{res, res, 0}, Tiepoints: []float64{0, 0, 0, lon0, lat0, 0},
		GeoKeys: []uint16{1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326}}
}

// newMemReader makes a rows x cols float32 input whose value at pixel
// centre (lon, lat) is f(lon, lat).
func newMemReader(rows, cols int, lon0, lat0, res float64, f func(lon, lat float64) float64) *memReader {
	a := chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, rows, cols))
	v := a.Float32s()
	for r := range rows {
		for c := range cols {
			v[r*cols+c] = float32(f(lon0+(float64(c)+0.5)*res, lat0-(float64(r)+0.5)*res))
		}
	}
	return &memReader{data: a, info: formats.Info{Path: "mem.tif", Format: "geotiff", Shape: chunk.Shape{Rows: rows, Cols: cols},
		DType: chunk.Float32, Geo: lonLatGeoref(lon0, lat0, res)}}
}

func (m *memReader) Info() formats.Info { return m.info }
func (m *memReader) Close() error       { return nil }

func (m *memReader) ReadRegion(ctx context.Context, r chunk.Region, dst *chunk.Array) error {
	m.mu.Lock()
	m.regions = append(m.regions, r)
	m.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.Overlaps(m.failAt) {
		return errors.New("disk on fire")
	}
	if !m.info.Shape.Bounds().Contains(r) || dst.Rect != r || dst.DType != m.info.DType {
		return errors.New("memReader: bad request")
	}
	dst.CopyFrom(m.data)
	return nil
}

// resampled builds a Reader over src for an area spec.
func resampled(src formats.Reader, area string, opts Options) (*Reader, error) {
	sg, err := SourceGrid(src.Info())
	if err != nil {
		return nil, err
	}
	a, err := ParseArea(area)
	if err != nil {
		return nil, err
	}
	dg, err := a.Grid(sg)
	if err != nil {
		return nil, err
	}
	return New(src, sg, dg, opts)
}

// readChunks reads r over a grid of chunks of rows x cols and returns the
// assembled output as float64.
func readChunks(r formats.Reader, rows, cols int) ([]float64, error) {
	info := r.Info()
	out := make([]float64, info.Shape.Len())
	for r0 := 0; r0 < info.Shape.Rows; r0 += rows {
		for c0 := 0; c0 < info.Shape.Cols; c0 += cols {
			reg := chunk.Rect(r0, c0, min(r0+rows, info.Shape.Rows), min(c0+cols, info.Shape.Cols))
			a := chunk.NewArray(info.DType, reg)
			if err := r.ReadRegion(context.Background(), reg, a); err != nil {
				return nil, err
			}
			for row := reg.Row0; row < reg.Row1; row++ {
				i := row*info.Shape.Cols + reg.Col0
				if err := chunk.ConvertRow(out[i:i+reg.Cols()], a, row, reg.Col0); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}
