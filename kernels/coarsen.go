package kernels

import (
	"fmt"

	"chunkpipe/chunk"
)

// MaxCoarsenFactor is the largest block edge coarsen accepts.
const MaxCoarsenFactor = 4096

// Coarsen is the NaN-ignoring N x N block mean with factor N:
//
//	out[I,J] = float32(S / C),  S = sum of the non-NaN x[N*I+a, N*J+b], 0 <= a,b < N,
//	                            C = their count
//	out[I,J] = NaN              if C == 0
//
// S is a float64 sum in fixed row-major order inside the block, so the
// result depends only on the block. Rows and columns beyond the last whole
// block are dropped (dask's trim_excess); [Chain] handles that geometry.
// Coarsen is safe for concurrent use.
type Coarsen struct {
	n    int
	name string
}

var _ Kernel = (*Coarsen)(nil)

// NewCoarsen returns the N x N block mean; 1 <= N <= [MaxCoarsenFactor].
func NewCoarsen(n int) (*Coarsen, error) {
	if n < 1 || n > MaxCoarsenFactor {
		return nil, fmt.Errorf("kernels: coarsen factor %d must be in [1, %d]", n, MaxCoarsenFactor)
	}
	return &Coarsen{n: n, name: fmt.Sprintf("coarsen:%d", n)}, nil
}

// Name returns "coarsen:N".
func (k *Coarsen) Name() string { return k.name }

// Halo returns 0.
func (k *Coarsen) Halo() int { return 0 }

// Factor returns N.
func (k *Coarsen) Factor() int { return k.n }

// Boundary returns the zero Boundary (unused: no halo).
func (k *Coarsen) Boundary() chunk.Boundary { return chunk.Boundary{} }

// Apply averages the blocks of src (covering dst.Rect scaled by N) into dst.
func (k *Coarsen) Apply(dst, src *chunk.Array, p Pacer) error { return k.apply(dst, src, p, nil) }

func (k *Coarsen) apply(dst, src *chunk.Array, p Pacer, _ *Scratch) error {
	d, sv, err := float32Views(k.name, dst, src, k.n, 0)
	if err != nil {
		return err
	}
	n := k.n
	cols := dst.Rect.Cols()
	for i := dst.Rect.Row0; i < dst.Rect.Row1; i++ {
		out := row(d, dst, i, dst.Rect.Col0, cols)
		for jj := range out {
			c0 := (dst.Rect.Col0 + jj) * n
			var s float64
			var c int
			for r := i * n; r < (i+1)*n; r++ {
				for _, x := range row(sv, src, r, c0, n) {
					if x == x {
						s += float64(x)
						c++
					}
				}
			}
			out[jj] = mean32(s, c)
		}
		p.Pace()
	}
	return nil
}
