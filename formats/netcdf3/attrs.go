package netcdf3

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"chunkpipe/formats"
)

// value returns the attribute's value as formats.Attr documents it: a
// string for NC_CHAR, int64 or []int64 for integer types, float64 or
// []float64 for floating-point types (and for NC_UINT64 values that do not
// fit in an int64).
func (a *attr) value() any {
	if a.typ == Char {
		return strings.TrimRight(string(a.bytes), "\x00")
	}
	if a.typ == Float || a.typ == Double || (a.typ == Uint64 && !fitsInt64(a.bytes)) {
		f := decodeFloat64s(a.typ, a.bytes)
		if len(f) == 1 {
			return f[0]
		}
		return f
	}
	n := len(a.bytes) / a.typ.Size()
	out := make([]int64, n)
	for i := range out {
		out[i] = decodeInt(a.typ, a.bytes[i*a.typ.Size():])
	}
	if n == 1 {
		return out[0]
	}
	return out
}

func fitsInt64(b []byte) bool {
	for i := 0; i+8 <= len(b); i += 8 {
		if binary.BigEndian.Uint64(b[i:]) > math.MaxInt64 {
			return false
		}
	}
	return true
}

// toAttrs converts header attributes to formats.Attrs.
func toAttrs(as []attr) formats.Attrs {
	out := make(formats.Attrs, 0, len(as))
	for i := range as {
		out = append(out, formats.Attr{Name: as[i].name, Value: as[i].value()})
	}
	return out
}

// decodeInt returns the big-endian integer of type t at the start of b.
func decodeInt(t Type, b []byte) int64 {
	switch t {
	case Byte:
		return int64(int8(b[0]))
	case Ubyte, Char:
		return int64(b[0])
	case Short:
		return int64(int16(binary.BigEndian.Uint16(b)))
	case Ushort:
		return int64(binary.BigEndian.Uint16(b))
	case Int:
		return int64(int32(binary.BigEndian.Uint32(b)))
	case Uint:
		return int64(binary.BigEndian.Uint32(b))
	case Int64, Uint64:
		return int64(binary.BigEndian.Uint64(b))
	}
	return 0
}

// decodeFloat64s converts big-endian values of type t to float64 (64-bit
// integers beyond 2^53 are rounded).
func decodeFloat64s(t Type, b []byte) []float64 {
	sz := t.Size()
	if sz == 0 {
		return nil
	}
	out := make([]float64, len(b)/sz)
	for i := range out {
		e := b[i*sz:]
		switch t {
		case Float:
			out[i] = float64(math.Float32frombits(binary.BigEndian.Uint32(e)))
		case Double:
			out[i] = math.Float64frombits(binary.BigEndian.Uint64(e))
		case Uint64:
			out[i] = float64(binary.BigEndian.Uint64(e))
		default:
			out[i] = float64(decodeInt(t, e))
		}
	}
	return out
}

// typedAttrs are the attributes CF requires to have the variable's type.
var typedAttrs = map[string]bool{"_FillValue": true, "missing_value": true, "valid_min": true, "valid_max": true, "valid_range": true}

// encodeAttr converts a formats attribute value to a header attribute. When
// varType is non-zero and the name is one of the attributes CF types like
// the variable (_FillValue, valid_range, ...), the values are stored in
// varType and must be representable in it. Otherwise Go types choose the
// external type: string → char, float64 → double, float32 → float, int64
// and int → int when they fit in 32 bits (int64 in CDF-5, double in CDF-1
// and CDF-2 otherwise), and the sized Go integer types map to their
// external types.
func encodeAttr(name string, v any, varType Type, ver Version) (attr, error) {
	a := attr{name: name}
	if s, ok := v.(string); ok {
		a.typ, a.n, a.bytes = Char, int64(len(s)), []byte(s)
		return a, nil
	}
	vals, natural, err := attrNumbers(v)
	if err != nil {
		return a, fmt.Errorf("attribute %s: %w", name, err)
	}
	a.typ = natural
	if varType != 0 && typedAttrs[name] {
		a.typ = varType
	} else if natural == Int64 && ver != CDF5 {
		a.typ = Double
		if allFit(vals, Int) {
			a.typ = Int
		}
	} else if natural == Int64 && allFit(vals, Int) {
		a.typ = Int
	}
	if !a.typ.validIn(ver) {
		return a, fmt.Errorf("attribute %s: type %v is not allowed in %v files", name, a.typ, ver)
	}
	if !allFit(vals, a.typ) {
		return a, fmt.Errorf("attribute %s: value %v is out of range for %v", name, v, a.typ)
	}
	a.n = int64(len(vals))
	a.bytes = make([]byte, len(vals)*a.typ.Size())
	for i, x := range vals {
		putValue(a.typ, a.bytes[i*a.typ.Size():], x)
	}
	return a, nil
}

// number is an attribute value kept exactly: f for floating-point values,
// i for integers (isInt).
type number struct {
	f     float64
	i     int64
	isInt bool
}

func attrNumbers(v any) ([]number, Type, error) {
	fl := func(xs ...float64) []number {
		out := make([]number, len(xs))
		for i, x := range xs {
			out[i] = number{f: x}
		}
		return out
	}
	in := func(xs ...int64) []number {
		out := make([]number, len(xs))
		for i, x := range xs {
			out[i] = number{i: x, f: float64(x), isInt: true}
		}
		return out
	}
	switch x := v.(type) {
	case float64:
		return fl(x), Double, nil
	case []float64:
		return fl(x...), Double, nil
	case float32:
		return fl(float64(x)), Float, nil
	case []float32:
		out := make([]number, len(x))
		for i, e := range x {
			out[i] = number{f: float64(e)}
		}
		return out, Float, nil
	case int64:
		return in(x), Int64, nil
	case []int64:
		return in(x...), Int64, nil
	case int:
		return in(int64(x)), Int64, nil
	case int32:
		return in(int64(x)), Int, nil
	case int16:
		return in(int64(x)), Short, nil
	case int8:
		return in(int64(x)), Byte, nil
	case uint8:
		return in(int64(x)), Ubyte, nil
	case uint16:
		return in(int64(x)), Ushort, nil
	case uint32:
		return in(int64(x)), Uint, nil
	}
	return nil, 0, fmt.Errorf("unsupported value type %T (want string, float64, int64 or a slice of them)", v)
}

// allFit reports whether every value is exactly representable in t.
func allFit(vals []number, t Type) bool {
	lo, hi := t.DType().Range()
	for _, x := range vals {
		switch t {
		case Float, Double:
			if limit := int64(1) << 53; x.isInt && (t == Float && (x.i >= 1<<24 || x.i <= -1<<24) || x.i >= limit || x.i <= -limit) {
				return false // an integer that the float would round
			}
			if t == Float && !math.IsNaN(x.f) && !math.IsInf(x.f, 0) && float64(float32(x.f)) != x.f {
				return false
			}
		default:
			if !x.isInt {
				if x.f != math.Trunc(x.f) || x.f < max(lo, -0x1p63) || x.f >= min(hi, 0x1p63) {
					return false
				}
				continue
			}
			if t == Uint64 {
				if x.i < 0 {
					return false
				}
				continue
			}
			if t != Int64 && (float64(x.i) < lo || float64(x.i) > hi) {
				return false
			}
		}
	}
	return true
}

// putValue stores x in type t, big-endian, at the start of b.
func putValue(t Type, b []byte, x number) {
	i := x.i
	if !x.isInt {
		i = int64(x.f)
	}
	switch t {
	case Byte, Ubyte:
		b[0] = byte(i)
	case Short, Ushort:
		binary.BigEndian.PutUint16(b, uint16(i))
	case Int, Uint:
		binary.BigEndian.PutUint32(b, uint32(i))
	case Int64, Uint64:
		binary.BigEndian.PutUint64(b, uint64(i))
	case Float:
		binary.BigEndian.PutUint32(b, math.Float32bits(float32(x.f)))
	case Double:
		binary.BigEndian.PutUint64(b, math.Float64bits(x.f))
	}
}
