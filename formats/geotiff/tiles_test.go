package geotiff_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
)

// TestEncodeTilesMatchesWriteRegion encodes the tiles of each chunk apart
// and places them with WriteTile (the parts of tiles a chunk covers only in
// part with WriteRegion), in chunk order, and checks the file is the one
// WriteRegion writes from the same chunks in the same order: for a plain
// GeoTIFF and a COG, chunks of one tile, of 2x2 tiles and across tiles,
// with edge tiles cut by the image.
func TestEncodeTilesMatchesWriteRegion(t *testing.T) {
	shape := chunk.Shape{Rows: 300, Cols: 340}
	src := randomArray(chunk.Float32, shape.Bounds(), 3)
	for _, c := range []struct {
		name  string
		chunk int
		opts  map[string]string
	}{
		{"plain", 64, map[string]string{"tile": "64"}},
		{"plain-2x2", 128, map[string]string{"tile": "64", "compress": "zstd"}},
		{"cog", 64, map[string]string{"tile": "64", "cog": "true"}},
		{"parts", 100, map[string]string{"tile": "64"}},
		{"cog-parts", 100, map[string]string{"tile": "64", "cog": "true"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			g, err := chunk.NewGrid(shape, chunk.Shape{Rows: c.chunk, Cols: c.chunk})
			if err != nil {
				t.Fatal(err)
			}
			spec := func(name string) formats.CreateSpec {
				return formats.CreateSpec{Path: filepath.Join(dir, name), Shape: shape, DType: chunk.Float32,
					Chunk: chunk.Shape{Rows: c.chunk, Cols: c.chunk}, Options: c.opts}
			}
			local, err := geotiff.NewWriter(spec("local.tif"))
			if err != nil {
				t.Fatal(err)
			}
			enc, err := geotiff.NewTileEncoder(spec("unused.tif"))
			if err != nil {
				t.Fatal(err)
			}
			assembled, err := geotiff.NewWriter(spec("tiles.tif"))
			if err != nil {
				t.Fatal(err)
			}
			for n := range g.Len() {
				r := g.Region(g.Index(n))
				a := chunk.NewArray(chunk.Float32, r)
				for row := r.Row0; row < r.Row1; row++ {
					copy(a.RowBytes(row), src.RowBytes(row)[r.Col0*4:r.Col1*4])
				}
				if err := local.WriteRegion(context.Background(), a); err != nil {
					t.Fatal(err)
				}
				err := enc.EncodeTiles(a, func(tile int, data []byte) error {
					return assembled.WriteTile(tile, bytes.Clone(data))
				}, func(tile int, r chunk.Region) error {
					part := chunk.NewArray(chunk.Float32, r)
					for row := r.Row0; row < r.Row1; row++ {
						copy(part.RowBytes(row), src.RowBytes(row)[r.Col0*4:r.Col1*4])
					}
					return assembled.WriteRegion(context.Background(), part)
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := local.Commit(); err != nil {
				t.Fatal(err)
			}
			if err := assembled.Commit(); err != nil {
				t.Fatal(err)
			}
			a, _ := os.ReadFile(filepath.Join(dir, "local.tif"))
			b, _ := os.ReadFile(filepath.Join(dir, "tiles.tif"))
			if len(a) == 0 || !bytes.Equal(a, b) {
				t.Fatalf("assembled file (%d bytes) differs from WriteRegion's (%d bytes)", len(b), len(a))
			}
			if _, err := os.Stat(filepath.Join(dir, "unused.tif")); err == nil {
				t.Error("the tile encoder created its spec's file")
			}
		})
	}
}

// TestEncodeTilesErrors checks that a region covering a tile in part, a
// tile out of range and a tile given twice are errors naming the file.
func TestEncodeTilesErrors(t *testing.T) {
	dir := t.TempDir()
	spec := formats.CreateSpec{Path: filepath.Join(dir, "o.tif"), Shape: chunk.Shape{Rows: 128, Cols: 128}, DType: chunk.Uint16,
		Options: map[string]string{"tile": "64"}}
	enc, err := geotiff.NewTileEncoder(spec)
	if err != nil {
		t.Fatal(err)
	}
	err = enc.EncodeTiles(chunk.NewArray(chunk.Uint16, chunk.Rect(0, 0, 32, 64)), func(int, []byte) error { return nil }, nil)
	if err == nil || !strings.Contains(err.Error(), "o.tif") || !strings.Contains(err.Error(), "only in part") {
		t.Errorf("partial tile: err = %v", err)
	}
	w, err := geotiff.NewWriter(spec)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.WriteTile(4, []byte{1}); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("tile 4 of 4: err = %v", err)
	}
	if err := w.WriteTile(1, []byte{1}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteTile(1, []byte{1}); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("tile written twice: err = %v", err)
	}
}
