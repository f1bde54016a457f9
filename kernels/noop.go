package kernels

import "chunkpipe/chunk"

// Noop copies its Float32 source to its destination unchanged; chains with
// it measure the pipeline's own overhead. It is safe for concurrent use.
type Noop struct{}

var _ Kernel = Noop{}

// Name returns "noop".
func (Noop) Name() string { return "noop" }

// Halo returns 0.
func (Noop) Halo() int { return 0 }

// Factor returns 1.
func (Noop) Factor() int { return 1 }

// Boundary returns the zero Boundary (unused: no halo).
func (Noop) Boundary() chunk.Boundary { return chunk.Boundary{} }

// Apply copies src into dst over dst.Rect.
func (n Noop) Apply(dst, src *chunk.Array, p Pacer) error { return n.apply(dst, src, p, nil) }

func (Noop) apply(dst, src *chunk.Array, p Pacer, _ *Scratch) error {
	d, s, err := float32Views("noop", dst, src, 1, 0)
	if err != nil {
		return err
	}
	if dst.Rect.Empty() {
		return nil
	}
	if &d[0] == &s[0] && dst.Rect == src.Rect && dst.Stride == src.Stride {
		return nil // in place
	}
	cols := dst.Rect.Cols()
	for r := dst.Rect.Row0; r < dst.Rect.Row1; r++ {
		copy(row(d, dst, r, dst.Rect.Col0, cols), row(s, src, r, dst.Rect.Col0, cols))
		p.Pace()
	}
	return nil
}
