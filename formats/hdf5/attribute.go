package hdf5

import (
	"encoding/binary"
	"math"
	"sort"
	"strings"
)

// Attribute is a decoded attribute of a group or dataset.
//
// Value holds the decoded data: for fixed-point types a slice of the
// matching Go integer type ([]int8, []uint16, ...), for floats []float32 or
// []float64, for strings a string (scalar or single element) or []string,
// for object references []uint64 (absolute object header addresses), for
// variable-length sequences [][]byte (raw elements), and the raw []byte for
// anything else (compound, opaque, array, region references).
type Attribute struct {
	Name  string
	Type  Datatype
	Shape []int // nil for a scalar attribute
	Value any
}

// maxAttributes bounds the number of attributes of one object.
const maxAttributes = 1 << 16

// AsString returns the value as a string when it is a string or a
// single-element string array.
func (a Attribute) AsString() (string, bool) {
	switch v := a.Value.(type) {
	case string:
		return v, true
	case []string:
		if len(v) == 1 {
			return v[0], true
		}
		return strings.Join(v, ","), true
	}
	return "", false
}

// Float64s converts a numeric value to []float64.
func (a Attribute) Float64s() ([]float64, bool) {
	switch v := a.Value.(type) {
	case []float64:
		return append([]float64(nil), v...), true
	case []float32:
		return convert(v, func(x float32) float64 { return float64(x) }), true
	case []int8:
		return convert(v, func(x int8) float64 { return float64(x) }), true
	case []uint8:
		return convert(v, func(x uint8) float64 { return float64(x) }), true
	case []int16:
		return convert(v, func(x int16) float64 { return float64(x) }), true
	case []uint16:
		return convert(v, func(x uint16) float64 { return float64(x) }), true
	case []int32:
		return convert(v, func(x int32) float64 { return float64(x) }), true
	case []uint32:
		return convert(v, func(x uint32) float64 { return float64(x) }), true
	case []int64:
		return convert(v, func(x int64) float64 { return float64(x) }), true
	case []uint64:
		if a.Type.Class == ClassReference {
			return nil, false
		}
		return convert(v, func(x uint64) float64 { return float64(x) }), true
	}
	return nil, false
}

// Float64 returns the first element of a numeric value.
func (a Attribute) Float64() (float64, bool) {
	v, ok := a.Float64s()
	if !ok || len(v) == 0 {
		return 0, false
	}
	return v[0], true
}

// Int64s converts an integer value to []int64 (uint64 values above
// math.MaxInt64 wrap).
func (a Attribute) Int64s() ([]int64, bool) {
	switch v := a.Value.(type) {
	case []int8:
		return convert(v, func(x int8) int64 { return int64(x) }), true
	case []uint8:
		return convert(v, func(x uint8) int64 { return int64(x) }), true
	case []int16:
		return convert(v, func(x int16) int64 { return int64(x) }), true
	case []uint16:
		return convert(v, func(x uint16) int64 { return int64(x) }), true
	case []int32:
		return convert(v, func(x int32) int64 { return int64(x) }), true
	case []uint32:
		return convert(v, func(x uint32) int64 { return int64(x) }), true
	case []int64:
		return append([]int64(nil), v...), true
	case []uint64:
		if a.Type.Class == ClassReference {
			return nil, false
		}
		return convert(v, func(x uint64) int64 { return int64(x) }), true
	}
	return nil, false
}

func convert[S, D any](in []S, fn func(S) D) []D {
	out := make([]D, len(in))
	for i, x := range in {
		out[i] = fn(x)
	}
	return out
}

// parseAttribute decodes an attribute message (versions 1 to 3).
func (f *File) parseAttribute(data []byte) (Attribute, error) {
	var a Attribute
	d := f.newDecoder(data, "attribute message")
	ver := d.u8()
	flags := d.u8()
	nameSize := int(d.u16())
	dtSize := int(d.u16())
	dsSize := int(d.u16())
	pad := func(n int) int { return n }
	switch ver {
	case 1:
		pad = func(n int) int { return (n + 7) &^ 7 }
	case 2:
	case 3:
		d.skip(1) // name character set
	default:
		return a, corruptf("attribute message version %d", ver)
	}
	nameB := d.bytes(pad(nameSize))
	dtB := d.bytes(pad(dtSize))
	dsB := d.bytes(pad(dsSize))
	if d.err != nil {
		return a, d.err
	}
	a.Name = cstring(nameB[:min(nameSize, len(nameB))])
	var err error
	if flags&0x01 != 0 {
		dtB, err = f.resolveSharedData(dtB, msgDatatype)
		if err != nil {
			return a, wrapf(err, "attribute %q", a.Name)
		}
	}
	a.Type, err = f.parseDatatype(f.newDecoder(dtB, "attribute datatype"), 0)
	if err != nil {
		return a, wrapf(err, "attribute %q", a.Name)
	}
	if flags&0x02 != 0 {
		dsB, err = f.resolveSharedData(dsB, msgDataspace)
		if err != nil {
			return a, wrapf(err, "attribute %q", a.Name)
		}
	}
	ds, err := f.parseDataspace(dsB)
	if err != nil {
		return a, wrapf(err, "attribute %q", a.Name)
	}
	if len(ds.dims) > 0 {
		a.Shape = ds.dims
	}
	n := uint64(ds.numElements())
	total, ok := checkedMul(n, uint64(a.Type.Size), uint64(d.remaining()))
	if !ok || total > uint64(d.remaining()) {
		return a, corruptf("attribute %q: data (%d x %d bytes) overruns message", a.Name, n, a.Type.Size)
	}
	raw := d.bytes(int(total))
	a.Value, err = f.decodeValues(a.Type, int(n), len(ds.dims) == 0, raw)
	if err != nil {
		return a, wrapf(err, "attribute %q", a.Name)
	}
	return a, nil
}

// resolveSharedData follows a shared-message reference stored inline.
func (f *File) resolveSharedData(b []byte, t uint16) ([]byte, error) {
	m := message{typ: t, flags: msgFlagShared, data: b}
	return f.resolveShared(&m, t)
}

// decodeValues converts n raw elements of type t to a Go value (see Attribute).
func (f *File) decodeValues(t Datatype, n int, scalar bool, raw []byte) (any, error) {
	var order binary.ByteOrder = binary.LittleEndian
	if t.BigEndian {
		order = binary.BigEndian
	}
	es := t.Size
	switch t.Class {
	case ClassFixedPoint, ClassBitfield, ClassEnum, ClassTime:
		signed := t.Signed && t.Class != ClassBitfield
		switch es {
		case 1:
			if signed {
				return each(n, func(i int) int8 { return int8(raw[i]) }), nil
			}
			return append([]uint8(nil), raw[:n]...), nil
		case 2:
			if signed {
				return each(n, func(i int) int16 { return int16(order.Uint16(raw[2*i:])) }), nil
			}
			return each(n, func(i int) uint16 { return order.Uint16(raw[2*i:]) }), nil
		case 4:
			if signed {
				return each(n, func(i int) int32 { return int32(order.Uint32(raw[4*i:])) }), nil
			}
			return each(n, func(i int) uint32 { return order.Uint32(raw[4*i:]) }), nil
		case 8:
			if signed {
				return each(n, func(i int) int64 { return int64(order.Uint64(raw[8*i:])) }), nil
			}
			return each(n, func(i int) uint64 { return order.Uint64(raw[8*i:]) }), nil
		}
	case ClassFloat:
		switch es {
		case 4:
			return each(n, func(i int) float32 { return math.Float32frombits(order.Uint32(raw[4*i:])) }), nil
		case 8:
			return each(n, func(i int) float64 { return math.Float64frombits(order.Uint64(raw[8*i:])) }), nil
		}
	case ClassString:
		strs := make([]string, n)
		for i := range strs {
			if t.VarLen {
				s, err := f.vlenBytes(raw[i*es : (i+1)*es])
				if err != nil {
					return nil, err
				}
				strs[i] = trimString(s, t.StrPad)
			} else {
				strs[i] = trimString(raw[i*es:(i+1)*es], t.StrPad)
			}
		}
		if n == 1 {
			return strs[0], nil
		}
		if n == 0 && scalar {
			return "", nil
		}
		return strs, nil
	case ClassReference:
		if !t.RefRegion && es == f.offsetSize {
			return each(n, func(i int) uint64 { return f.addr(decodeAddr(raw[i*es : (i+1)*es])) }), nil
		}
	case ClassVarLen:
		if t.Base == nil {
			break
		}
		out := make([][]byte, n)
		for i := range out {
			b, err := f.vlenSequence(raw[i*es:(i+1)*es], t.Base.Size)
			if err != nil {
				return nil, err
			}
			out[i] = b
		}
		return out, nil
	}
	return append([]byte(nil), raw...), nil
}

func each[T any](n int, fn func(int) T) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = fn(i)
	}
	return out
}

// trimString removes padding from a fixed-length string.
func trimString(b []byte, pad StringPad) string {
	switch pad {
	case PadSpace:
		return strings.TrimRight(string(b), " ")
	default:
		return cstring(b)
	}
}

// vlenBytes reads the bytes of a variable-length string descriptor
// (length, global heap collection address, object index).
func (f *File) vlenBytes(desc []byte) ([]byte, error) {
	return f.vlenSequence(desc, 1)
}

// vlenSequence reads a variable-length sequence of elemSize-byte elements.
func (f *File) vlenSequence(desc []byte, elemSize int) ([]byte, error) {
	d := f.newDecoder(desc, "variable-length descriptor")
	n := uint64(d.u32())
	addr := d.address()
	idx := d.u32()
	if d.err != nil {
		return nil, d.err
	}
	if n == 0 || addr == undefAddr || addr == 0 {
		return nil, nil
	}
	obj, err := f.globalHeapObject(f.addr(addr), idx)
	if err != nil {
		return nil, err
	}
	want, ok := checkedMul(n, uint64(elemSize), uint64(len(obj)))
	if !ok || want > uint64(len(obj)) {
		return nil, corruptf("variable-length data: %d elements exceed heap object of %d bytes", n, len(obj))
	}
	return obj[:want], nil
}

// objectAttributes decodes all attributes of an object header, compact
// (attribute messages) and dense (attribute info message).
func (f *File) objectAttributes(oh *objectHeader) ([]Attribute, error) {
	var attrs []Attribute
	for i := range oh.messages {
		m := &oh.messages[i]
		switch m.typ {
		case msgAttribute:
			if m.flags&msgFlagShared != 0 {
				return nil, unsupportedf("shared attribute messages")
			}
			a, err := f.parseAttribute(m.data)
			if err != nil {
				return nil, err
			}
			attrs = append(attrs, a)
		case msgAttrInfo:
			heap, nameIdx, err := f.openDense(m.data, "attribute info message", 2)
			if err != nil {
				return nil, wrapf(err, "dense attribute storage")
			}
			if heap == nil {
				continue
			}
			type ordered struct {
				order uint32
				attr  Attribute
			}
			var dense []ordered
			err = f.walkBTree2(f.addr(nameIdx), bt2AttrName, func(rec []byte) error {
				if len(rec) < 13 {
					return corruptf("attribute name record too short")
				}
				if rec[8]&msgFlagShared != 0 {
					return unsupportedf("shared attribute messages")
				}
				obj, err := heap.get(rec[:8])
				if err != nil {
					return err
				}
				a, err := f.parseAttribute(obj)
				if err != nil {
					return err
				}
				if len(dense) >= maxAttributes {
					return corruptf("too many attributes")
				}
				dense = append(dense, ordered{binary.LittleEndian.Uint32(rec[9:13]), a})
				return nil
			})
			if err != nil {
				return nil, wrapf(err, "dense attribute storage")
			}
			// The name index is ordered by name hash: present creation order
			// (when tracked; otherwise all orders are 0) and then name order.
			sort.Slice(dense, func(i, j int) bool {
				if dense[i].order != dense[j].order {
					return dense[i].order < dense[j].order
				}
				return dense[i].attr.Name < dense[j].attr.Name
			})
			for _, o := range dense {
				attrs = append(attrs, o.attr)
			}
		}
		if len(attrs) > maxAttributes {
			return nil, corruptf("too many attributes")
		}
	}
	return attrs, nil
}
