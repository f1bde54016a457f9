package flat

import (
	"os"

	"chunkpipe/chunk"
)

// ViewRegion points dst at region reg of the array inside m (the file's
// bytes mapped in memory, m[0] its first byte), strided by the array's
// rows, instead of copying the elements. The view is read-only: writing
// to it faults. It reports false, leaving dst alone, where a view cannot
// stand for the elements: no mapping, a column-major or byte-swapped
// array, an empty region or one outside the array, a mapping shorter than
// the array, or elements not aligned to their size.
func ViewRegion(m []byte, l Layout, reg chunk.Region, dst *chunk.Array) bool {
	sz := int64(l.DType.Size())
	switch {
	case m == nil, sz == 0, l.Fortran, l.BigEndian && sz > 1, reg.Empty(), !l.Shape.Bounds().Contains(reg):
		return false
	case l.Offset < 0, l.Offset+l.Size() > int64(len(m)), l.Offset%sz != 0: // mappings start on a page
		return false
	}
	cols := int64(l.Shape.Cols)
	start := l.Offset + (int64(reg.Row0)*cols+int64(reg.Col0))*sz
	end := start + (int64(reg.Rows()-1)*cols+int64(reg.Cols()))*sz
	*dst = chunk.Array{DType: l.DType, Rect: reg, Stride: l.Shape.Cols, Data: m[start:end:end]}
	return true
}

// ReleaseRows drops the mapped pages of rows [reg.Row0, reg.Row1) of the
// array inside m from this process (see [ReleaseRange]), so that reading
// a file in place keeps the resident set bounded by the chunks in flight.
func ReleaseRows(m []byte, l Layout, reg chunk.Region) {
	rowBytes := int64(l.Shape.Cols) * int64(l.DType.Size())
	ReleaseRange(m, l.Offset+int64(reg.Row0)*rowBytes, l.Offset+int64(reg.Row1)*rowBytes)
}

// Mapping is a flat array's file mapped read-only. Readers embed it to
// lend views of their regions (pipeline.RegionViewer). The zero Mapping,
// and one over a byte-swapped or column-major array, lends none.
type Mapping struct {
	Bytes  []byte // the file's bytes (Bytes[0] is its first); nil when not mapped
	Layout Layout
}

// Map maps size bytes of f, which holds the array l; the Mapping lends
// no views where mapping fails.
func Map(f *os.File, size int64, l Layout) Mapping {
	return Mapping{Bytes: MapFile(f, size), Layout: l}
}

// ViewRegion points dst at region reg inside the mapping, read-only,
// instead of reading a copy (see [ViewRegion]).
func (m *Mapping) ViewRegion(reg chunk.Region, dst *chunk.Array) bool {
	return ViewRegion(m.Bytes, m.Layout, reg, dst)
}

// ReleaseView drops the pages of a viewed region that reaches the last
// column from this process (they stay in the page cache). Narrower views
// keep theirs: the chunk to their right still reads the same pages.
func (m *Mapping) ReleaseView(reg chunk.Region) {
	if reg.Col1 == m.Layout.Shape.Cols {
		ReleaseRows(m.Bytes, m.Layout, reg)
	}
}

// Unmap unmaps the file; the Mapping then lends no views.
func (m *Mapping) Unmap() {
	if m.Bytes != nil {
		Unmap(m.Bytes)
		m.Bytes = nil
	}
}
