package kernels

import "chunkpipe/chunk"

// Pacer is told about a kernel's progress through a chunk. Kernels call
// Pace after every row (or every few rows) of output: a point where the
// caller may let other work run before the kernel goes on (what it does
// there is the caller's business). Pace must be cheap: a kernel calls it
// often.
type Pacer interface {
	Pace()
}

// NoPace is a [Pacer] that does nothing (free-threaded execution).
var NoPace Pacer = noPace{}

type noPace struct{}

func (noPace) Pace() {}

// Kernel is per-chunk maths. A kernel knows nothing about grids, channels,
// workers or locks: it maps a source block to a destination block.
//
// Coordinates are global. With f = Factor() and h = Halo(), Apply reads
// src over dst.Rect.Scale(f).Grow(h): the caller has already made up the
// elements beyond the array's edge according to the kernel's boundary mode.
// dst is Float32; src is Float32, except for the first kernel of a chain
// when it implements [RawInput].
type Kernel interface {
	// Name returns the kernel as typed, with parameters, e.g. "blur:5".
	Name() string
	// Halo returns how many input elements beyond each side of its block
	// the kernel reads (0 for elementwise and block kernels).
	Halo() int
	// Factor returns how many input elements along each axis make one
	// output element: 1 for same-shape kernels, N for coarsen:N.
	Factor() int
	// Boundary returns how elements beyond the array's edge are made up
	// (only consulted when Halo() > 0).
	Boundary() chunk.Boundary
	// Apply computes dst from src, calling p.Pace as rows complete.
	Apply(dst, src *chunk.Array, p Pacer) error
}

// RawInput is implemented by kernels that take the stored element type
// directly (calibrate): they decode integers themselves. Any other kernel
// at the head of a chain sees the stored values cast to float32.
type RawInput interface {
	AcceptsRaw(t chunk.DType) bool
}

// Reducer is a kernel that ends a chain with a summary instead of an array
// (stats, histogram). Each chunk gets a Partial; partials are merged in
// chunk-index order, never completion order, and the merge is exact, so the
// result has the same bits for any worker count, lock mode and chunking.
type Reducer interface {
	// Name returns the reducer as typed, e.g. "histogram:64:0:400".
	Name() string
	// NewPartial returns an empty partial result.
	NewPartial() Partial
}

// Partial is the mergeable state of a reduction over some chunks.
type Partial interface {
	// Add folds a Float32 block into the partial, calling p.Pace as rows
	// complete.
	Add(src *chunk.Array, p Pacer)
	// Merge folds other (a Partial of the same reducer) into the receiver.
	Merge(other Partial)
	// Result returns the reduction's value.
	Result() Result
}

// Result is the outcome of a reduction: named numbers for tables and JSON
// (Fields keeps their order), and for histograms the bin edges and counts.
type Result struct {
	Name   string             `json:"name"`
	Fields []string           `json:"-"`
	Values map[string]float64 `json:"values"`
	Edges  []float64          `json:"edges,omitempty"`
	Counts []int64            `json:"counts,omitempty"`
}

// RangeSetter is implemented by reducers that need the data's range before
// they start (a histogram without explicit MIN:MAX). The pipeline then runs
// a min/max pass first and calls SetRange.
type RangeSetter interface {
	NeedsRange() bool
	SetRange(lo, hi float64)
}
