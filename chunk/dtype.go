package chunk

import (
	"fmt"
	"math"
	"strings"
)

// DType is the element type of an array, as stored or as computed.
type DType uint8

// The element types chunkpipe reads and writes. Invalid is the zero value.
const (
	Invalid DType = iota
	Int8
	Uint8
	Int16
	Uint16
	Int32
	Uint32
	Int64
	Uint64
	Float32
	Float64
)

var dtypeNames = [...]string{"invalid", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64"}
var dtypeSizes = [...]int{0, 1, 1, 2, 2, 4, 4, 8, 8, 4, 8}

// Size returns the element size in bytes (0 for Invalid).
func (d DType) Size() int {
	if int(d) >= len(dtypeSizes) {
		return 0
	}
	return dtypeSizes[d]
}

// String returns the numpy-style name, e.g. "int16".
func (d DType) String() string {
	if int(d) >= len(dtypeNames) {
		return fmt.Sprintf("dtype(%d)", uint8(d))
	}
	return dtypeNames[d]
}

// IsFloat reports whether d is a floating-point type.
func (d DType) IsFloat() bool { return d == Float32 || d == Float64 }

// IsSigned reports whether d is a signed integer or floating-point type.
func (d DType) IsSigned() bool {
	switch d {
	case Int8, Int16, Int32, Int64, Float32, Float64:
		return true
	}
	return false
}

// Range returns the smallest and largest value representable by an integer
// type, or -Inf and +Inf for floating-point types.
func (d DType) Range() (lo, hi float64) {
	switch d {
	case Int8:
		return math.MinInt8, math.MaxInt8
	case Uint8:
		return 0, math.MaxUint8
	case Int16:
		return math.MinInt16, math.MaxInt16
	case Uint16:
		return 0, math.MaxUint16
	case Int32:
		return math.MinInt32, math.MaxInt32
	case Uint32:
		return 0, math.MaxUint32
	case Int64:
		return math.MinInt64, math.MaxInt64
	case Uint64:
		return 0, math.MaxUint64
	}
	return math.Inf(-1), math.Inf(1)
}

// Set parses a type name; it implements flag.Value. Besides the names
// String returns it accepts numpy codes such as "i2", "u1", "f4", "<f8".
func (d *DType) Set(s string) error {
	t, err := ParseDType(s)
	if err != nil {
		return err
	}
	*d = t
	return nil
}

// DTypes returns every valid element type, Int8 to Float64.
func DTypes() []DType {
	ts := make([]DType, 0, len(dtypeNames)-1)
	for t := Int8; t <= Float64; t++ {
		ts = append(ts, t)
	}
	return ts
}

// ParseDType parses a type name such as "int16", "float32", "i2" or "f4"
// (a leading byte-order character '<', '>', '|' or '=' is ignored).
func ParseDType(s string) (DType, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	for i, n := range dtypeNames {
		if i > 0 && n == k {
			return DType(i), nil
		}
	}
	k = strings.TrimLeft(k, "<>|=")
	codes := map[string]DType{"i1": Int8, "u1": Uint8, "i2": Int16, "u2": Uint16, "i4": Int32, "u4": Uint32,
		"i8": Int64, "u8": Uint64, "f4": Float32, "f8": Float64, "b": Int8, "b1": Int8, "byte": Int8, "ubyte": Uint8,
		"short": Int16, "ushort": Uint16, "int": Int32, "uint": Uint32, "float": Float32, "double": Float64}
	if t, ok := codes[k]; ok {
		return t, nil
	}
	return Invalid, fmt.Errorf("chunk: unknown dtype %q (want int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32 or float64)", s)
}
