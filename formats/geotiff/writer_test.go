package geotiff_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
)

var allDTypes = chunk.DTypes()

// randomArray fills an array with seeded values: a ramp (so predictors have
// something to do) plus noise, and for floats NaN and ±Inf too.
func randomArray(t chunk.DType, r chunk.Region, seed uint64) *chunk.Array {
	a := chunk.NewArray(t, r)
	rng := rand.New(rand.NewPCG(seed, 7))
	sz := t.Size()
	b := make([]byte, 8)
	for i := 0; i < r.Len(); i++ {
		row, col := i/r.Cols(), i%r.Cols()
		switch t {
		case chunk.Float32:
			v := float32(math.Sin(float64(col)/9)*100 + float64(row) + rng.Float64())
			binary.NativeEndian.PutUint32(b, math.Float32bits(v))
		case chunk.Float64:
			v := math.Sin(float64(col)/9)*1e5 + float64(row) + rng.Float64()
			binary.NativeEndian.PutUint64(b, math.Float64bits(v))
		default:
			v := uint64(col*3+row) + rng.Uint64()%4
			if i%17 == 0 {
				v = rng.Uint64()
			}
			binary.NativeEndian.PutUint64(b, v)
			if !littleHost() {
				binary.BigEndian.PutUint64(b, v)
				copy(b, b[8-sz:])
			}
		}
		copy(a.Data[i*sz:], b[:sz])
	}
	if t.IsFloat() && r.Len() > 10 {
		for k, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			putFloat(a, 3*k+1, v)
		}
	}
	return a
}

func putFloat(a *chunk.Array, i int, v float64) {
	if a.DType == chunk.Float32 {
		chunk.Elems[float32](a)[i] = float32(v)
	} else {
		chunk.Elems[float64](a)[i] = v
	}
}

// writeGrid writes src through a writer as regions of the given chunk
// shape, in shuffled order from several goroutines.
func writeGrid(t testing.TB, spec formats.CreateSpec, src *chunk.Array, workers int) {
	t.Helper()
	w, err := formats.Create(spec)
	if err != nil {
		t.Fatal(err)
	}
	var regs []chunk.Region
	for r := 0; r < spec.Shape.Rows; r += spec.Chunk.Rows {
		for c := 0; c < spec.Shape.Cols; c += spec.Chunk.Cols {
			regs = append(regs, chunk.Rect(r, c, min(r+spec.Chunk.Rows, spec.Shape.Rows), min(c+spec.Chunk.Cols, spec.Shape.Cols)))
		}
	}
	rand.New(rand.NewPCG(3, 3)).Shuffle(len(regs), func(i, j int) { regs[i], regs[j] = regs[j], regs[i] })
	ch := make(chan chunk.Region)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for reg := range ch {
				// A private copy, as a pipeline would hand over.
				a := chunk.NewArray(src.DType, reg)
				a.CopyFrom(src)
				if err := w.WriteRegion(context.Background(), a); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for _, reg := range regs {
		ch <- reg
	}
	close(ch)
	wg.Wait()
	close(errs)
	for err := range errs {
		w.Abort()
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestWriterRoundTrip(t *testing.T) {
	dir := t.TempDir()
	shape := chunk.Shape{Rows: 70, Cols: 53}
	for _, dt := range allDTypes {
		for _, comp := range []string{"deflate", "zstd", "none"} {
			for _, pred := range []string{"", "none"} {
				for _, ck := range []chunk.Shape{{Rows: 32, Cols: 16}, {Rows: 10, Cols: 7}, {Rows: 70, Cols: 53}} {
					name := fmt.Sprintf("%v_%s_pred%s_chunk%v", dt, comp, pred, ck)
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						src := randomArray(dt, shape.Bounds(), uint64(dt))
						path := filepath.Join(dir, name+".tif")
						spec := formats.CreateSpec{Path: path, Shape: shape, DType: dt, Chunk: ck, Factor: 1,
							Options: map[string]string{"compress": comp, "predictor": pred}}
						writeGrid(t, spec, src, 3)
						r, err := formats.Open(path, formats.OpenOptions{})
						if err != nil {
							t.Fatal(err)
						}
						defer r.Close()
						info := r.Info()
						wantTile := chunk.Shape{Rows: 256, Cols: 256}
						if ck.Rows%16 == 0 && ck.Cols%16 == 0 {
							wantTile = ck
						}
						if info.Storage != wantTile || info.DType != dt || info.Shape != shape {
							t.Fatalf("info %+v", info)
						}
						if err := sameArrays(readAll(t, r), src); err != nil {
							t.Fatal(err)
						}
					})
				}
			}
		}
	}
}

func TestWriterMetadata(t *testing.T) {
	dir := t.TempDir()
	src, err := geotiff.OpenFile(filepath.Join(fixtureDir, "i32_none_strips.tif"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	sinfo := src.Info()
	for _, tc := range []struct {
		name   string
		dtype  chunk.DType
		fill   any
		factor int
	}{
		{"nan_fill_factor2", chunk.Float32, math.NaN(), 2},
		{"int_fill", chunk.Int16, int64(-9999), 1},
		{"float_fill_factor3", chunk.Float64, -1.5, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".tif")
			shape := chunk.Shape{Rows: 20, Cols: 30}
			spec := formats.CreateSpec{Path: path, Shape: shape, DType: tc.dtype, Chunk: shape, Source: &sinfo, Factor: tc.factor,
				Attrs:  formats.Attrs{{Name: "_FillValue", Value: tc.fill}, {Name: "scale_factor", Value: 0.5}, {Name: "add_offset", Value: 2.0}, {Name: "units", Value: "K"}},
				Global: formats.Attrs{{Name: "history", Value: "made by a test"}}}
			writeGrid(t, spec, randomArray(tc.dtype, shape.Bounds(), 1), 1)
			r, err := geotiff.OpenFile(path, "")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			info := r.Info()
			fv, _ := info.Attrs.Float("_FillValue")
			want, _ := formats.ToFloats(tc.fill)
			if !(fv == want || math.IsNaN(fv) && math.IsNaN(want)) {
				t.Errorf("_FillValue %v, want %v", fv, want)
			}
			if v, _ := info.Attrs.Float("scale_factor"); v != 0.5 {
				t.Errorf("scale_factor %v", v)
			}
			if v, _ := info.Attrs.Float("add_offset"); v != 2 {
				t.Errorf("add_offset %v", v)
			}
			if v, _ := info.Attrs.String("units"); v != "K" {
				t.Errorf("units %q", v)
			}
			if v, _ := info.Global.String("history"); v != "made by a test" {
				t.Errorf("history %q", v)
			}
			g := info.Geo.(*geotiff.Georef)
			sg := sinfo.Geo.(*geotiff.Georef)
			if g.PixelScale[0] != 30*float64(tc.factor) || g.PixelScale[1] != 30*float64(tc.factor) {
				t.Errorf("pixel scale %v for factor %d", g.PixelScale, tc.factor)
			}
			if fmt.Sprint(g.Tiepoints) != fmt.Sprint(sg.Tiepoints) || fmt.Sprint(g.GeoKeys) != fmt.Sprint(sg.GeoKeys) {
				t.Errorf("tiepoints/geokeys not carried over: %v %v", g.Tiepoints, g.GeoKeys)
			}
			if code, _ := g.EPSG(); code != 32633 {
				t.Errorf("EPSG %d", code)
			}
		})
	}
}

func TestWriterPartialTiles(t *testing.T) {
	// Tiles of 32x32 over chunks of 20x12: each tile is assembled from up to
	// nine regions; some tiles are never written at all.
	dir := t.TempDir()
	shape := chunk.Shape{Rows: 75, Cols: 70}
	src := randomArray(chunk.Uint16, shape.Bounds(), 9)
	path := filepath.Join(dir, "p.tif")
	spec := formats.CreateSpec{Path: path, Shape: shape, DType: chunk.Uint16, Chunk: chunk.Shape{Rows: 20, Cols: 12},
		Options: map[string]string{"tile": "32"}}
	writeGrid(t, spec, src, 4)
	r, err := geotiff.OpenFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Info().Storage != (chunk.Shape{Rows: 32, Cols: 32}) {
		t.Fatalf("storage %v", r.Info().Storage)
	}
	if err := sameArrays(readAll(t, r), src); err != nil {
		t.Fatal(err)
	}
	r.Close()

	// Only the top-left region written: the rest reads as the fill value.
	path2 := filepath.Join(dir, "sparse.tif")
	w, err := geotiff.NewWriter(formats.CreateSpec{Path: path2, Shape: shape, DType: chunk.Float32, Chunk: shape,
		Attrs: formats.Attrs{{Name: "_FillValue", Value: -7.0}}, Options: map[string]string{"tile": "32"}})
	if err != nil {
		t.Fatal(err)
	}
	part := randomArray(chunk.Float32, chunk.Rect(0, 0, 40, 40), 2)
	if err := w.WriteRegion(context.Background(), part); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRegion(context.Background(), part.Sub(chunk.Rect(0, 0, 32, 32))); err == nil {
		t.Error("rewriting a complete tile gave no error")
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	r2, err := geotiff.OpenFile(path2, "")
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	got := readAll(t, r2)
	if err := sameArrays(got.Sub(part.Rect), part); err != nil {
		t.Error(err)
	}
	if v := chunk.Elems[float32](got)[got.Offset(74, 69)]; v != -7 {
		t.Errorf("unwritten pixel %v, want -7", v)
	}
	if v := chunk.Elems[float32](got)[got.Offset(39, 41)]; v != 0 {
		t.Errorf("unwritten pixel of a partial tile %v, want 0", v)
	}
}

func TestWriterErrors(t *testing.T) {
	dir := t.TempDir()
	base := formats.CreateSpec{Path: filepath.Join(dir, "e.tif"), Shape: chunk.Shape{Rows: 10, Cols: 10}, DType: chunk.Uint8}
	for _, tc := range []struct {
		name string
		edit func(*formats.CreateSpec)
	}{
		{"empty shape", func(s *formats.CreateSpec) { s.Shape = chunk.Shape{} }},
		{"bad dtype", func(s *formats.CreateSpec) { s.DType = chunk.Invalid }},
		{"bad compress", func(s *formats.CreateSpec) { s.Options = map[string]string{"compress": "jpeg"} }},
		{"bad level", func(s *formats.CreateSpec) { s.Options = map[string]string{"level": "12"} }},
		{"pred3 on ints", func(s *formats.CreateSpec) { s.Options = map[string]string{"predictor": "3"} }},
		{"bad tile", func(s *formats.CreateSpec) { s.Options = map[string]string{"tile": "20"} }},
		{"unknown option", func(s *formats.CreateSpec) { s.Options = map[string]string{"colour": "red"} }},
	} {
		spec := base
		tc.edit(&spec)
		if _, err := geotiff.NewWriter(spec); err == nil || !strings.HasPrefix(err.Error(), "geotiff: ") {
			t.Errorf("%s: error %v", tc.name, err)
		}
	}
	w, err := geotiff.NewWriter(base)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := w.WriteRegion(ctx, chunk.NewArray(chunk.Uint8, chunk.Rect(5, 5, 11, 11))); err == nil {
		t.Error("region outside the output accepted")
	}
	if err := w.WriteRegion(ctx, chunk.NewArray(chunk.Int8, chunk.Rect(0, 0, 5, 5))); err == nil {
		t.Error("wrong dtype accepted")
	}
	w.Abort()
	w.Abort()
	if _, err := os.Stat(base.Path); !os.IsNotExist(err) {
		t.Errorf("aborted output exists: %v", err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".e.tif*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

func TestWriterBigTIFF(t *testing.T) {
	dir := t.TempDir()
	shape := chunk.Shape{Rows: 40, Cols: 40}
	src := randomArray(chunk.Float64, shape.Bounds(), 4)
	for _, cog := range []string{"false", "true"} {
		path := filepath.Join(dir, "big"+cog+".tif")
		writeGrid(t, formats.CreateSpec{Path: path, Shape: shape, DType: chunk.Float64, Chunk: chunk.Shape{Rows: 16, Cols: 16},
			Options: map[string]string{"bigtiff": "yes", "cog": cog}}, src, 2)
		head := make([]byte, 4)
		f, _ := os.Open(path)
		f.Read(head)
		f.Close()
		if string(head) != "II+\x00" {
			t.Errorf("cog=%s: header %q, want BigTIFF", cog, head)
		}
		r, err := geotiff.OpenFile(path, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := sameArrays(readAll(t, r), src); err != nil {
			t.Error(err)
		}
		r.Close()
	}
}
