package geotiff

import (
	"encoding/binary"
	"unsafe"

	"chunkpipe/internal/byteswap"
)

// nativeLittle is true on little-endian hosts.
var nativeLittle = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// toNative converts elements of size sz from the file's byte order to the
// host's, in place.
func toNative(b []byte, sz int, fileLittle bool) {
	if sz == 1 || fileLittle == nativeLittle {
		return
	}
	byteswap.Swap(b, sz)
}

// view reinterprets b (8-byte aligned, from a pool or chunk.AlignedBytes)
// as a slice of T.
func view[T uint8 | uint16 | uint32 | uint64](b []byte) []T {
	var z T
	n := len(b) / int(unsafe.Sizeof(z))
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), n)
}

// undoHorizontal reverses TIFF predictor 2 on native-order samples: each
// row of rowLen samples is a running sum with the given stride (samples per
// pixel).
func undoHorizontal(b []byte, sz, rowLen, stride int) {
	switch sz {
	case 1:
		accumulate(view[uint8](b), rowLen, stride)
	case 2:
		accumulate(view[uint16](b), rowLen, stride)
	case 4:
		accumulate(view[uint32](b), rowLen, stride)
	case 8:
		accumulate(view[uint64](b), rowLen, stride)
	}
}

func accumulate[T uint8 | uint16 | uint32 | uint64](s []T, rowLen, stride int) {
	for r := 0; r+rowLen <= len(s); r += rowLen {
		row := s[r : r+rowLen]
		for i := stride; i < len(row); i++ {
			row[i] += row[i-stride]
		}
	}
}

// applyHorizontal applies TIFF predictor 2 to native-order samples.
func applyHorizontal(b []byte, sz, rowLen, stride int) {
	switch sz {
	case 1:
		difference(view[uint8](b), rowLen, stride)
	case 2:
		difference(view[uint16](b), rowLen, stride)
	case 4:
		difference(view[uint32](b), rowLen, stride)
	case 8:
		difference(view[uint64](b), rowLen, stride)
	}
}

func difference[T uint8 | uint16 | uint32 | uint64](s []T, rowLen, stride int) {
	for r := 0; r+rowLen <= len(s); r += rowLen {
		row := s[r : r+rowLen]
		for i := len(row) - 1; i >= stride; i-- {
			row[i] -= row[i-stride]
		}
	}
}

// undoFloat reverses the floating-point predictor (3) as libtiff and GDAL
// write it. Each row of rowLen samples of sz bytes is stored as sz byte
// planes and the row of bytes is horizontally differenced with the given
// stride. Plane j holds byte sz-1-j of each sample in the file's byte
// order: for little-endian files the most significant byte comes first;
// big-endian files written by libtiff on little-endian hosts (all GDAL
// output) keep the same plane order over byte-swapped samples. The result
// is therefore in the file's byte order, like unpredicted data. tmp must
// hold one row.
func undoFloat(b, tmp []byte, sz, rowLen, stride int) {
	rb := rowLen * sz
	for r := 0; r+rb <= len(b); r += rb {
		row := b[r : r+rb]
		for i := stride; i < rb; i++ {
			row[i] += row[i-stride]
		}
		copy(tmp, row)
		for k := 0; k < rowLen; k++ {
			for j := 0; j < sz; j++ { // j: significance, 0 = most significant
				d := sz - 1 - j
				row[k*sz+d] = tmp[j*rowLen+k]
			}
		}
	}
}

// applyFloat applies the floating-point predictor to samples in the file's
// byte order (the inverse of undoFloat).
func applyFloat(b, tmp []byte, sz, rowLen, stride int) {
	rb := rowLen * sz
	for r := 0; r+rb <= len(b); r += rb {
		row := b[r : r+rb]
		for k := 0; k < rowLen; k++ {
			for j := 0; j < sz; j++ {
				d := sz - 1 - j
				tmp[j*rowLen+k] = row[k*sz+d]
			}
		}
		copy(row, tmp[:rb])
		for i := rb - 1; i >= stride; i-- {
			row[i] -= row[i-stride]
		}
	}
}
