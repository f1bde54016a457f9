// Package byteswap reverses the byte order of fixed-size elements: the one
// helper the formats use to bring big-endian or little-endian file data
// into the host's order and back.
package byteswap

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// Swap reverses the bytes of every size-byte element of b in place. A
// trailing partial element is left as it is; size 1 or less does nothing.
func Swap(b []byte, size int) { Copy(b, b, size) }

// Copy stores the elements of src, of size bytes each, in dst with their
// bytes reversed. dst must be at least as long as src; dst and src are
// either the same memory or disjoint. Only whole elements are written:
// a trailing partial element of src is not copied.
func Copy(dst, src []byte, size int) {
	if size <= 1 {
		if len(src) > 0 && &dst[0] != &src[0] {
			copy(dst, src)
		}
		return
	}
	n := len(src) / size
	if n == 0 {
		return
	}
	dst = dst[:n*size]
	aligned := uintptr(unsafe.Pointer(&dst[0]))%uintptr(size) == 0 && uintptr(unsafe.Pointer(&src[0]))%uintptr(size) == 0
	switch {
	case size == 2 && aligned:
		d, s := unsafe.Slice((*uint16)(unsafe.Pointer(&dst[0])), n), unsafe.Slice((*uint16)(unsafe.Pointer(&src[0])), n)
		for i, v := range s {
			d[i] = bits.ReverseBytes16(v)
		}
	case size == 4 && aligned:
		d, s := unsafe.Slice((*uint32)(unsafe.Pointer(&dst[0])), n), unsafe.Slice((*uint32)(unsafe.Pointer(&src[0])), n)
		for i, v := range s {
			d[i] = bits.ReverseBytes32(v)
		}
	case size == 8 && aligned:
		d, s := unsafe.Slice((*uint64)(unsafe.Pointer(&dst[0])), n), unsafe.Slice((*uint64)(unsafe.Pointer(&src[0])), n)
		for i, v := range s {
			d[i] = bits.ReverseBytes64(v)
		}
	case size == 2:
		for i := 0; i+2 <= len(dst); i += 2 {
			binary.LittleEndian.PutUint16(dst[i:], binary.BigEndian.Uint16(src[i:]))
		}
	case size == 4:
		for i := 0; i+4 <= len(dst); i += 4 {
			binary.LittleEndian.PutUint32(dst[i:], binary.BigEndian.Uint32(src[i:]))
		}
	case size == 8:
		for i := 0; i+8 <= len(dst); i += 8 {
			binary.LittleEndian.PutUint64(dst[i:], binary.BigEndian.Uint64(src[i:]))
		}
	default:
		for e := 0; e+size <= len(dst); e += size {
			for i, j := e, e+size-1; i <= j; i, j = i+1, j-1 {
				dst[i], dst[j] = src[j], src[i]
			}
		}
	}
}
