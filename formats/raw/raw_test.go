package raw

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

func TestRawReadsInlineSpecBothOrders(t *testing.T) {
	dir := t.TempDir()
	le := []byte{1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0}
	be := []byte{0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6}
	os.WriteFile(filepath.Join(dir, "le.raw"), le, 0o644)
	os.WriteFile(filepath.Join(dir, "be.raw"), be, 0o644)
	for _, path := range []string{filepath.Join(dir, "le.raw") + ":int16:2x3", filepath.Join(dir, "be.raw") + ":int16:2x3:big"} {
		r, err := formats.Open(path, formats.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		dst := chunk.NewArray(chunk.Int16, chunk.Rect(0, 1, 2, 3))
		if err := r.ReadRegion(context.Background(), dst.Rect, dst); err != nil {
			t.Fatal(err)
		}
		if got := chunk.Elems[int16](dst); got[0] != 2 || got[1] != 3 || got[2] != 5 || got[3] != 6 {
			t.Errorf("%s: got %v", path, got)
		}
		r.Close()
	}
}

func TestRawSizeMismatch(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.raw")
	os.WriteFile(p, make([]byte, 10), 0o644)
	_, err := formats.Open(p+":int16:2x3", formats.OpenOptions{})
	if err == nil || !strings.Contains(err.Error(), "10 bytes") || !strings.Contains(err.Error(), p) {
		t.Fatalf("want a size error naming the file, got %v", err)
	}
	if _, err := Open(p, formats.OpenOptions{}); err == nil {
		t.Fatal("raw without a spec opened")
	}
}

func TestRawRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "o.raw")
	shape := chunk.Shape{Rows: 9, Cols: 11}
	w, err := formats.Create(formats.CreateSpec{Path: p, Shape: shape, DType: chunk.Float32})
	if err != nil {
		t.Fatal(err)
	}
	a := chunk.NewArray(chunk.Float32, shape.Bounds())
	for i := range a.Float32s() {
		a.Float32s()[i] = float32(i) * 0.5
	}
	w.WriteRegion(context.Background(), a.Sub(chunk.Rect(4, 0, 9, 11)))
	w.WriteRegion(context.Background(), a.Sub(chunk.Rect(0, 5, 4, 11)))
	w.WriteRegion(context.Background(), a.Sub(chunk.Rect(0, 0, 4, 5)))
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if string(b) != string(a.Data) {
		t.Fatal("raw round trip differs")
	}
}
