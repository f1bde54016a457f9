package flat

import (
	"fmt"
	"io"

	"chunkpipe/chunk"
	"chunkpipe/internal/byteswap"
)

// Layout is where and how a flat array lies in a file.
type Layout struct {
	Offset    int64       // byte offset of element (0,0)
	Shape     chunk.Shape // the whole array
	DType     chunk.DType
	BigEndian bool // elements stored big-endian
	Fortran   bool // column-major (Fortran) order
}

// Size returns the bytes the array occupies.
func (l Layout) Size() int64 {
	return int64(l.Shape.Rows) * int64(l.Shape.Cols) * int64(l.DType.Size())
}

// ReadRegion reads region reg of the array into dst (DType l.DType, Rect
// reg), converting to host byte order. A region spanning whole rows of a
// row-major array is read with one call.
func ReadRegion(r io.ReaderAt, l Layout, reg chunk.Region, dst *chunk.Array) error {
	if !l.Shape.Bounds().Contains(reg) {
		return fmt.Errorf("region %v outside array %v", reg, l.Shape)
	}
	if dst.Rect != reg || dst.DType != l.DType {
		return fmt.Errorf("destination %v %v does not match region %v %v", dst.DType, dst.Rect, reg, l.DType)
	}
	if reg.Empty() {
		return nil
	}
	sz := l.DType.Size()
	if l.Fortran {
		return readFortran(r, l, reg, dst)
	}
	rowBytes := int64(l.Shape.Cols) * int64(sz)
	if reg.Col0 == 0 && reg.Col1 == l.Shape.Cols && dst.Contiguous() {
		off := l.Offset + int64(reg.Row0)*rowBytes
		if err := readFull(r, dst.Data[:reg.Len()*sz], off); err != nil {
			return err
		}
	} else {
		for row := reg.Row0; row < reg.Row1; row++ {
			off := l.Offset + int64(row)*rowBytes + int64(reg.Col0)*int64(sz)
			if err := readFull(r, dst.RowBytes(row), off); err != nil {
				return err
			}
		}
	}
	if l.BigEndian {
		for row := reg.Row0; row < reg.Row1; row++ {
			byteswap.Swap(dst.RowBytes(row), sz)
		}
	}
	return nil
}

// readFortran reads a region of a column-major array: each column segment
// is contiguous in the file and is scattered into the rows of dst.
func readFortran(r io.ReaderAt, l Layout, reg chunk.Region, dst *chunk.Array) error {
	sz := l.DType.Size()
	colBytes := int64(l.Shape.Rows) * int64(sz)
	seg := make([]byte, reg.Rows()*sz)
	for c := reg.Col0; c < reg.Col1; c++ {
		off := l.Offset + int64(c)*colBytes + int64(reg.Row0)*int64(sz)
		if err := readFull(r, seg, off); err != nil {
			return err
		}
		if l.BigEndian {
			byteswap.Swap(seg, sz)
		}
		for i := 0; i < reg.Rows(); i++ {
			o := dst.Offset(reg.Row0+i, c) * sz
			copy(dst.Data[o:o+sz], seg[i*sz:(i+1)*sz])
		}
	}
	return nil
}

func readFull(r io.ReaderAt, b []byte, off int64) error {
	n, err := r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("read %d bytes at offset %d: %w", len(b), off, err)
}

// WriteRegion writes a (host byte order, row-major layout l with
// l.BigEndian false) at its place in the file. Rows of a region spanning
// whole rows go out in one call.
func WriteRegion(w io.WriterAt, l Layout, a *chunk.Array) error {
	if l.Fortran || l.BigEndian {
		return fmt.Errorf("flat: writing Fortran-order or big-endian arrays is not supported")
	}
	reg := a.Rect
	if !l.Shape.Bounds().Contains(reg) {
		return fmt.Errorf("region %v outside array %v", reg, l.Shape)
	}
	if a.DType != l.DType {
		return fmt.Errorf("region of %v written to %v array", a.DType, l.DType)
	}
	if reg.Empty() {
		return nil
	}
	sz := int64(l.DType.Size())
	rowBytes := int64(l.Shape.Cols) * sz
	if reg.Col0 == 0 && reg.Col1 == l.Shape.Cols && a.Contiguous() {
		_, err := w.WriteAt(a.Data[:a.Bytes()], l.Offset+int64(reg.Row0)*rowBytes)
		return err
	}
	for row := reg.Row0; row < reg.Row1; row++ {
		if _, err := w.WriteAt(a.RowBytes(row), l.Offset+int64(row)*rowBytes+int64(reg.Col0)*sz); err != nil {
			return err
		}
	}
	return nil
}

// ReadRegionMapped is [ReadRegion] from the file's bytes mapped in memory
// (m[0] is the file's first byte): rows are copied out of the mapping, so a
// region that does not span whole rows costs no system call per row.
func ReadRegionMapped(m []byte, l Layout, reg chunk.Region, dst *chunk.Array) error {
	if l.Fortran {
		return fmt.Errorf("flat: mapped reads of Fortran-order arrays are not supported")
	}
	if !l.Shape.Bounds().Contains(reg) {
		return fmt.Errorf("region %v outside array %v", reg, l.Shape)
	}
	if dst.Rect != reg || dst.DType != l.DType {
		return fmt.Errorf("destination %v %v does not match region %v %v", dst.DType, dst.Rect, reg, l.DType)
	}
	if reg.Empty() {
		return nil
	}
	sz := int64(l.DType.Size())
	if l.Offset+l.Size() > int64(len(m)) {
		return fmt.Errorf("read %d bytes at offset %d: %w", l.Size(), l.Offset, io.ErrUnexpectedEOF)
	}
	rowBytes := int64(l.Shape.Cols) * sz
	n := int64(reg.Cols()) * sz
	for row := reg.Row0; row < reg.Row1; row++ {
		off := l.Offset + int64(row)*rowBytes + int64(reg.Col0)*sz
		copy(dst.RowBytes(row), m[off:off+n])
	}
	if l.BigEndian {
		for row := reg.Row0; row < reg.Row1; row++ {
			byteswap.Swap(dst.RowBytes(row), int(sz))
		}
	}
	return nil
}
