package hdf5

import (
	"fmt"
	"reflect"
	"strings"
)

// Class is an HDF5 datatype class.
type Class int

// Datatype classes, numbered as in the HDF5 file format.
const (
	ClassFixedPoint Class = 0
	ClassFloat      Class = 1
	ClassTime       Class = 2
	ClassString     Class = 3
	ClassBitfield   Class = 4
	ClassOpaque     Class = 5
	ClassCompound   Class = 6
	ClassReference  Class = 7
	ClassEnum       Class = 8
	ClassVarLen     Class = 9
	ClassArray      Class = 10
)

var classNames = [...]string{"fixed-point", "float", "time", "string", "bitfield", "opaque", "compound", "reference", "enum", "variable-length", "array"}

// String returns the class name, e.g. "fixed-point".
func (c Class) String() string {
	if c >= 0 && int(c) < len(classNames) {
		return classNames[c]
	}
	return fmt.Sprintf("class(%d)", int(c))
}

// StringPad is the padding of fixed-length strings.
type StringPad int

// String padding kinds.
const (
	PadNullTerm StringPad = 0 // NUL terminated
	PadNull     StringPad = 1 // padded with NULs
	PadSpace    StringPad = 2 // padded with spaces (Fortran style)
)

// Member is one field of a compound datatype.
type Member struct {
	Name   string
	Offset int // byte offset inside the compound element
	Type   Datatype
}

// Datatype describes the type of a dataset's or attribute's elements.
type Datatype struct {
	Class     Class
	Size      int  // element size in bytes (for variable-length types, the size of the in-file descriptor)
	Signed    bool // fixed-point and enum bases: two's complement signed
	BigEndian bool // byte order of fixed-point, float, bitfield and time data
	// BitOffset and Precision describe the used bits of fixed-point,
	// bitfield and float types.
	BitOffset, Precision int
	StrPad               StringPad // strings
	UTF8                 bool      // strings: UTF-8 rather than ASCII
	VarLen               bool      // strings: variable-length (stored in the global heap)
	Members              []Member  // compound
	Base                 *Datatype // enum, array and variable-length sequences
	Dims                 []int     // array
	EnumNames            []string  // enum
	EnumValues           [][]byte  // enum, raw values in the base type's byte order
	RefRegion            bool      // reference: dataset region rather than object reference
	OpaqueTag            string    // opaque
}

// Kind maps the datatype to the Go kind used for its values:
// reflect.Int8..Int64, Uint8..Uint64, Float32, Float64, String, Struct
// (compound), Array, Slice (variable-length sequence), Uint64 (object
// reference addresses) or reflect.Invalid when no natural mapping exists.
func (t Datatype) Kind() reflect.Kind {
	switch t.Class {
	case ClassFixedPoint, ClassBitfield, ClassTime:
		return intKind(t.Size, t.Signed && t.Class == ClassFixedPoint)
	case ClassEnum:
		if t.Base != nil {
			return t.Base.Kind()
		}
	case ClassFloat:
		switch t.Size {
		case 4:
			return reflect.Float32
		case 8:
			return reflect.Float64
		}
	case ClassString:
		return reflect.String
	case ClassCompound:
		return reflect.Struct
	case ClassArray:
		return reflect.Array
	case ClassVarLen:
		return reflect.Slice
	case ClassReference:
		if !t.RefRegion {
			return reflect.Uint64
		}
	}
	return reflect.Invalid
}

func intKind(size int, signed bool) reflect.Kind {
	var k reflect.Kind
	switch size {
	case 1:
		k = reflect.Int8
	case 2:
		k = reflect.Int16
	case 4:
		k = reflect.Int32
	case 8:
		k = reflect.Int64
	default:
		return reflect.Invalid
	}
	if !signed {
		k += reflect.Uint8 - reflect.Int8
	}
	return k
}

// IsNumeric reports whether values are plain integers or floats that
// ReadHyperslab returns in host (little-endian) byte order.
func (t Datatype) IsNumeric() bool {
	switch t.Class {
	case ClassFixedPoint, ClassFloat:
		return t.Kind() != reflect.Invalid
	}
	return false
}

// String describes the type, e.g. "int16 (little-endian)" or "string(6, nullterm)".
func (t Datatype) String() string {
	order := "little-endian"
	if t.BigEndian {
		order = "big-endian"
	}
	switch t.Class {
	case ClassFixedPoint, ClassFloat:
		k := t.Kind()
		if k == reflect.Invalid {
			return fmt.Sprintf("%s(%d bytes, %s)", t.Class, t.Size, order)
		}
		return fmt.Sprintf("%s (%s)", k, order)
	case ClassString:
		pad := [...]string{"nullterm", "nullpad", "spacepad"}
		p := "pad?"
		if int(t.StrPad) < len(pad) {
			p = pad[t.StrPad]
		}
		if t.VarLen {
			return "string(variable, " + p + ")"
		}
		return fmt.Sprintf("string(%d, %s)", t.Size, p)
	case ClassCompound:
		var parts []string
		for _, m := range t.Members {
			parts = append(parts, m.Name+" "+m.Type.String())
		}
		return "compound{" + strings.Join(parts, "; ") + "}"
	case ClassArray:
		base := "?"
		if t.Base != nil {
			base = t.Base.String()
		}
		return fmt.Sprintf("array%v of %s", t.Dims, base)
	case ClassEnum:
		base := "?"
		if t.Base != nil {
			base = t.Base.String()
		}
		return fmt.Sprintf("enum(%s, %d members)", base, len(t.EnumNames))
	case ClassVarLen:
		base := "?"
		if t.Base != nil {
			base = t.Base.String()
		}
		return "vlen sequence of " + base
	case ClassReference:
		if t.RefRegion {
			return "region reference"
		}
		return "object reference"
	}
	return fmt.Sprintf("%s(%d bytes)", t.Class, t.Size)
}

const maxTypeDepth = 16

// parseDatatype decodes a datatype message at the decoder's position.
func (f *File) parseDatatype(d *decoder, depth int) (Datatype, error) {
	var t Datatype
	if depth > maxTypeDepth {
		return t, corruptf("datatype nested too deeply")
	}
	cv := d.u8()
	bits := d.bytes(3)
	size := d.u32()
	if d.err != nil {
		return t, d.err
	}
	version := int(cv >> 4)
	t.Class = Class(cv & 0x0f)
	if size > 1<<24 {
		return t, corruptf("datatype size %d too large", size)
	}
	t.Size = int(size)
	b0 := bits[0]
	switch t.Class {
	case ClassFixedPoint, ClassBitfield:
		t.BigEndian = b0&1 != 0
		t.Signed = b0&0x08 != 0
		t.BitOffset = int(d.u16())
		t.Precision = int(d.u16())
	case ClassFloat:
		t.BigEndian = b0&1 != 0
		if b0&0x40 != 0 {
			return t, unsupportedf("VAX float byte order")
		}
		t.Signed = true
		t.BitOffset = int(d.u16())
		t.Precision = int(d.u16())
		d.skip(4) // exponent/mantissa location and size
		d.skip(4) // exponent bias
	case ClassTime:
		t.BigEndian = b0&1 != 0
		d.skip(2)
	case ClassString:
		t.StrPad = StringPad(b0 & 0x0f)
		t.UTF8 = b0>>4 == 1
	case ClassOpaque:
		n := int(b0)
		t.OpaqueTag = cstring(d.bytes(n))
	case ClassCompound:
		n := int(bits[0]) | int(bits[1])<<8
		if n > d.remaining() {
			return t, corruptf("compound datatype: %d members cannot fit", n)
		}
		for i := 0; i < n; i++ {
			var m Member
			switch version {
			case 1, 2:
				m.Name = d.readPaddedName(8)
				m.Offset = int(d.u32())
				if version == 1 {
					rank := int(d.u8())
					d.skip(3 + 4 + 4)
					dims := make([]int, 0, 4)
					for j := 0; j < 4; j++ {
						dims = append(dims, int(d.u32()))
					}
					mt, err := f.parseDatatype(d, depth+1)
					if err != nil {
						return t, err
					}
					if rank > 0 && rank <= 4 {
						at := Datatype{Class: ClassArray, Base: &mt, Dims: dims[:rank]}
						at.Size = mt.Size
						for _, x := range at.Dims {
							at.Size *= x
						}
						m.Type = at
					} else {
						m.Type = mt
					}
					t.Members = append(t.Members, m)
					continue
				}
			case 3:
				m.Name = d.readPaddedName(1)
				m.Offset = int(d.uvar(bytesNeeded(uint64(t.Size))))
			default:
				return t, corruptf("compound datatype version %d", version)
			}
			mt, err := f.parseDatatype(d, depth+1)
			if err != nil {
				return t, err
			}
			m.Type = mt
			t.Members = append(t.Members, m)
		}
	case ClassReference:
		t.RefRegion = b0&0x0f == 1
	case ClassEnum:
		n := int(bits[0]) | int(bits[1])<<8
		base, err := f.parseDatatype(d, depth+1)
		if err != nil {
			return t, err
		}
		t.Base = &base
		t.Signed = base.Signed
		t.BigEndian = base.BigEndian
		if n > d.remaining() {
			return t, corruptf("enum datatype: %d members cannot fit", n)
		}
		pad := 8
		if version >= 3 {
			pad = 1
		}
		for i := 0; i < n; i++ {
			t.EnumNames = append(t.EnumNames, d.readPaddedName(pad))
		}
		for i := 0; i < n; i++ {
			t.EnumValues = append(t.EnumValues, d.bytes(base.Size))
		}
	case ClassVarLen:
		t.VarLen = b0&0x0f == 1
		if t.VarLen {
			t.Class = ClassString
			t.StrPad = StringPad(b0 >> 4 & 0x0f)
			t.UTF8 = bits[1]&0x0f == 1
		}
		base, err := f.parseDatatype(d, depth+1)
		if err != nil {
			return t, err
		}
		if !t.VarLen {
			t.Base = &base
		}
	case ClassArray:
		rank := int(d.u8())
		if version < 3 {
			d.skip(3)
		}
		for i := 0; i < rank; i++ {
			t.Dims = append(t.Dims, int(d.u32()))
		}
		if version < 3 {
			d.skip(4 * rank)
		}
		base, err := f.parseDatatype(d, depth+1)
		if err != nil {
			return t, err
		}
		t.Base = &base
	default:
		return t, corruptf("unknown datatype class %d", t.Class)
	}
	if d.err != nil {
		return t, d.err
	}
	return t, nil
}

// readPaddedName reads a NUL-terminated name whose total length (including
// the terminator) is padded to a multiple of pad bytes.
func (d *decoder) readPaddedName(pad int) string {
	if d.err != nil {
		return ""
	}
	rest := d.b[d.off:]
	i := 0
	for i < len(rest) && rest[i] != 0 {
		i++
	}
	if i == len(rest) {
		d.fail(i + 1)
		return ""
	}
	name := string(rest[:i])
	n := i + 1
	if pad > 1 {
		n = (n + pad - 1) / pad * pad
	}
	if n > len(rest) {
		n = len(rest)
	}
	d.off += n
	return name
}

// swapSpans returns the (offset, size) byte spans inside one element that
// must be reversed to convert it from file to little-endian byte order.
func (t *Datatype) swapSpans(base int, out [][2]int) [][2]int {
	switch t.Class {
	case ClassFixedPoint, ClassFloat, ClassBitfield, ClassTime:
		if t.BigEndian && t.Size > 1 {
			out = append(out, [2]int{base, t.Size})
		}
	case ClassEnum:
		if t.Base != nil {
			out = t.Base.swapSpans(base, out)
		}
	case ClassArray:
		if t.Base != nil && t.Base.Size > 0 {
			n := t.Size / t.Base.Size
			for i := 0; i < n && len(out) < 1<<16; i++ {
				out = t.Base.swapSpans(base+i*t.Base.Size, out)
			}
		}
	case ClassCompound:
		for i := range t.Members {
			out = t.Members[i].Type.swapSpans(base+t.Members[i].Offset, out)
		}
	}
	return out
}
