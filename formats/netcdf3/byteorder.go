package netcdf3

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// hostBigEndian reports whether the host stores integers big-endian, in
// which case file order is host order and no swapping is needed.
var hostBigEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 0x0100

// swapInPlace converts elements of size sz between big-endian and host
// order in place. len(b) must be a multiple of sz.
func swapInPlace(b []byte, sz int) {
	swapCopy(b, b, sz)
}

// swapCopy stores the elements of src, of size sz, in dst with their bytes
// reversed when the host is little-endian (a plain copy otherwise). dst and
// src have the same length and are either identical or disjoint.
func swapCopy(dst, src []byte, sz int) {
	if len(src) == 0 {
		return
	}
	if hostBigEndian || sz == 1 {
		if &dst[0] != &src[0] {
			copy(dst, src)
		}
		return
	}
	n := len(src) / sz
	if n == 0 {
		return
	}
	aligned := uintptr(unsafe.Pointer(&dst[0]))%uintptr(sz) == 0 && uintptr(unsafe.Pointer(&src[0]))%uintptr(sz) == 0
	switch {
	case sz == 2 && aligned:
		d, s := unsafe.Slice((*uint16)(unsafe.Pointer(&dst[0])), n), unsafe.Slice((*uint16)(unsafe.Pointer(&src[0])), n)
		for i, v := range s {
			d[i] = bits.ReverseBytes16(v)
		}
	case sz == 4 && aligned:
		d, s := unsafe.Slice((*uint32)(unsafe.Pointer(&dst[0])), n), unsafe.Slice((*uint32)(unsafe.Pointer(&src[0])), n)
		for i, v := range s {
			d[i] = bits.ReverseBytes32(v)
		}
	case sz == 8 && aligned:
		d, s := unsafe.Slice((*uint64)(unsafe.Pointer(&dst[0])), n), unsafe.Slice((*uint64)(unsafe.Pointer(&src[0])), n)
		for i, v := range s {
			d[i] = bits.ReverseBytes64(v)
		}
	case sz == 2:
		for i := 0; i+2 <= len(src); i += 2 {
			binary.LittleEndian.PutUint16(dst[i:], binary.BigEndian.Uint16(src[i:]))
		}
	case sz == 4:
		for i := 0; i+4 <= len(src); i += 4 {
			binary.LittleEndian.PutUint32(dst[i:], binary.BigEndian.Uint32(src[i:]))
		}
	case sz == 8:
		for i := 0; i+8 <= len(src); i += 8 {
			binary.LittleEndian.PutUint64(dst[i:], binary.BigEndian.Uint64(src[i:]))
		}
	}
}
