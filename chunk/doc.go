// Package chunk holds the geometry of chunked 2-D arrays: half-open regions,
// regular chunk grids with ragged edges, chunk specifications as users type
// them, halo (overlap) regions with boundary modes, element types, and the
// strided [Array] view that carries a chunk's data with its global position.
//
// The package starts no goroutines and does no I/O. All regions are
// half-open: a [Region] covers rows Row0 <= r < Row1 and columns
// Col0 <= c < Col1, in the coordinates of the whole array.
package chunk
