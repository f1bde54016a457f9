package flat

import (
	"bytes"
	"testing"

	"chunkpipe/chunk"
)

// ViewRegion gives the elements ReadRegionMapped copies, for every region
// of a small array, and declines what a view cannot stand for.
func TestViewRegion(t *testing.T) {
	l := Layout{Offset: 64, Shape: chunk.Shape{Rows: 7, Cols: 9}, DType: chunk.Int16}
	m := make([]byte, l.Offset+l.Size())
	for i := range m {
		m[i] = byte(i * 7)
	}
	for r0 := 0; r0 < 7; r0++ {
		for r1 := r0 + 1; r1 <= 7; r1++ {
			for c0 := 0; c0 < 9; c0++ {
				for c1 := c0 + 1; c1 <= 9; c1++ {
					reg := chunk.Rect(r0, c0, r1, c1)
					var v chunk.Array
					if !ViewRegion(m, l, reg, &v) {
						t.Fatalf("no view of %v", reg)
					}
					want := chunk.NewArray(chunk.Int16, reg)
					if err := ReadRegionMapped(m, l, reg, want); err != nil {
						t.Fatal(err)
					}
					got := chunk.NewArray(chunk.Int16, reg)
					got.CopyFrom(&v)
					if !bytes.Equal(got.Data, want.Data) {
						t.Fatalf("view of %v differs from the copy", reg)
					}
				}
			}
		}
	}
	all := l.Shape.Bounds()
	for name, c := range map[string]struct {
		m   []byte
		l   Layout
		reg chunk.Region
	}{
		"no mapping":    {nil, l, all},
		"big-endian":    {m, Layout{Offset: 64, Shape: l.Shape, DType: chunk.Int16, BigEndian: true}, all},
		"Fortran order": {m, Layout{Offset: 64, Shape: l.Shape, DType: chunk.Int16, Fortran: true}, all},
		"outside":       {m, l, chunk.Rect(0, 0, 8, 9)},
		"empty":         {m, l, chunk.Rect(2, 2, 2, 5)},
		"short mapping": {m[:len(m)-1], l, all},
		"misaligned":    {m, Layout{Offset: 63, Shape: l.Shape, DType: chunk.Int16}, all},
	} {
		var v chunk.Array
		if ViewRegion(c.m, c.l, c.reg, &v) {
			t.Errorf("%s: got a view", name)
		}
	}
}
