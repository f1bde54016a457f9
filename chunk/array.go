package chunk

import (
	"fmt"
	"unsafe"
)

// Array is a strided view of a 2-D block of elements of one [DType], with
// the block's position in the whole array. It is the unit that flows between
// pipeline stages, like image.Gray in the standard library: Rect carries
// global coordinates, so a kernel needs no separate block position.
//
// Data holds the elements in host byte order; element (r, c) of the view,
// with Rect.Row0 <= r < Rect.Row1 and Rect.Col0 <= c < Rect.Col1, starts at
// byte ((r-Rect.Row0)*Stride + (c-Rect.Col0)) * DType.Size(). Views made by
// [Array.Sub] share Data with their parent. An Array is not safe for
// concurrent mutation of overlapping parts.
//
// An array may hold several planes (bands) of the same region, one after
// the other in Data: plane k starts at element k*Stride*Rect.Rows(). Planes
// 0 means 1. Multi-band inputs travel this way, so that a band-math kernel
// sees every band of its chunk at once.
type Array struct {
	DType  DType
	Rect   Region
	Stride int // elements between the starts of consecutive rows
	Planes int // number of planes; 0 or 1 for a plain 2-D array
	Data   []byte
}

// NumPlanes returns the number of planes (at least 1).
func (a *Array) NumPlanes() int { return max(a.Planes, 1) }

// Plane returns a view of plane k, sharing a's data.
func (a *Array) Plane(k int) *Array {
	if k < 0 || k >= a.NumPlanes() {
		panic(fmt.Sprintf("chunk: plane %d of %d", k, a.NumPlanes()))
	}
	n := a.Stride * a.Rect.Rows() * a.DType.Size()
	return &Array{DType: a.DType, Rect: a.Rect, Stride: a.Stride, Data: a.Data[k*n : (k+1)*n : (k+1)*n]}
}

// ResetPlanes is [Array.Reset] for an array of planes planes.
func (a *Array) ResetPlanes(t DType, r Region, planes int) {
	planes = max(planes, 1)
	need := r.Len() * t.Size() * planes
	a.DType, a.Rect, a.Stride, a.Planes = t, r, r.Cols(), planes
	if cap(a.Data) < need {
		a.Data = AlignedBytes(need)
	}
	a.Data = a.Data[:need]
}

// Number is the set of Go element types an [Array] can be viewed as.
type Number interface {
	~int8 | ~uint8 | ~int16 | ~uint16 | ~int32 | ~uint32 | ~int64 | ~uint64 | ~float32 | ~float64
}

// NewArray allocates a zeroed, tightly strided array of type t covering r.
// The backing memory is 8-byte aligned so that [Elems] can view it as any
// element type.
func NewArray(t DType, r Region) *Array {
	a := &Array{DType: t, Rect: r, Stride: r.Cols()}
	a.Data = AlignedBytes(r.Len() * t.Size())
	return a
}

// AlignedBytes returns a zeroed byte slice of length n whose first byte is
// 8-byte aligned.
func AlignedBytes(n int) []byte {
	if n == 0 {
		return []byte{}
	}
	words := make([]uint64, (n+7)/8)
	return unsafe.Slice((*byte)(unsafe.Pointer(&words[0])), n)[:n:n]
}

// Reset points a at region r with tight stride, reusing a.Data when it is
// large enough and allocating otherwise. The contents are not cleared.
func (a *Array) Reset(t DType, r Region) {
	need := r.Len() * t.Size()
	a.DType, a.Rect, a.Stride, a.Planes = t, r, r.Cols(), 0
	if cap(a.Data) < need {
		a.Data = AlignedBytes(need)
	}
	a.Data = a.Data[:need]
}

// Bytes returns the number of bytes the view's elements occupy, all planes
// included.
func (a *Array) Bytes() int { return a.Rect.Len() * a.DType.Size() * a.NumPlanes() }

// Offset returns the element index in Data of global position (r, c).
func (a *Array) Offset(r, c int) int {
	return (r-a.Rect.Row0)*a.Stride + (c - a.Rect.Col0)
}

// Sub returns a view of the part of a inside r, sharing a's data. It panics
// if r is not inside a.Rect, since that is a programming error.
func (a *Array) Sub(r Region) *Array {
	if !a.Rect.Contains(r) {
		panic(fmt.Sprintf("chunk: Sub %v outside %v", r, a.Rect))
	}
	if r.Empty() {
		return &Array{DType: a.DType, Rect: r, Stride: a.Stride, Data: a.Data[:0]}
	}
	sz := a.DType.Size()
	start := a.Offset(r.Row0, r.Col0) * sz
	end := (a.Offset(r.Row1-1, r.Col1-1) + 1) * sz
	return &Array{DType: a.DType, Rect: r, Stride: a.Stride, Data: a.Data[start:end:end]}
}

// Contiguous reports whether the rows of a follow each other without gaps.
func (a *Array) Contiguous() bool { return a.Stride == a.Rect.Cols() || a.Rect.Rows() <= 1 }

// RowBytes returns the bytes of global row r within the view.
func (a *Array) RowBytes(r int) []byte {
	sz := a.DType.Size()
	o := a.Offset(r, a.Rect.Col0) * sz
	return a.Data[o : o+a.Rect.Cols()*sz]
}

// Elems views the data of a as a slice of T, sharing memory. T must have the
// size of a.DType; the caller picks the T that matches (for example float32
// for Float32). It panics on a size mismatch or misaligned data.
func Elems[T Number](a *Array) []T {
	var zero T
	sz := int(unsafe.Sizeof(zero))
	if sz != a.DType.Size() {
		panic(fmt.Sprintf("chunk: Elems of %d-byte type on %v array", sz, a.DType))
	}
	if len(a.Data) == 0 {
		return nil
	}
	if uintptr(unsafe.Pointer(&a.Data[0]))%uintptr(sz) != 0 {
		panic("chunk: Elems on misaligned data")
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&a.Data[0])), len(a.Data)/sz)
}

// Float32s views a Float32 array's data as []float32 (see [Elems]).
func (a *Array) Float32s() []float32 { return Elems[float32](a) }

// CopyFrom copies the elements of src that lie inside a.Rect into a. Both
// must have the same DType.
func (a *Array) CopyFrom(src *Array) {
	if a.DType != src.DType {
		panic(fmt.Sprintf("chunk: CopyFrom %v into %v", src.DType, a.DType))
	}
	r := a.Rect.Intersect(src.Rect)
	if r.Empty() {
		return
	}
	sz := a.DType.Size()
	n := r.Cols() * sz
	for row := r.Row0; row < r.Row1; row++ {
		d := a.Offset(row, r.Col0) * sz
		s := src.Offset(row, r.Col0) * sz
		copy(a.Data[d:d+n], src.Data[s:s+n])
	}
}
