package quicklook_test

import (
	"context"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// smoothField returns a row-major synthetic brightness-temperature-like
// field: smooth waves between about 200 and 300.
func smoothField(s chunk.Shape) []float64 {
	v := make([]float64, s.Len())
	for r := range s.Rows {
		for c := range s.Cols {
			y, x := float64(r)/float64(s.Rows), float64(c)/float64(s.Cols)
			v[r*s.Cols+c] = 250 + 30*math.Sin(6*x+2*y) + 20*math.Cos(9*y-3*x*x)
		}
	}
	return v
}

// randomField returns seeded random values in [-1e3, 1e3) with a fraction
// nanFrac of NaNs.
func randomField(s chunk.Shape, seed uint64, nanFrac float64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	v := make([]float64, s.Len())
	for i := range v {
		if rng.Float64() < nanFrac {
			v[i] = math.NaN()
			continue
		}
		v[i] = float64(float32(rng.Float64()*2e3 - 1e3))
	}
	return v
}

// toArray copies region r of the row-major field vals (of shape s) into a
// new array of type t.
func toArray(vals []float64, s chunk.Shape, r chunk.Region, t chunk.DType) *chunk.Array {
	a := chunk.NewArray(t, r)
	for row := r.Row0; row < r.Row1; row++ {
		for col := r.Col0; col < r.Col1; col++ {
			v := vals[row*s.Cols+col]
			i := a.Offset(row, col)
			switch t {
			case chunk.Float32:
				chunk.Elems[float32](a)[i] = float32(v)
			case chunk.Float64:
				chunk.Elems[float64](a)[i] = v
			case chunk.Int16:
				chunk.Elems[int16](a)[i] = int16(v)
			case chunk.Uint16:
				chunk.Elems[uint16](a)[i] = uint16(v)
			case chunk.Uint8:
				chunk.Elems[uint8](a)[i] = uint8(v)
			default:
				panic("toArray: unsupported type " + t.String())
			}
		}
	}
	return a
}

// regions tiles s with rh x rw regions (ragged at the edges) and shuffles
// them with seed.
func regions(s chunk.Shape, rh, rw int, seed uint64) []chunk.Region {
	var out []chunk.Region
	for r := 0; r < s.Rows; r += rh {
		for c := 0; c < s.Cols; c += rw {
			out = append(out, chunk.Rect(r, c, min(r+rh, s.Rows), min(c+rw, s.Cols)))
		}
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// feed writes the regions of vals to write from workers goroutines.
func feed(t testing.TB, write func(context.Context, *chunk.Array) error, vals []float64, s chunk.Shape, rs []chunk.Region, dt chunk.DType, workers int) {
	t.Helper()
	ch := make(chan chunk.Region)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range ch {
				if err := write(context.Background(), toArray(vals, s, r, dt)); err != nil && errs[w] == nil {
					errs[w] = err
				}
			}
		}()
	}
	for _, r := range rs {
		ch <- r
	}
	close(ch)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// refMeans is the oracle downsampler: for each output pixel, the plain
// mean of the finite values of its block, visited naively.
func refMeans(vals []float64, s chunk.Shape, f int) ([]float64, chunk.Shape) {
	out := chunk.Shape{Rows: (s.Rows + f - 1) / f, Cols: (s.Cols + f - 1) / f}
	m := make([]float64, out.Len())
	for i := range out.Rows {
		for j := range out.Cols {
			sum, n := 0.0, 0
			for r := i * f; r < min((i+1)*f, s.Rows); r++ {
				for c := j * f; c < min((j+1)*f, s.Cols); c++ {
					if v := vals[r*s.Cols+c]; !math.IsNaN(v) && !math.IsInf(v, 0) {
						sum += v
						n++
					}
				}
			}
			m[i*out.Cols+j] = math.NaN()
			if n > 0 {
				m[i*out.Cols+j] = sum / float64(n)
			}
		}
	}
	return m, out
}

// spec returns a CreateSpec for a PNG in a fresh temporary directory.
func spec(t testing.TB, s chunk.Shape, opts map[string]string) formats.CreateSpec {
	t.Helper()
	return formats.CreateSpec{Path: filepath.Join(t.TempDir(), "q.png"), Shape: s, DType: chunk.Float32, Options: opts}
}

// decode reads and decodes the PNG at path.
func decode(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return img
}

// dirEntries lists the names in dir.
func dirEntries(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
