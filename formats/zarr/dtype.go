package zarr

import (
	"encoding/binary"
	"fmt"

	"chunkpipe/chunk"
)

// hostBigEndian reports whether this machine stores numbers big-endian.
var hostBigEndian = binary.NativeEndian.Uint16([]byte{0, 1}) == 1

// elemType is a Zarr dtype string such as "<f4" resolved into the element
// type chunkpipe computes with and the byte order the chunks store.
type elemType struct {
	DType     chunk.DType
	BigEndian bool // chunks store elements big-endian
}

// parseDType parses a NumPy type string of the kinds chunkpipe handles:
// a byte-order character ('<', '>' or, for one-byte types, '|'), a kind
// ('i', 'u' or 'f') and a size in bytes.
func parseDType(s string) (elemType, error) {
	if len(s) != 3 {
		return elemType{}, fmt.Errorf("unsupported dtype %q (want a NumPy type string such as \"<f4\")", s)
	}
	var t chunk.DType
	switch s[1:] {
	case "i1":
		t = chunk.Int8
	case "u1":
		t = chunk.Uint8
	case "i2":
		t = chunk.Int16
	case "u2":
		t = chunk.Uint16
	case "i4":
		t = chunk.Int32
	case "u4":
		t = chunk.Uint32
	case "i8":
		t = chunk.Int64
	case "u8":
		t = chunk.Uint64
	case "f4":
		t = chunk.Float32
	case "f8":
		t = chunk.Float64
	default:
		return elemType{}, fmt.Errorf("unsupported dtype %q (want signed or unsigned integers of 1 to 8 bytes, or 4- or 8-byte floats)", s)
	}
	switch s[0] {
	case '<':
		return elemType{DType: t}, nil
	case '>':
		return elemType{DType: t, BigEndian: t.Size() > 1}, nil
	case '|':
		if t.Size() == 1 {
			return elemType{DType: t}, nil
		}
	}
	return elemType{}, fmt.Errorf("unsupported byte order in dtype %q", s)
}

// nativeType returns the elemType that stores t in host byte order, which is
// what the writer produces.
func nativeType(t chunk.DType) elemType { return elemType{DType: t, BigEndian: hostBigEndian} }

// String returns the NumPy type string, e.g. "<f4" or "|u1".
func (e elemType) String() string {
	kind := byte('i')
	switch {
	case e.DType.IsFloat():
		kind = 'f'
	case !e.DType.IsSigned():
		kind = 'u'
	}
	order := byte('<')
	switch {
	case e.DType.Size() == 1:
		order = '|'
	case e.BigEndian:
		order = '>'
	}
	return string([]byte{order, kind, byte('0' + e.DType.Size())})
}

// TypeString returns the NumPy type string ("<f4", ">i2", "|u1") that
// .zarray documents use for elements of type t in the given byte order,
// or "" when t has no element size.
func TypeString(t chunk.DType, bigEndian bool) string {
	if t.Size() == 0 {
		return ""
	}
	return elemType{DType: t, BigEndian: bigEndian}.String()
}

// swapped reports whether stored elements must be byte-swapped into host order.
func (e elemType) swapped() bool { return e.DType.Size() > 1 && e.BigEndian != hostBigEndian }
