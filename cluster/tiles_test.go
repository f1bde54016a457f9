package cluster

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
)

// TestTilesStagedBeyondInlineLimit encodes a task whose tiles pass the
// inline limit: the worker side moves them to a file in the staging
// directory, and the coordinator side places them from it, removes it,
// and writes the file a local writer writes.
func TestTilesStagedBeyondInlineLimit(t *testing.T) {
	dir := t.TempDir()
	shape := chunk.Shape{Rows: 512, Cols: 512}
	spec := func(name string) formats.CreateSpec {
		return formats.CreateSpec{Path: filepath.Join(dir, name), Shape: shape, DType: chunk.Uint32, Chunk: shape,
			Options: map[string]string{"compress": "none", "tile": "256"}}
	}
	a := chunk.NewArray(chunk.Uint32, shape.Bounds())
	for i := range a.Data {
		a.Data[i] = byte(i * 7)
	}
	staging := t.TempDir()
	cs := spec("c.tif")
	cw, err := openTileEncoder(&outputSpec{Kind: kindGeoTIFF, Target: cs.Path, Shape: shape, DType: cs.DType, Chunk: cs.Chunk,
		Options: cs.Options, Staging: staging, Tile: chunk.Shape{Rows: 256, Cols: 256}})
	if err != nil {
		t.Fatal(err)
	}
	res := &result{First: 0, Count: 1, Worker: "w"}
	if err := cw.write(context.Background(), a, res); err != nil {
		t.Fatal(err)
	}
	if err := cw.finish(res); err != nil {
		t.Fatal(err)
	}
	if res.TileFile == "" || len(res.Tiles) != 4 || res.Tiles[0].Data != nil {
		t.Fatalf("%d tiles, file %q: want 4 tiles staged in a file (1 MiB > the %d inline bytes)", len(res.Tiles), res.TileFile, maxInlineTiles)
	}
	w, err := geotiff.NewWriter(cs)
	if err != nil {
		t.Fatal(err)
	}
	asm := &tiffAssembly{w: w, dtype: cs.DType, staging: staging, order: []int{0}, ready: map[int]*result{}}
	if err := asm.add(res); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(staging); len(left) != 0 {
		t.Errorf("staging directory still holds %d files", len(left))
	}
	local, err := geotiff.NewWriter(spec("l.tif"))
	if err != nil {
		t.Fatal(err)
	}
	if err := local.WriteRegion(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if err := local.Commit(); err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(filepath.Join(dir, "l.tif"))
	y, _ := os.ReadFile(filepath.Join(dir, "c.tif"))
	if len(x) == 0 || !bytes.Equal(x, y) {
		t.Fatalf("assembled file (%d bytes) differs from the local writer's (%d bytes)", len(y), len(x))
	}
}
