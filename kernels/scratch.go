package kernels

import "chunkpipe/chunk"

// Scratch holds reusable buffers for one worker: the intermediate arrays
// of a [Chain] and the work space of stencil kernels. Reusing one Scratch
// per worker makes [Chain.Apply] and [Chain.Reduce] allocation-free once
// the buffers have grown to the largest chunk. A Scratch must not be used
// by two goroutines at once. The zero Scratch is ready to use.
type Scratch struct {
	bufs [3]chunk.Array // stage outputs (and the float32 cast of the input)
	ext  chunk.Array    // a stage input extended by its boundary mode
	res  chunk.Array    // the chain output that feeds a reducer

	f64    []float64 // blur column sums
	i32    []int32   // blur column counts
	i64    []int64   // packed fixed-point sums (blur columns, coarsen blocks)
	ints   []int     // blur's halo column map
	f32    []float32 // median window
	counts []uint32  // raw-value counts of a reduction by counting

	regs [3][]chunk.Region // a chain run's plan
}

// NewScratch returns an empty Scratch.
func NewScratch() *Scratch { return &Scratch{} }

// float64s returns a float64 buffer of length n, reusing s's storage.
func (s *Scratch) float64s(n int) []float64 {
	if cap(s.f64) < n {
		s.f64 = make([]float64, n)
	}
	return s.f64[:n]
}

// int32s returns an int32 buffer of length n, reusing s's storage.
func (s *Scratch) int32s(n int) []int32 {
	if cap(s.i32) < n {
		s.i32 = make([]int32, n)
	}
	return s.i32[:n]
}

// int64s returns an int64 buffer of length n, reusing s's storage.
func (s *Scratch) int64s(n int) []int64 {
	if cap(s.i64) < n {
		s.i64 = make([]int64, n)
	}
	return s.i64[:n]
}

// intSlice returns an int buffer of length n, reusing s's storage.
func (s *Scratch) intSlice(n int) []int {
	if cap(s.ints) < n {
		s.ints = make([]int, n)
	}
	return s.ints[:n]
}

// float32s returns a float32 buffer of length n, reusing s's storage.
func (s *Scratch) float32s(n int) []float32 {
	if cap(s.f32) < n {
		s.f32 = make([]float32, n)
	}
	return s.f32[:n]
}

// regions returns region slice slot (0..2) with length n, reusing storage.
func (s *Scratch) regions(slot, n int) []chunk.Region {
	if cap(s.regs[slot]) < n {
		s.regs[slot] = make([]chunk.Region, n)
	}
	r := s.regs[slot][:n]
	clear(r)
	return r
}
