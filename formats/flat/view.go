package flat

import "chunkpipe/chunk"

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
