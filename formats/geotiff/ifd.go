package geotiff

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
)

// maxIFDs bounds the IFD chain; real files hold a handful.
const maxIFDs = 4096

// field is one IFD entry with its value bytes loaded, still in file order.
type field struct {
	Tag   uint16
	Type  uint16
	Count uint64
	data  []byte
	order binary.ByteOrder
}

// ifd is one image file directory.
type ifd struct {
	Offset int64
	Fields []field // in file order
}

// structure is the parsed TIFF skeleton: header and every IFD of the main
// chain.
type structure struct {
	order  binary.ByteOrder
	big    bool // BigTIFF
	little bool // little-endian byte order
	size   int64
	ifds   []*ifd
}

// fileErr formats an error prefixed with the package and file name.
func fileErr(path, format string, args ...any) error {
	return fmt.Errorf("geotiff: %s: "+format, append([]any{path}, args...)...)
}

// readFull reads len(b) bytes at off, after checking the range against size.
func readFull(r io.ReaderAt, size int64, b []byte, off int64) error {
	if off < 0 || off > size || int64(len(b)) > size-off {
		return fmt.Errorf("range [%d, +%d) beyond end of file (%d bytes)", off, len(b), size)
	}
	n, err := r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// parseStructure reads the header and walks the IFD chain.
func parseStructure(r io.ReaderAt, size int64, path string) (*structure, error) {
	if size < 8 {
		return nil, fileErr(path, "file too short for a TIFF header (%d bytes)", size)
	}
	hdr := make([]byte, 16)
	if err := readFull(r, size, hdr[:min(16, int(size))], 0); err != nil {
		return nil, fileErr(path, "header: %v", err)
	}
	s := &structure{size: size}
	switch string(hdr[:2]) {
	case "II":
		s.order, s.little = binary.LittleEndian, true
	case "MM":
		s.order = binary.BigEndian
	default:
		return nil, fileErr(path, "not a TIFF file (byte order mark %q)", hdr[:2])
	}
	var first uint64
	switch v := s.order.Uint16(hdr[2:]); v {
	case 42:
		first = uint64(s.order.Uint32(hdr[4:]))
	case 43:
		if size < 16 {
			return nil, fileErr(path, "file too short for a BigTIFF header (%d bytes)", size)
		}
		if s.order.Uint16(hdr[4:]) != 8 || s.order.Uint16(hdr[6:]) != 0 {
			return nil, fileErr(path, "BigTIFF header with offset size %d (want 8)", s.order.Uint16(hdr[4:]))
		}
		s.big = true
		first = s.order.Uint64(hdr[8:])
	default:
		return nil, fileErr(path, "not a TIFF file (version %d, want 42 or 43)", v)
	}
	seen := map[uint64]bool{}
	for off := first; off != 0; {
		if len(s.ifds) >= maxIFDs {
			return nil, fileErr(path, "more than %d IFDs", maxIFDs)
		}
		if seen[off] {
			return nil, fileErr(path, "IFD chain loops back to offset %d", off)
		}
		seen[off] = true
		d, next, err := s.readIFD(r, off)
		if err != nil {
			return nil, fileErr(path, "IFD %d at offset %d: %v", len(s.ifds), off, err)
		}
		s.ifds = append(s.ifds, d)
		off = next
	}
	if len(s.ifds) == 0 {
		return nil, fileErr(path, "no IFD (first IFD offset is 0)")
	}
	return s, nil
}

// readIFD reads the IFD at off and returns it with the next IFD's offset.
func (s *structure) readIFD(r io.ReaderAt, off uint64) (*ifd, uint64, error) {
	if off > uint64(s.size) {
		return nil, 0, fmt.Errorf("offset beyond end of file (%d bytes)", s.size)
	}
	cntSize, entSize, valSize := 2, 12, 4
	if s.big {
		cntSize, entSize, valSize = 8, 20, 8
	}
	cb := make([]byte, cntSize)
	if err := readFull(r, s.size, cb, int64(off)); err != nil {
		return nil, 0, err
	}
	var n uint64
	if s.big {
		n = s.order.Uint64(cb)
	} else {
		n = uint64(s.order.Uint16(cb))
	}
	if n == 0 {
		return nil, 0, fmt.Errorf("IFD has no entries")
	}
	if n > uint64(s.size)/uint64(entSize) {
		return nil, 0, fmt.Errorf("%d entries do not fit in the file", n)
	}
	body := make([]byte, int(n)*entSize+valSize)
	if err := readFull(r, s.size, body, int64(off)+int64(cntSize)); err != nil {
		return nil, 0, err
	}
	d := &ifd{Offset: int64(off), Fields: make([]field, 0, n)}
	for i := 0; i < int(n); i++ {
		e := body[i*entSize : (i+1)*entSize]
		f := field{Tag: s.order.Uint16(e), Type: s.order.Uint16(e[2:]), order: s.order}
		var val []byte
		if s.big {
			f.Count = s.order.Uint64(e[4:])
			val = e[12:20]
		} else {
			f.Count = uint64(s.order.Uint32(e[4:]))
			val = e[8:12]
		}
		ts := typeSize(f.Type)
		if ts == 0 {
			continue // unknown type: skip, as libtiff does
		}
		if f.Count > uint64(s.size)/uint64(ts) {
			return nil, 0, fmt.Errorf("tag %s: %d values do not fit in the file", tagName(f.Tag), f.Count)
		}
		nb := int(f.Count) * ts
		if nb <= valSize {
			f.data = append([]byte(nil), val[:nb]...)
		} else {
			var vo uint64
			if s.big {
				vo = s.order.Uint64(val)
			} else {
				vo = uint64(s.order.Uint32(val))
			}
			f.data = make([]byte, nb)
			if vo > uint64(s.size) {
				return nil, 0, fmt.Errorf("tag %s: value offset %d beyond end of file", tagName(f.Tag), vo)
			}
			if err := readFull(r, s.size, f.data, int64(vo)); err != nil {
				return nil, 0, fmt.Errorf("tag %s: %v", tagName(f.Tag), err)
			}
		}
		d.Fields = append(d.Fields, f)
	}
	nb := body[int(n)*entSize:]
	var next uint64
	if s.big {
		next = s.order.Uint64(nb)
	} else {
		next = uint64(s.order.Uint32(nb))
	}
	return d, next, nil
}

// field returns the entry with tag t.
func (d *ifd) field(t uint16) (*field, bool) {
	for i := range d.Fields {
		if d.Fields[i].Tag == t {
			return &d.Fields[i], true
		}
	}
	return nil, false
}

// uints returns the integer values of tag t; ok is false when the tag is
// absent or not of an unsigned integer type.
func (d *ifd) uints(t uint16) ([]uint64, bool) {
	f, ok := d.field(t)
	if !ok {
		return nil, false
	}
	return f.uints()
}

// uint returns the first value of an integer tag, or def when absent.
func (d *ifd) uint(t uint16, def uint64) (uint64, error) {
	f, ok := d.field(t)
	if !ok {
		return def, nil
	}
	v, ok := f.uints()
	if !ok || len(v) == 0 {
		return 0, fmt.Errorf("tag %s has type %d and %d values, want an integer", tagName(t), f.Type, f.Count)
	}
	return v[0], nil
}

// uints decodes an unsigned integer field.
func (f *field) uints() ([]uint64, bool) {
	n := int(f.Count)
	out := make([]uint64, n)
	switch f.Type {
	case typeByte, typeUndefined:
		for i := range out {
			out[i] = uint64(f.data[i])
		}
	case typeShort:
		for i := range out {
			out[i] = uint64(f.order.Uint16(f.data[2*i:]))
		}
	case typeLong, typeIFD:
		for i := range out {
			out[i] = uint64(f.order.Uint32(f.data[4*i:]))
		}
	case typeLong8, typeIFD8:
		for i := range out {
			out[i] = f.order.Uint64(f.data[8*i:])
		}
	default:
		return nil, false
	}
	return out, true
}

// floats decodes any numeric field as float64.
func (f *field) floats() []float64 {
	n := int(f.Count)
	out := make([]float64, n)
	o := f.order
	for i := range out {
		switch f.Type {
		case typeByte, typeUndefined:
			out[i] = float64(f.data[i])
		case typeSByte:
			out[i] = float64(int8(f.data[i]))
		case typeShort:
			out[i] = float64(o.Uint16(f.data[2*i:]))
		case typeSShort:
			out[i] = float64(int16(o.Uint16(f.data[2*i:])))
		case typeLong, typeIFD:
			out[i] = float64(o.Uint32(f.data[4*i:]))
		case typeSLong:
			out[i] = float64(int32(o.Uint32(f.data[4*i:])))
		case typeLong8, typeIFD8:
			out[i] = float64(o.Uint64(f.data[8*i:]))
		case typeSLong8:
			out[i] = float64(int64(o.Uint64(f.data[8*i:])))
		case typeFloat:
			out[i] = float64(math.Float32frombits(o.Uint32(f.data[4*i:])))
		case typeDouble:
			out[i] = math.Float64frombits(o.Uint64(f.data[8*i:]))
		case typeRational:
			out[i] = float64(o.Uint32(f.data[8*i:])) / float64(o.Uint32(f.data[8*i+4:]))
		case typeSRational:
			out[i] = float64(int32(o.Uint32(f.data[8*i:]))) / float64(int32(o.Uint32(f.data[8*i+4:])))
		case typeASCII:
			return nil
		}
	}
	return out
}

// ascii returns an ASCII field without its trailing NULs.
func (f *field) ascii() string {
	return strings.TrimRight(string(f.data), "\x00")
}

// str returns the ASCII value of tag t.
func (d *ifd) str(t uint16) (string, bool) {
	f, ok := d.field(t)
	if !ok || (f.Type != typeASCII && f.Type != typeByte && f.Type != typeUndefined) {
		return "", false
	}
	return f.ascii(), true
}

// floats returns the values of numeric tag t.
func (d *ifd) floats(t uint16) ([]float64, bool) {
	f, ok := d.field(t)
	if !ok || f.Type == typeASCII {
		return nil, false
	}
	return f.floats(), true
}
