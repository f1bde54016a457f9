package zarr

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"chunkpipe/chunk"
)

// readAll reads the whole array of r.
func readAll(t testing.TB, r *Reader) *chunk.Array {
	t.Helper()
	info := r.Info()
	a := chunk.NewArray(info.DType, info.Shape.Bounds())
	if err := r.ReadRegion(context.Background(), a.Rect, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// subBytes returns the C-order bytes of region reg of a tightly strided
// array with the given width.
func subBytes(data []byte, width, size int, reg chunk.Region) []byte {
	var out []byte
	for row := reg.Row0; row < reg.Row1; row++ {
		o := (row*width + reg.Col0) * size
		out = append(out, data[o:o+reg.Cols()*size]...)
	}
	return out
}

// arrayBytes returns the C-order bytes of a's elements.
func arrayBytes(a *chunk.Array) []byte {
	var out []byte
	for row := a.Rect.Row0; row < a.Rect.Row1; row++ {
		out = append(out, a.RowBytes(row)...)
	}
	return out
}

// diff describes the first element where got and want differ, "" if none.
func diff(got, want []byte, size, width int) string {
	if bytes.Equal(got, want) {
		return ""
	}
	if len(got) != len(want) {
		return fmt.Sprintf("got %d bytes, want %d", len(got), len(want))
	}
	for i := 0; i < len(got); i += size {
		if !bytes.Equal(got[i:i+size], want[i:i+size]) {
			e := i / size
			return fmt.Sprintf("element (%d,%d): got % x, want % x", e/width, e%width, got[i:i+size], want[i:i+size])
		}
	}
	return "differ"
}

// randomArray returns seeded data of type t over r, including NaN, ±Inf
// and the extremes of integer types.
func randomArray(t chunk.DType, r chunk.Region, seed uint64) *chunk.Array {
	a := chunk.NewArray(t, r)
	rng := rand.New(rand.NewPCG(seed, 1))
	switch t {
	case chunk.Float32:
		f := chunk.Elems[float32](a)
		for i := range f {
			f[i] = float32(rng.NormFloat64() * 100)
		}
		special(f, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)))
	case chunk.Float64:
		f := chunk.Elems[float64](a)
		for i := range f {
			f[i] = rng.NormFloat64() * 1e6
		}
		special(f, math.NaN(), math.Inf(1), math.Inf(-1))
	default:
		for i := range a.Data {
			a.Data[i] = byte(rng.IntN(256))
		}
		// Runs of equal bytes give the compressors something to find.
		for i := 0; i+64 < len(a.Data); i += 512 {
			clear(a.Data[i : i+64])
		}
	}
	return a
}

func special[T float32 | float64](f []T, vals ...T) {
	for i, v := range vals {
		if i < len(f) {
			f[len(f)-1-i] = v
		}
	}
}
