package quicklook_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/quicklook"
)

var sampleDir = flag.String("sample", "", "write sample quicklooks into this directory")

// writeQuicklook writes vals through a Writer in regions rs from 4
// goroutines and commits.
func writeQuicklook(t *testing.T, sp formats.CreateSpec, vals []float64, rs []chunk.Region, dt chunk.DType) *quicklook.Writer {
	t.Helper()
	w, err := quicklook.Create(sp)
	if err != nil {
		t.Fatal(err)
	}
	feed(t, w.WriteRegion, vals, sp.Shape, rs, dt, 4)
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	return w
}

// expected renders the oracle picture: naive means, limits resolved on
// them, and the named colormap.
func expected(t *testing.T, vals []float64, s chunk.Shape, o quicklook.Options, cmap string) image.Image {
	t.Helper()
	f := quicklook.Factor(s, o.MaxSize)
	means, out := refMeans(vals, s, f)
	lo, hi, _ := o.Limits.Resolve(means)
	cm, ok := quicklook.ColormapByName(cmap)
	if !ok {
		t.Fatalf("no colormap %s", cmap)
	}
	return quicklook.Render(means, out, quicklook.Stretch{Lo: lo, Hi: hi, Gamma: o.Gamma}, cm)
}

// sameImage reports the first pixel where a and b differ, comparing
// non-premultiplied RGBA.
func sameImage(t *testing.T, got, want image.Image) {
	t.Helper()
	if got.Bounds() != want.Bounds() {
		t.Fatalf("bounds %v, want %v", got.Bounds(), want.Bounds())
	}
	b := got.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g := color.NRGBAModel.Convert(got.At(x, y)).(color.NRGBA)
			w := color.NRGBAModel.Convert(want.At(x, y)).(color.NRGBA)
			if g.A == 0 && w.A == 0 {
				continue
			}
			if g != w {
				t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, g, w)
			}
		}
	}
}

func TestWriterMatchesOracle(t *testing.T) {
	t.Parallel()
	kelvin := formats.Attrs{}.Set("units", "K")
	tests := []struct {
		name    string
		shape   chunk.Shape
		opts    map[string]string
		attrs   formats.Attrs
		rh, rw  int
		dt      chunk.DType
		nanFrac float64
		cmap    string // the colormap the oracle uses
		gray    bool   // expect an 8-bit grey PNG
	}{
		{"default gray", chunk.Shape{Rows: 300, Cols: 200}, map[string]string{"max-size": "64"}, nil, 37, 50, chunk.Float32, 0, "gray", true},
		{"NaN holes", chunk.Shape{Rows: 300, Cols: 200}, map[string]string{"max-size": "64"}, nil, 64, 64, chunk.Float32, 0.97, "gray", false},
		{"minmax gamma", chunk.Shape{Rows: 90, Cols: 120}, map[string]string{"max-size": "50", "stretch": "minmax", "gamma": "2.2"}, nil, 30, 30, chunk.Float64, 0.01, "gray", true},
		{"inverted range viridis", chunk.Shape{Rows: 64, Cols: 64}, map[string]string{"range": "300:200", "colormap": "viridis"}, nil, 8, 64, chunk.Float32, 0, "viridis", false},
		{"auto kelvin", chunk.Shape{Rows: 128, Cols: 96}, map[string]string{"colormap": "auto", "max-size": "40"}, kelvin, 19, 23, chunk.Float32, 0, quicklook.AutoColormap, false},
		{"auto not kelvin", chunk.Shape{Rows: 50, Cols: 40}, map[string]string{"colormap": "auto"}, nil, 7, 7, chunk.Float32, 0, "gray", true},
		{"int16 input", chunk.Shape{Rows: 80, Cols: 70}, map[string]string{"max-size": "30"}, nil, 20, 13, chunk.Int16, 0, "gray", true},
		{"no downsampling", chunk.Shape{Rows: 17, Cols: 23}, nil, nil, 4, 5, chunk.Float32, 0.1, "gray", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vals := smoothField(tt.shape)
			rng := randomField(tt.shape, 5, tt.nanFrac)
			for i, v := range rng {
				if math.IsNaN(v) {
					vals[i] = v
				}
				if tt.dt == chunk.Int16 && !math.IsNaN(vals[i]) {
					vals[i] = math.Trunc(vals[i])
				}
			}
			sp := spec(t, tt.shape, tt.opts)
			sp.Attrs = tt.attrs
			w := writeQuicklook(t, sp, vals, regions(tt.shape, tt.rh, tt.rw, 1), tt.dt)
			got := decode(t, sp.Path)
			o, _ := quicklook.ParseOptions(tt.opts)
			if b := got.Bounds(); max(b.Dx(), b.Dy()) > o.MaxSize {
				t.Errorf("picture %v exceeds max-size %d", b, o.MaxSize)
			}
			if out := w.OutShape(); got.Bounds() != image.Rect(0, 0, out.Cols, out.Rows) {
				t.Errorf("picture %v, OutShape %v", got.Bounds(), out)
			}
			if _, isGray := got.(*image.Gray); isGray != tt.gray {
				t.Errorf("decoded %T, want gray %v", got, tt.gray)
			}
			if w.Colormap().Name() != tt.cmap {
				t.Errorf("colormap %s, want %s", w.Colormap().Name(), tt.cmap)
			}
			sameImage(t, got, expected(t, vals, tt.shape, o, tt.cmap))
			if names := dirEntries(t, filepath.Dir(sp.Path)); len(names) != 1 {
				t.Errorf("directory holds %v, want only q.png", names)
			}
		})
	}
}

// TestWriterOrderInvariance checks that region layout and arrival order do
// not change the PNG, byte for byte.
func TestWriterOrderInvariance(t *testing.T) {
	t.Parallel()
	s := chunk.Shape{Rows: 250, Cols: 333}
	vals := randomField(s, 11, 0.05)
	opts := map[string]string{"max-size": "70", "colormap": "magma"} // f = 5
	var first []byte
	for i, layout := range []struct{ rh, rw int }{{250, 333}, {50, 35}, {7, 11}, {64, 64}, {1, 333}, {250, 1}} {
		for seed := range uint64(2) {
			sp := spec(t, s, opts)
			writeQuicklook(t, sp, vals, regions(s, layout.rh, layout.rw, seed), chunk.Float32)
			b, err := os.ReadFile(sp.Path)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 && seed == 0 {
				first = b
				continue
			}
			if !bytes.Equal(b, first) {
				t.Fatalf("layout %dx%d seed %d: PNG differs from the whole-array one", layout.rh, layout.rw, seed)
			}
		}
	}
}

func TestWriterSpecialInputs(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	fill := func(s chunk.Shape, v float64) []float64 {
		out := make([]float64, s.Len())
		for i := range out {
			out[i] = v
		}
		return out
	}
	tests := []struct {
		name  string
		shape chunk.Shape
		opts  map[string]string
		vals  func(chunk.Shape) []float64
		check func(t *testing.T, img image.Image)
	}{
		{"all NaN is transparent", chunk.Shape{Rows: 40, Cols: 30}, map[string]string{"max-size": "10"},
			func(s chunk.Shape) []float64 { return fill(s, nan) },
			func(t *testing.T, img image.Image) {
				wantBounds(t, img, 8, 10)
				eachPixel(t, img, func(x, y int, c color.NRGBA) bool { return c.A == 0 })
			}},
		{"constant is mid grey", chunk.Shape{Rows: 40, Cols: 30}, nil,
			func(s chunk.Shape) []float64 { return fill(s, 273.15) },
			func(t *testing.T, img image.Image) {
				if _, ok := img.(*image.Gray); !ok {
					t.Errorf("decoded %T, want *image.Gray", img)
				}
				eachPixel(t, img, func(x, y int, c color.NRGBA) bool { return c == color.NRGBA{128, 128, 128, 255} })
			}},
		{"1x1", chunk.Shape{Rows: 1, Cols: 1}, map[string]string{"range": "0:10"},
			func(s chunk.Shape) []float64 { return []float64{2.5} },
			func(t *testing.T, img image.Image) {
				wantBounds(t, img, 1, 1)
				eachPixel(t, img, func(x, y int, c color.NRGBA) bool { return c == color.NRGBA{64, 64, 64, 255} })
			}},
		{"huge factor to one pixel", chunk.Shape{Rows: 700, Cols: 1000}, map[string]string{"max-size": "1", "range": "0:4"},
			func(s chunk.Shape) []float64 {
				v := fill(s, 1)
				for i := 0; i < len(v); i += 2 {
					v[i] = 3 // mean 2 -> level 128
				}
				v[5] = nan          // drops a 1...
				v[6] = math.Inf(-1) // ...and a 3: the mean stays exactly 2
				return v
			},
			func(t *testing.T, img image.Image) {
				wantBounds(t, img, 1, 1)
				eachPixel(t, img, func(x, y int, c color.NRGBA) bool { return c == color.NRGBA{128, 128, 128, 255} })
			}},
		{"NaN block is transparent", chunk.Shape{Rows: 4, Cols: 4}, map[string]string{"max-size": "2", "range": "0:1"},
			func(s chunk.Shape) []float64 {
				v := fill(s, 1)
				v[0], v[1], v[4], v[5] = nan, nan, nan, nan // top-left block
				v[2] = nan                                  // top-right block keeps 3 values
				return v
			},
			func(t *testing.T, img image.Image) {
				wantBounds(t, img, 2, 2)
				eachPixel(t, img, func(x, y int, c color.NRGBA) bool {
					if x == 0 && y == 0 {
						return c.A == 0
					}
					return c == color.NRGBA{255, 255, 255, 255}
				})
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sp := spec(t, tt.shape, tt.opts)
			writeQuicklook(t, sp, tt.vals(tt.shape), regions(tt.shape, 3, 7, 0), chunk.Float64)
			tt.check(t, decode(t, sp.Path))
		})
	}
}

func wantBounds(t *testing.T, img image.Image, w, h int) {
	t.Helper()
	if got := img.Bounds(); got != image.Rect(0, 0, w, h) {
		t.Fatalf("bounds %v, want %dx%d", got, w, h)
	}
}

// eachPixel fails at the first pixel for which ok is false.
func eachPixel(t *testing.T, img image.Image, ok func(x, y int, c color.NRGBA) bool) {
	t.Helper()
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if !ok(x, y, c) {
				t.Fatalf("pixel (%d,%d) = %v", x, y, c)
			}
		}
	}
}

func TestWriterFillValue(t *testing.T) {
	t.Parallel()
	s := chunk.Shape{Rows: 2, Cols: 3}
	vals := []float64{1023, 0, 100, 50, 1023, 1023}
	for _, dt := range []chunk.DType{chunk.Int16, chunk.Float32} {
		t.Run(dt.String(), func(t *testing.T) {
			sp := spec(t, s, map[string]string{"range": "0:100"})
			sp.Attrs = formats.Attrs{}.Set("_FillValue", int64(1023))
			writeQuicklook(t, sp, vals, regions(s, 1, 2, 0), dt)
			img := decode(t, sp.Path)
			want := []uint8{0, 0, 255, 128, 0, 0} // grey levels
			wantA := []uint8{0, 255, 255, 255, 0, 0}
			eachPixel(t, img, func(x, y int, c color.NRGBA) bool {
				k := y*s.Cols + x
				return c.A == wantA[k] && (c.A == 0 || c.R == want[k])
			})
		})
	}
}

func TestWriterLifecycle(t *testing.T) {
	t.Parallel()
	s := chunk.Shape{Rows: 8, Cols: 8}
	a := toArray(smoothField(s), s, s.Bounds(), chunk.Float32)
	ctx := context.Background()

	t.Run("abort leaves no file", func(t *testing.T) {
		sp := spec(t, s, nil)
		w, err := quicklook.Create(sp)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteRegion(ctx, a); err != nil {
			t.Fatal(err)
		}
		if names := dirEntries(t, filepath.Dir(sp.Path)); len(names) != 1 {
			t.Fatalf("while writing the directory holds %v, want one temporary file", names)
		}
		if err := w.Abort(); err != nil {
			t.Fatal(err)
		}
		if err := w.Abort(); err != nil {
			t.Fatalf("second Abort: %v", err)
		}
		if names := dirEntries(t, filepath.Dir(sp.Path)); len(names) != 0 {
			t.Fatalf("after Abort the directory holds %v", names)
		}
		if err := w.WriteRegion(ctx, a); err == nil {
			t.Error("WriteRegion after Abort succeeded")
		}
		if err := w.Commit(); err == nil {
			t.Error("Commit after Abort succeeded")
		}
		if names := dirEntries(t, filepath.Dir(sp.Path)); len(names) != 0 {
			t.Fatalf("after Commit-after-Abort the directory holds %v", names)
		}
	})
	t.Run("commit then abort keeps the file", func(t *testing.T) {
		sp := spec(t, s, nil)
		w, _ := quicklook.Create(sp)
		w.WriteRegion(ctx, a)
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(); err == nil {
			t.Error("second Commit succeeded")
		}
		if err := w.WriteRegion(ctx, a); err == nil {
			t.Error("WriteRegion after Commit succeeded")
		}
		w.Abort()
		decode(t, sp.Path)
	})
	t.Run("target appears while writing", func(t *testing.T) {
		sp := spec(t, s, nil)
		w, _ := quicklook.Create(sp)
		os.WriteFile(sp.Path, []byte("x"), 0o644)
		if err := w.Commit(); err == nil {
			t.Fatal("Commit over a file that appeared succeeded")
		}
		if names := dirEntries(t, filepath.Dir(sp.Path)); len(names) != 1 {
			t.Fatalf("directory holds %v, want only the other file", names)
		}
	})
	t.Run("bad regions", func(t *testing.T) {
		sp := spec(t, s, nil)
		w, _ := quicklook.Create(sp)
		defer w.Abort()
		checkErr(t, w.WriteRegion(ctx, chunk.NewArray(chunk.Float32, chunk.Rect(4, 4, 9, 8))), "outside")
		checkErr(t, w.WriteRegion(ctx, &chunk.Array{Rect: chunk.Rect(0, 0, 1, 1), Stride: 1}), "invalid")
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := w.WriteRegion(cctx, a); !errors.Is(err, context.Canceled) {
			t.Errorf("WriteRegion with a cancelled context = %v", err)
		}
	})
}

func TestCreateErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sp   func(dir string) formats.CreateSpec
		want string
	}{
		{"empty shape", func(dir string) formats.CreateSpec {
			return formats.CreateSpec{Path: filepath.Join(dir, "q.png")}
		}, "empty"},
		{"bad option", func(dir string) formats.CreateSpec {
			return formats.CreateSpec{Path: filepath.Join(dir, "q.png"), Shape: chunk.Shape{Rows: 1, Cols: 1}, Options: map[string]string{"gamma": "x"}}
		}, "gamma"},
		{"missing directory", func(dir string) formats.CreateSpec {
			return formats.CreateSpec{Path: filepath.Join(dir, "no", "q.png"), Shape: chunk.Shape{Rows: 1, Cols: 1}}
		}, "create"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := quicklook.Create(tt.sp(dir))
			checkErr(t, err, tt.want)
			if names := dirEntries(t, dir); len(names) != 0 {
				t.Errorf("failed Create left %v", names)
			}
		})
	}
	if _, err := quicklook.NewWriter(formats.CreateSpec{Path: "x.png", Shape: chunk.Shape{Rows: 1, Cols: 1}},
		quicklook.Options{Limits: quicklook.Limits{Kind: quicklook.ByPercentile, Low: 50, High: 10}}); err == nil {
		t.Error("NewWriter accepted percentiles 50:10")
	}
}

func TestRegistered(t *testing.T) {
	t.Parallel()
	f, err := formats.ForOutput("/tmp/Q.PNG")
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "png" || f.Open != nil || f.Create == nil {
		t.Errorf("registered %+v, want write-only png", f)
	}
	s := chunk.Shape{Rows: 5, Cols: 5}
	sp := spec(t, s, nil)
	w, err := formats.Create(sp)
	if err != nil {
		t.Fatal(err)
	}
	feed(t, w.WriteRegion, smoothField(s), s, regions(s, 2, 2, 0), chunk.Float32, 2)
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	wantBounds(t, decode(t, sp.Path), 5, 5)
	if _, err := formats.Create(sp); err == nil {
		t.Error("formats.Create over an existing PNG without Overwrite succeeded")
	}
	sp.Overwrite = true
	w, err = formats.Create(sp)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatalf("overwrite: %v", err)
	}
	eachPixel(t, decode(t, sp.Path), func(x, y int, c color.NRGBA) bool { return c.A == 0 })
}

// TestSample writes a quicklook of a smooth synthetic field, with a NaN
// disc, in grey and inferno; run with -sample DIR to keep them.
func TestSample(t *testing.T) {
	t.Parallel()
	s := chunk.Shape{Rows: 1500, Cols: 2000}
	vals := smoothField(s)
	for r := range s.Rows {
		for c := range s.Cols {
			if dr, dc := float64(r-1100), float64(c-1500); dr*dr+dc*dc < 200*200 {
				vals[r*s.Cols+c] = math.NaN()
			}
		}
	}
	dir := *sampleDir
	if dir == "" {
		dir = t.TempDir()
	}
	for _, cm := range []string{"gray", "inferno", "viridis"} {
		sp := formats.CreateSpec{Path: filepath.Join(dir, "sample-"+cm+".png"), Shape: s, DType: chunk.Float32,
			Options: map[string]string{"max-size": "512", "colormap": cm}, Overwrite: true}
		w := writeQuicklook(t, sp, vals, regions(s, 512, 512, 0), chunk.Float32)
		img := decode(t, sp.Path)
		wantBounds(t, img, 500, 375)
		if st := w.Stretch(); !(st.Lo > 200 && st.Hi < 300 && st.Lo < st.Hi) {
			t.Errorf("stretch %+v outside the field's range", st)
		}
		if c := color.NRGBAModel.Convert(img.At(375, 275)).(color.NRGBA); c.A != 0 {
			t.Errorf("%s: centre of the NaN disc = %v, want transparent", cm, c)
		}
	}
}
