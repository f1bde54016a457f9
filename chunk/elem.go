package chunk

import (
	"encoding/binary"
	"fmt"
	"math"
)

// PutElem stores v as one element of type t at the start of b, little
// endian (the host order of every platform chunkpipe builds for, as
// [Array] data is kept). Integer types take v truncated toward zero and
// wrapped to their width; a value that is not an integer, or NaN, is an
// error for them. b must hold at least t.Size() bytes.
func PutElem(b []byte, t DType, v float64) error {
	if !t.IsFloat() && (math.IsNaN(v) || v != math.Trunc(v)) {
		return fmt.Errorf("chunk: value %v is not an integer of type %v", v, t)
	}
	switch t {
	case Float64:
		binary.LittleEndian.PutUint64(b, math.Float64bits(v))
	case Float32:
		binary.LittleEndian.PutUint32(b, math.Float32bits(float32(v)))
	case Int8, Uint8:
		b[0] = byte(int64(v))
	case Int16, Uint16:
		binary.LittleEndian.PutUint16(b, uint16(int64(v)))
	case Int32, Uint32:
		binary.LittleEndian.PutUint32(b, uint32(int64(v)))
	case Int64, Uint64:
		binary.LittleEndian.PutUint64(b, uint64(int64(v)))
	default:
		return fmt.Errorf("chunk: cannot store type %v", t)
	}
	return nil
}
