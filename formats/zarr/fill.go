package zarr

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"chunkpipe/chunk"
)

// nan is NumPy's NaN (quiet, no payload). math.NaN sets a payload bit,
// which would make NaN fills differ bit for bit from zarr-python's.
var nan = math.Float64frombits(0x7ff8000000000000)

// fillValue is an array's fill_value: the value of elements in chunks that
// were never written and of the padding in edge chunks.
type fillValue struct {
	Set bool    // false for a JSON null: no fill value, read as zero
	F   float64 // the value for floating-point types
	I   int64   // the value for signed integer types
	U   uint64  // the value for unsigned integer types
}

// parseFill parses the JSON fill_value of an array of type t. Floats accept
// numbers and the strings "NaN", "Infinity" and "-Infinity"; integers accept
// integral numbers within the type's range.
func parseFill(raw json.RawMessage, t chunk.DType) (fillValue, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return fillValue{}, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return fillValue{}, fmt.Errorf("bad fill_value %s: %v", raw, err)
		}
		if !t.IsFloat() {
			return fillValue{}, fmt.Errorf("bad fill_value %q for %v", s, t)
		}
		switch s {
		case "NaN":
			return fillValue{Set: true, F: nan}, nil
		case "Infinity":
			return fillValue{Set: true, F: math.Inf(1)}, nil
		case "-Infinity":
			return fillValue{Set: true, F: math.Inf(-1)}, nil
		}
		return fillValue{}, fmt.Errorf("bad fill_value %q (want a number, \"NaN\", \"Infinity\" or \"-Infinity\")", s)
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return fillValue{}, fmt.Errorf("bad fill_value %s: want a number", raw)
	}
	if t.IsFloat() {
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return fillValue{}, fmt.Errorf("bad fill_value %s: %v", n, err)
		}
		return fillValue{Set: true, F: f}, nil
	}
	return intFill(string(n), t)
}

// intFill parses an integer fill value, accepting integral decimals such as
// "0.0" that some writers produce.
func intFill(s string, t chunk.DType) (fillValue, error) {
	if t.IsSigned() {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return checkIntFill(fillValue{Set: true, I: i, F: float64(i)}, t, s)
		}
	} else if u, err := strconv.ParseUint(s, 10, 64); err == nil {
		return checkIntFill(fillValue{Set: true, U: u, F: float64(u)}, t, s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.IsInf(f, 0) {
		return fillValue{}, fmt.Errorf("bad fill_value %s for %v: not an integer", s, t)
	}
	return fillFromFloat(f, t)
}

func checkIntFill(v fillValue, t chunk.DType, s string) (fillValue, error) {
	lo, hi := t.Range()
	if t.IsSigned() && (float64(v.I) < lo || float64(v.I) > hi) || !t.IsSigned() && float64(v.U) > hi {
		return fillValue{}, fmt.Errorf("bad fill_value %s: out of range for %v", s, t)
	}
	return v, nil
}

// fillFromFloat converts a numeric attribute such as _FillValue into the
// fill value of type t, failing when t cannot represent it exactly.
func fillFromFloat(f float64, t chunk.DType) (fillValue, error) {
	if t.IsFloat() {
		if t == chunk.Float32 && !math.IsNaN(f) && !math.IsInf(f, 0) && float64(float32(f)) != f {
			return fillValue{}, fmt.Errorf("fill value %v is not representable as %v", f, t)
		}
		return fillValue{Set: true, F: f}, nil
	}
	lo, hi := t.Range()
	if math.IsNaN(f) || f != math.Trunc(f) || f < lo || f > hi {
		return fillValue{}, fmt.Errorf("fill value %v is not representable as %v", f, t)
	}
	if t.IsSigned() {
		return fillValue{Set: true, I: int64(f), F: f}, nil
	}
	if f >= math.MaxUint64 {
		return fillValue{Set: true, U: math.MaxUint64, F: f}, nil
	}
	return fillValue{Set: true, U: uint64(f), F: f}, nil
}

// json returns the fill_value as .zarray spells it.
func (v fillValue) json(t chunk.DType) any {
	switch {
	case !v.Set:
		return nil
	case t.IsFloat() && math.IsNaN(v.F):
		return "NaN"
	case t.IsFloat() && math.IsInf(v.F, 1):
		return "Infinity"
	case t.IsFloat() && math.IsInf(v.F, -1):
		return "-Infinity"
	case t.IsFloat():
		return json.Number(strconv.FormatFloat(v.F, 'g', -1, 64))
	case t.IsSigned():
		return v.I
	}
	return v.U
}

// attr returns the fill value as a _FillValue attribute value: a float64
// for floating-point types, an int64 for integers (float64 above MaxInt64).
func (v fillValue) attr(t chunk.DType) any {
	switch {
	case t.IsFloat():
		return v.F
	case t.IsSigned():
		return v.I
	case v.U > math.MaxInt64:
		return float64(v.U)
	}
	return int64(v.U)
}

// elem returns one element holding the fill value in host byte order; the
// zero element when no fill value is set.
func (v fillValue) elem(t chunk.DType) []byte {
	b := make([]byte, t.Size())
	if !v.Set {
		return b
	}
	ne := binary.NativeEndian
	switch t {
	case chunk.Int8:
		b[0] = byte(int8(v.I))
	case chunk.Uint8:
		b[0] = byte(v.U)
	case chunk.Int16:
		ne.PutUint16(b, uint16(int16(v.I)))
	case chunk.Uint16:
		ne.PutUint16(b, uint16(v.U))
	case chunk.Int32:
		ne.PutUint32(b, uint32(int32(v.I)))
	case chunk.Uint32:
		ne.PutUint32(b, uint32(v.U))
	case chunk.Int64:
		ne.PutUint64(b, uint64(v.I))
	case chunk.Uint64:
		ne.PutUint64(b, v.U)
	case chunk.Float32:
		f := float32(v.F)
		if math.IsNaN(v.F) {
			f = float32(nan)
		}
		ne.PutUint32(b, math.Float32bits(f))
	case chunk.Float64:
		f := v.F
		if math.IsNaN(f) {
			f = nan
		}
		ne.PutUint64(b, math.Float64bits(f))
	}
	return b
}

// fillBytes sets every element of dst, a whole number of elements, to elem.
func fillBytes(dst, elem []byte) {
	if len(dst) == 0 {
		return
	}
	if allZero(elem) {
		clear(dst)
		return
	}
	n := copy(dst, elem)
	for n < len(dst) {
		n += copy(dst[n:], dst[:n])
	}
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
