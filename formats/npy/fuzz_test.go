package npy

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// FuzzOpen writes arbitrary bytes to a .npy file and opens it with [Open],
// then reads the whole array and a strided interior region. Nothing may
// panic; open errors must name the file; an accepted array must fit in the
// file; every region of an accepted file must read without error; and for
// little-endian C-order files the whole-array read must return exactly the
// bytes after the header.
func FuzzOpen(f *testing.F) {
	for _, t := range []chunk.DType{chunk.Int8, chunk.Uint16, chunk.Int32, chunk.Float32, chunk.Float64, chunk.Uint64} {
		for _, s := range []chunk.Shape{{Rows: 1, Cols: 1}, {Rows: 3, Cols: 4}, {Rows: 7, Cols: 5}, {Rows: 0, Cols: 3}} {
			hdr := Encode(t, s.Rows, s.Cols)
			body := make([]byte, s.Len()*t.Size())
			for i := range body {
				body[i] = byte(i*7 + 3)
			}
			f.Add(append(hdr, body...))
		}
	}
	for _, dict := range []string{
		"{'descr': '>i2', 'fortran_order': True, 'shape': (3, 2), }",
		"{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 2, 3), }",
		"{'descr': '|u1', 'fortran_order': False, 'shape': (6,), }",
		"{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
		"{'descr': '<i4', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }",
	} {
		h := []byte(Magic + "\x01\x00")
		h = append(h, byte(len(dict)), byte(len(dict)>>8))
		f.Add(append(append(h, dict...), make([]byte, 48)...))
	}
	if b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "golden", "input.npy")); err == nil && len(b) < 1<<16 {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "f.npy")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Open(p, formats.OpenOptions{})
		if err != nil {
			if !strings.Contains(err.Error(), p) {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		defer r.Close()
		info := r.Info()
		h := r.(*Reader).Header()
		n := int64(info.Shape.Rows) * int64(info.Shape.Cols) * int64(info.DType.Size())
		if info.Shape.Rows < 0 || info.Shape.Cols < 0 || h.DataOffset+n > int64(len(b)) {
			t.Fatalf("accepted %v %v (offset %d) in a %d-byte file", info.Shape, info.DType, h.DataOffset, len(b))
		}
		whole := info.Shape.Bounds()
		a := chunk.NewArray(info.DType, whole)
		if err := r.ReadRegion(context.Background(), whole, a); err != nil {
			t.Fatalf("reading the whole %v array: %v", info.Shape, err)
		}
		if !h.BigEndian && !(h.Fortran && len(h.Shape) >= 2) && !bytes.Equal(a.Data[:n], b[h.DataOffset:h.DataOffset+n]) {
			t.Fatalf("whole-array read differs from the file's data bytes")
		}
		if info.Shape.Rows > 2 && info.Shape.Cols > 2 {
			inner := chunk.Rect(1, 1, info.Shape.Rows-1, info.Shape.Cols-1)
			big := chunk.NewArray(info.DType, chunk.Rect(0, 0, info.Shape.Rows, info.Shape.Cols))
			sub := big.Sub(inner)
			if err := r.ReadRegion(context.Background(), inner, sub); err != nil {
				t.Fatalf("reading strided region %v: %v", inner, err)
			}
			for row := inner.Row0; row < inner.Row1; row++ {
				if !bytes.Equal(sub.RowBytes(row), a.Sub(inner).RowBytes(row)) {
					t.Fatalf("strided read of row %d differs from the whole-array read", row)
				}
			}
		}
	})
}
