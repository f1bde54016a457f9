package netcdf3

import (
	"encoding/binary"

	"chunkpipe/internal/byteswap"
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
	byteswap.Copy(dst, src, sz)
}
