package geotiff_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
)

// stackPlanes returns one multi-plane array holding planes, band k in
// plane k, over r.
func stackPlanes(planes []*chunk.Array, r chunk.Region) *chunk.Array {
	a := &chunk.Array{}
	a.ResetPlanes(planes[0].DType, r, len(planes))
	for k, p := range planes {
		a.Plane(k).CopyFrom(p.Sub(r))
	}
	return a
}

// writeBands writes planes as one multi-band GeoTIFF, region by region over
// a grid of chunks (not aligned with the tiles, so tiles fill in pieces).
func writeBands(t *testing.T, path string, planes []*chunk.Array, chunks chunk.Shape, opts map[string]string, names []string) {
	t.Helper()
	shape := planes[0].Rect.Shape()
	w, err := geotiff.NewWriter(formats.CreateSpec{Path: path, Shape: shape, DType: planes[0].DType, Chunk: chunks, Bands: len(planes),
		BandNames: names, Options: opts, Attrs: formats.Attrs{{Name: "units", Value: "K"}}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := chunk.NewGrid(shape, chunks)
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < g.Len(); n++ {
		if err := w.WriteRegion(context.Background(), stackPlanes(planes, g.Region(g.Index(n)))); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

func readVar(t *testing.T, path, variable string) *chunk.Array {
	t.Helper()
	r, err := geotiff.OpenFile(path, variable)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	a := chunk.NewArray(r.Info().DType, r.Info().Shape.Bounds())
	if err := r.ReadRegion(context.Background(), a.Rect, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// Every band of a pixel-interleaved output reads back bit for bit, for
// every element type, compression and predictor, tiles filled in pieces,
// and COG overviews of band k equal those of band k written alone.
func TestMultiBandRoundTrip(t *testing.T) {
	shape := chunk.Shape{Rows: 75, Cols: 90}
	optSets := []map[string]string{
		{"compress": "none", "tile": "32"},
		{"compress": "deflate", "tile": "16x48"},
		{"compress": "zstd", "predictor": "none", "tile": "32"},
		{"cog": "true", "tile": "32"},
	}
	for _, dt := range allDTypes {
		for oi, opts := range optSets {
			name := fmt.Sprintf("%v/opts%d", dt, oi)
			var planes []*chunk.Array
			for k := range 3 {
				planes = append(planes, randomArray(dt, shape.Bounds(), uint64(10*k+1)))
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "stack.tif")
			writeBands(t, path, planes, chunk.Shape{Rows: 20, Cols: 28}, opts, []string{"c07", "", "c14"})
			r, err := geotiff.OpenFile(path, "")
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := r.Info().Global.Float("bands"); b != 3 {
				t.Errorf("%s: %v bands", name, b)
			}
			r.Close()
			for k, want := range planes {
				if err := sameArrays(readVar(t, path, fmt.Sprintf("band:%d", k+1)), want); err != nil {
					t.Errorf("%s: band %d: %v", name, k+1, err)
				}
			}
			if opts["cog"] != "true" {
				continue
			}
			for k, p := range planes {
				alone := filepath.Join(dir, fmt.Sprintf("alone%d.tif", k))
				writeBands(t, alone, []*chunk.Array{p}, chunk.Shape{Rows: 20, Cols: 28}, opts, nil)
				for ov := 1; ov <= 2; ov++ {
					got := readVar(t, path, fmt.Sprintf("band:%d/overview:%d", k+1, ov))
					want := readVar(t, alone, fmt.Sprintf("overview:%d", ov))
					if err := sameArrays(got, want); err != nil {
						t.Errorf("%s: band %d overview %d: %v", name, k+1, ov, err)
					}
				}
			}
		}
	}
}

// The bands' descriptions and attributes are GDAL metadata of each band.
func TestMultiBandMetadata(t *testing.T) {
	shape := chunk.Shape{Rows: 20, Cols: 20}
	planes := []*chunk.Array{randomArray(chunk.Uint8, shape.Bounds(), 1), randomArray(chunk.Uint8, shape.Bounds(), 2)}
	path := filepath.Join(t.TempDir(), "two.tif")
	writeBands(t, path, planes, chunk.Shape{Rows: 16, Cols: 16}, nil, []string{"red", "nir"})
	r, err := geotiff.OpenFile(path, "band:2")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var sb strings.Builder
	if err := r.Describe(&sb, formats.DescribeOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"band:2 uint8, description nir", "units (band 1) = K", "SamplesPerPixel (277) SHORT[1] = 2", "ExtraSamples (338) SHORT[1] = 0"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("description lacks %q:\n%s", want, sb.String())
		}
	}
}

// A region without one plane per band is refused, naming the file; so
// are more band names than bands, and several bands for a one-band format.
func TestMultiBandRefusals(t *testing.T) {
	shape := chunk.Shape{Rows: 16, Cols: 16}
	path := filepath.Join(t.TempDir(), "three.tif")
	w, err := geotiff.NewWriter(formats.CreateSpec{Path: path, Shape: shape, DType: chunk.Uint8, Bands: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	err = w.WriteRegion(context.Background(), chunk.NewArray(chunk.Uint8, shape.Bounds()))
	if err == nil || !strings.Contains(err.Error(), "1 band(s), the output 3") || !strings.Contains(err.Error(), path) {
		t.Errorf("one-plane region into 3 bands: %v", err)
	}
	if _, err := geotiff.NewWriter(formats.CreateSpec{Path: path + "2", Shape: shape, DType: chunk.Uint8, Bands: 2, BandNames: []string{"a", "b", "c"}}); err == nil {
		t.Error("3 band names for 2 bands accepted")
	}
	if _, err := geotiff.NewWriter(formats.CreateSpec{Path: path + "3", Shape: shape, DType: chunk.Uint8, Bands: 70000}); err == nil {
		t.Error("too many bands accepted")
	}
}
