package chunk

import (
	"errors"
	"fmt"
)

// Index is the position of a chunk in a [Grid], like dask's block_id.
type Index struct {
	Row, Col int
}

// String formats the index as (row,col).
func (i Index) String() string { return fmt.Sprintf("(%d,%d)", i.Row, i.Col) }

// Grid is a regular grid of chunks laid over an array: every chunk has the
// shape Chunk except those in the last row or column of the grid, which are
// cut short by the array's edge (ragged edges are normal, as in dask).
// The zero Grid has no chunks.
type Grid struct {
	Shape Shape // the whole array
	Chunk Shape // the size of every full chunk
}

// NewGrid returns the grid of chunk-shaped chunks over shape. It fails when
// a size is negative or a chunk dimension is not positive for a non-empty
// array.
func NewGrid(shape, chunk Shape) (Grid, error) {
	if shape.Rows < 0 || shape.Cols < 0 {
		return Grid{}, fmt.Errorf("chunk: negative array shape %v", shape)
	}
	if err := CheckShape(shape); err != nil {
		return Grid{}, err
	}
	if shape.Len() > 0 && (chunk.Rows <= 0 || chunk.Cols <= 0) {
		return Grid{}, fmt.Errorf("chunk: chunk shape %v must be positive", chunk)
	}
	return Grid{Shape: shape, Chunk: chunk}, nil
}

// Dims returns the number of chunk rows and chunk columns.
func (g Grid) Dims() (rows, cols int) {
	if g.Shape.Len() == 0 || g.Chunk.Rows <= 0 || g.Chunk.Cols <= 0 {
		return 0, 0
	}
	return (g.Shape.Rows + g.Chunk.Rows - 1) / g.Chunk.Rows, (g.Shape.Cols + g.Chunk.Cols - 1) / g.Chunk.Cols
}

// Len returns the number of chunks.
func (g Grid) Len() int {
	r, c := g.Dims()
	return r * c
}

// Index returns the index of the n-th chunk in row-major order.
func (g Grid) Index(n int) Index {
	_, c := g.Dims()
	return Index{n / c, n % c}
}

// Linear returns the row-major position of chunk i, the inverse of [Grid.Index].
func (g Grid) Linear(i Index) int {
	_, c := g.Dims()
	return i.Row*c + i.Col
}

// Region returns the region chunk i covers, clipped to the array.
func (g Grid) Region(i Index) Region {
	r := Region{i.Row * g.Chunk.Rows, i.Col * g.Chunk.Cols, (i.Row + 1) * g.Chunk.Rows, (i.Col + 1) * g.Chunk.Cols}
	return r.Intersect(g.Shape.Bounds())
}

// ChunkBytes returns the size in bytes of a full chunk of elemBytes elements.
func (g Grid) ChunkBytes(elemBytes int) int64 {
	return int64(g.Chunk.Rows) * int64(g.Chunk.Cols) * int64(elemBytes)
}

// String describes the grid, e.g. "4x5 chunks of 250x250 over 1000x1250".
func (g Grid) String() string {
	r, c := g.Dims()
	return fmt.Sprintf("%dx%d chunks of %v over %v", r, c, g.Chunk, g.Shape)
}

// MaxElements bounds an array's element count (2^50, a petabyte of float32
// pixels), so that sizes computed from a shape never overflow.
const MaxElements = 1 << 50

// ErrShapeTooLarge reports a shape of more than [MaxElements] elements.
var ErrShapeTooLarge = errors.New("impossibly large (more than 2^50 elements)")

// CheckShape rejects a shape whose element count overflows or exceeds
// [MaxElements], with an error wrapping [ErrShapeTooLarge].
func CheckShape(s Shape) error {
	if s.Rows > 0 && s.Cols > MaxElements/s.Rows {
		return fmt.Errorf("shape %v is %w", s, ErrShapeTooLarge)
	}
	return nil
}
