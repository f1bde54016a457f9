package netcdf3

import (
	"fmt"

	"chunkpipe/chunk"
)

// Version is a NetCDF classic format version: the fourth byte of the file.
type Version byte

// The classic format versions.
const (
	CDF1 Version = 1 // classic: 32-bit offsets
	CDF2 Version = 2 // 64-bit offset: 64-bit variable offsets
	CDF5 Version = 5 // 64-bit data: 64-bit counts and unsigned/64-bit types
)

// String returns the version's name as ncdump -k spells it.
func (v Version) String() string {
	switch v {
	case CDF1:
		return "classic"
	case CDF2:
		return "64-bit offset"
	case CDF5:
		return "cdf5"
	}
	return fmt.Sprintf("version(%d)", byte(v))
}

// Type is a NetCDF external data type (nc_type).
type Type int32

// The external types of the classic formats. The last five exist only in
// CDF-5.
const (
	Byte   Type = 1
	Char   Type = 2
	Short  Type = 3
	Int    Type = 4
	Float  Type = 5
	Double Type = 6
	Ubyte  Type = 7
	Ushort Type = 8
	Uint   Type = 9
	Int64  Type = 10
	Uint64 Type = 11
)

var typeNames = [...]string{"", "byte", "char", "short", "int", "float", "double", "ubyte", "ushort", "uint", "int64", "uint64"}
var typeSizes = [...]int{0, 1, 1, 2, 4, 4, 8, 1, 2, 4, 8, 8}
var typeDTypes = [...]chunk.DType{chunk.Invalid, chunk.Int8, chunk.Invalid, chunk.Int16, chunk.Int32, chunk.Float32,
	chunk.Float64, chunk.Uint8, chunk.Uint16, chunk.Uint32, chunk.Int64, chunk.Uint64}

// String returns the CDL name of the type, e.g. "float".
func (t Type) String() string {
	if t >= Byte && t <= Uint64 {
		return typeNames[t]
	}
	return fmt.Sprintf("nc_type(%d)", int32(t))
}

// Size returns the size in bytes of one element (0 for an unknown type).
func (t Type) Size() int {
	if t >= Byte && t <= Uint64 {
		return typeSizes[t]
	}
	return 0
}

// DType returns the element type chunkpipe uses for t, or chunk.Invalid
// for NC_CHAR and unknown types.
func (t Type) DType() chunk.DType {
	if t >= Byte && t <= Uint64 {
		return typeDTypes[t]
	}
	return chunk.Invalid
}

// validIn reports whether t may appear in a file of version v.
func (t Type) validIn(v Version) bool {
	if v == CDF5 {
		return t >= Byte && t <= Uint64
	}
	return t >= Byte && t <= Double
}

// TypeOf returns the external type that stores elements of d.
func TypeOf(d chunk.DType) (Type, bool) {
	for t := Byte; t <= Uint64; t++ {
		if t != Char && typeDTypes[t] == d {
			return t, true
		}
	}
	return 0, false
}
