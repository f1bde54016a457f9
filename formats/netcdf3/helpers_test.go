package netcdf3_test

import (
	"bytes"
	"context"
	"math"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

func mathFloat32(b uint32) float32 { return math.Float32frombits(b) }
func mathFloat64(b uint64) float64 { return math.Float64frombits(b) }

// readAll reads the whole variable of r in one region.
func readAll(t testing.TB, r formats.Reader) *chunk.Array {
	t.Helper()
	info := r.Info()
	a := chunk.NewArray(info.DType, info.Shape.Bounds())
	if err := r.ReadRegion(context.Background(), a.Rect, a); err != nil {
		t.Fatalf("ReadRegion %v: %v", a.Rect, err)
	}
	return a
}

// equalBits compares arrays bit for bit (so NaN payloads and -0 count),
// reporting the first differing element.
func equalBits(t testing.TB, what string, got, want []byte, sz int) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d bytes, want %d", what, len(got), len(want))
	}
	if !bytes.Equal(got, want) {
		for i := 0; i < len(got); i += sz {
			if !bytes.Equal(got[i:i+sz], want[i:i+sz]) {
				t.Fatalf("%s: element %d is % x, want % x", what, i/sz, got[i:i+sz], want[i:i+sz])
			}
		}
	}
}

func sh(rows, cols int) chunk.Shape { return chunk.Shape{Rows: rows, Cols: cols} }

func at(name string, v any) formats.Attr { return formats.Attr{Name: name, Value: v} }
