package kernels

import "chunkpipe/chunk"

// window is the geometry shared by the N x N neighbourhood kernels (blur
// and median): the window size, the boundary mode that makes up elements
// beyond the array's edge, and the name as typed.
type window struct {
	n     int
	bound chunk.Boundary
	name  string
}

// Name returns the kernel as typed, e.g. "blur:5" or "median:3:nearest".
func (w window) Name() string { return w.name }

// Halo returns N/2.
func (w window) Halo() int { return w.n / 2 }

// Factor returns 1.
func (w window) Factor() int { return 1 }

// Boundary returns the boundary mode.
func (w window) Boundary() chunk.Boundary { return w.bound }
