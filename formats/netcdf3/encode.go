package netcdf3

import (
	"encoding/binary"
	"math"
)

// encoder appends header fields in the layout of one format version.
type encoder struct {
	b       []byte
	version Version
}

func (e *encoder) int32(v int32) { e.b = binary.BigEndian.AppendUint32(e.b, uint32(v)) }
func (e *encoder) int64(v int64) { e.b = binary.BigEndian.AppendUint64(e.b, uint64(v)) }

// nonNeg appends a count: 32 bits in CDF-1 and CDF-2, 64 bits in CDF-5.
func (e *encoder) nonNeg(v int64) {
	if e.version == CDF5 {
		e.int64(v)
	} else {
		e.int32(int32(v))
	}
}

func (e *encoder) padded(b []byte) {
	e.b = append(e.b, b...)
	for len(e.b)%4 != 0 {
		e.b = append(e.b, 0)
	}
}

func (e *encoder) name(s string) {
	e.nonNeg(int64(len(s)))
	e.padded([]byte(s))
}

func (e *encoder) list(tag int32, n int) {
	if n == 0 {
		e.int32(0)
	} else {
		e.int32(tag)
	}
	e.nonNeg(int64(n))
}

func (e *encoder) attrs(as []attr) {
	e.list(tagAttribute, len(as))
	for _, a := range as {
		e.name(a.name)
		e.int32(int32(a.typ))
		e.nonNeg(a.n)
		e.padded(a.bytes)
	}
}

// encode returns the header's bytes. Variables' begin fields are written
// as they are, so a first call with zero begins gives the header length
// (the field widths do not depend on the values).
func (h *header) encode() []byte {
	e := &encoder{version: h.version}
	e.b = append(e.b, 'C', 'D', 'F', byte(h.version))
	e.nonNeg(h.numrecs)
	e.list(tagDimension, len(h.dims))
	for _, d := range h.dims {
		e.name(d.name)
		e.nonNeg(d.size)
	}
	e.attrs(h.global)
	e.list(tagVariable, len(h.vars))
	for _, v := range h.vars {
		e.name(v.name)
		e.nonNeg(int64(len(v.dimids)))
		for _, id := range v.dimids {
			e.nonNeg(int64(id))
		}
		e.attrs(v.attrs)
		e.int32(int32(v.typ))
		vsize := pad4(v.slab)
		if h.version != CDF5 && vsize > math.MaxUint32-3 {
			vsize = math.MaxUint32 // the spec's marker for a variable too large to size in 32 bits
		}
		if h.version == CDF5 {
			e.int64(vsize)
		} else {
			e.b = binary.BigEndian.AppendUint32(e.b, uint32(vsize))
		}
		if h.version == CDF1 {
			e.int32(int32(v.begin))
		} else {
			e.int64(v.begin)
		}
	}
	return e.b
}
