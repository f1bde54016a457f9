package bandmath

import (
	"fmt"

	"chunkpipe/chunk"
)

// replicate fills dst (Float32) from the f times coarser src: element
// (r, c) of dst is element (r/f, c/f) of src (nearest-neighbour
// upsampling; coordinates are non-negative). src must cover the blocks
// under dst.Rect.
func replicate(dst, src *chunk.Array, f int) error {
	if f < 1 {
		return fmt.Errorf("bandmath: replication factor %d < 1", f)
	}
	r := dst.Rect
	need := chunk.Region{Row0: r.Row0 / f, Col0: r.Col0 / f, Row1: (r.Row1 + f - 1) / f, Col1: (r.Col1 + f - 1) / f}
	if r.Empty() {
		return nil
	}
	if !src.Rect.Contains(need) {
		return fmt.Errorf("bandmath: replicate: source %v does not cover %v", src.Rect, need)
	}
	d, _, err := floats(dst, 1)
	if err != nil {
		return fmt.Errorf("bandmath: replicate: %w", err)
	}
	s, _, err := floats(src, 1)
	if err != nil {
		return fmt.Errorf("bandmath: replicate: %w", err)
	}
	cols := r.Cols()
	for row := r.Row0; row < r.Row1; row++ {
		do := dst.Offset(row, r.Col0)
		out := d[do : do+cols : do+cols]
		if row > r.Row0 && row/f == (row-1)/f {
			po := dst.Offset(row-1, r.Col0)
			copy(out, d[po:po+cols])
			continue
		}
		so := src.Offset(row/f, src.Rect.Col0)
		in := s[so : so+src.Rect.Cols()]
		for j := range out {
			out[j] = in[(r.Col0+j)/f-src.Rect.Col0]
		}
	}
	return nil
}
