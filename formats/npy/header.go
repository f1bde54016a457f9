package npy

import (
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"

	"chunkpipe/chunk"
)

// Magic is the first six bytes of every .npy file.
const Magic = "\x93NUMPY"

// maxHeaderLen bounds the header dictionary we are willing to read. It is
// far above what any array this package reads needs (numpy pads headers
// to 64 bytes; only structured dtypes with many fields grow them).
const maxHeaderLen = 1 << 20

// numpyMaxHeaderLen is numpy's default max_header_size (numpy >= 1.24):
// np.load refuses longer headers unless allow_pickle=True. Errors quote it.
const numpyMaxHeaderLen = 10000

// Header is the parsed header of a .npy file.
type Header struct {
	Major, Minor int
	DType        chunk.DType
	BigEndian    bool
	Fortran      bool
	Shape        []int
	DataOffset   int64 // where the elements start
}

// ReadHeader parses the header at the start of r. size is the file's size,
// used to check that the declared array fits in the file.
func ReadHeader(r io.ReaderAt, size int64) (*Header, error) {
	pre := make([]byte, 12)
	if n, err := r.ReadAt(pre, 0); n < 10 {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("truncated header: %w", err)
	}
	if string(pre[:6]) != Magic {
		return nil, fmt.Errorf("not a .npy file (bad magic)")
	}
	h := &Header{Major: int(pre[6]), Minor: int(pre[7])}
	var hlen, start int64
	switch h.Major {
	case 1:
		hlen, start = int64(binary.LittleEndian.Uint16(pre[8:10])), 10
	case 2, 3:
		if size < 12 {
			return nil, fmt.Errorf("truncated header")
		}
		hlen, start = int64(binary.LittleEndian.Uint32(pre[8:12])), 12
	default:
		return nil, fmt.Errorf("unsupported .npy version %d.%d", h.Major, h.Minor)
	}
	if hlen > maxHeaderLen {
		return nil, fmt.Errorf("header length %d bytes is over the limit of %d (numpy itself reads at most %d unless the file is trusted)", hlen, maxHeaderLen, numpyMaxHeaderLen)
	}
	if start+hlen > size {
		return nil, fmt.Errorf("header length %d exceeds the file (%d bytes)", hlen, size)
	}
	buf := make([]byte, hlen)
	if _, err := r.ReadAt(buf, start); err != nil {
		return nil, fmt.Errorf("truncated header: %w", err)
	}
	h.DataOffset = start + hlen
	if err := h.parseDict(string(buf)); err != nil {
		return nil, err
	}
	n := int64(h.DType.Size())
	for _, d := range h.Shape {
		if d < 0 {
			return nil, fmt.Errorf("negative dimension in shape %v", h.Shape)
		}
		if d > 0 && n > (1<<62)/int64(d) {
			return nil, fmt.Errorf("shape %v is impossibly large", h.Shape)
		}
		n *= int64(d)
	}
	if h.DataOffset+n > size {
		return nil, fmt.Errorf("file is truncated: shape %v of %v needs %d data bytes, file has %d", h.Shape, h.DType, n, size-h.DataOffset)
	}
	return h, nil
}

// parseDict reads the Python literal dict of the header, e.g.
// {'descr': '<i2', 'fortran_order': False, 'shape': (3, 4), }
func (h *Header) parseDict(s string) error {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
		return fmt.Errorf("header is not a dict: %.60q", s)
	}
	body := s[1 : len(s)-1]
	var haveDescr, haveShape bool
	for len(strings.TrimSpace(body)) > 0 {
		body = strings.TrimSpace(body)
		key, rest, ok := quoted(body)
		if !ok {
			return fmt.Errorf("bad header key near %.40q", body)
		}
		rest = strings.TrimSpace(rest)
		if !strings.HasPrefix(rest, ":") {
			return fmt.Errorf("bad header: missing ':' after %q", key)
		}
		rest = strings.TrimSpace(rest[1:])
		switch key {
		case "descr":
			v, r2, ok := quoted(rest)
			if !ok {
				return fmt.Errorf("bad descr near %.40q (structured dtypes are not supported)", rest)
			}
			if err := h.setDescr(v); err != nil {
				return err
			}
			haveDescr, rest = true, r2
		case "fortran_order":
			switch {
			case strings.HasPrefix(rest, "True"):
				h.Fortran, rest = true, rest[4:]
			case strings.HasPrefix(rest, "False"):
				h.Fortran, rest = false, rest[5:]
			default:
				return fmt.Errorf("bad fortran_order near %.40q", rest)
			}
		case "shape":
			if !strings.HasPrefix(rest, "(") {
				return fmt.Errorf("bad shape near %.40q", rest)
			}
			end := strings.Index(rest, ")")
			if end < 0 {
				return fmt.Errorf("bad shape: no ')'")
			}
			h.Shape = h.Shape[:0]
			for _, f := range strings.Split(rest[1:end], ",") {
				f = strings.TrimSpace(f)
				if f == "" {
					continue
				}
				f = strings.TrimSuffix(f, "L")
				d, err := strconv.ParseInt(f, 10, 64)
				if err != nil || d < 0 || d > 1<<40 {
					return fmt.Errorf("bad shape dimension %q", f)
				}
				h.Shape = append(h.Shape, int(d))
			}
			haveShape, rest = true, rest[end+1:]
		default:
			return fmt.Errorf("unknown header key %q", key)
		}
		rest = strings.TrimSpace(rest)
		rest = strings.TrimPrefix(rest, ",")
		body = rest
	}
	if !haveDescr || !haveShape {
		return fmt.Errorf("header lacks descr or shape")
	}
	return nil
}

func (h *Header) setDescr(d string) error {
	if len(d) < 2 {
		return fmt.Errorf("bad descr %q", d)
	}
	order, code := d[0], d[1:]
	t, err := chunk.ParseDType(code)
	if err != nil || len(code) < 2 {
		return fmt.Errorf("unsupported dtype %q (want a numeric type such as <i2 or <f4)", d)
	}
	switch order {
	case '<', '|':
	case '>':
		h.BigEndian = t.Size() > 1
	case '=':
	default:
		return fmt.Errorf("bad byte order in descr %q", d)
	}
	h.DType = t
	return nil
}

// quoted reads a '...' or "..." string at the start of s.
func quoted(s string) (val, rest string, ok bool) {
	if s == "" || (s[0] != '\'' && s[0] != '"') {
		return "", s, false
	}
	end := strings.IndexByte(s[1:], s[0])
	if end < 0 {
		return "", s, false
	}
	return s[1 : 1+end], s[2+end:], true
}

// Shape2D returns the header's shape as rows x cols: 1-D arrays are one
// row, and leading dimensions of size 1 are dropped.
func (h *Header) Shape2D() (chunk.Shape, error) {
	dims := h.Shape
	for len(dims) > 2 && dims[0] == 1 {
		dims = dims[1:]
	}
	switch len(dims) {
	case 0:
		return chunk.Shape{Rows: 1, Cols: 1}, nil
	case 1:
		return chunk.Shape{Rows: 1, Cols: dims[0]}, nil
	case 2:
		return chunk.Shape{Rows: dims[0], Cols: dims[1]}, nil
	}
	return chunk.Shape{}, fmt.Errorf("array of shape %v is not 2-D", h.Shape)
}

// Encode returns a version 1.0 header (2.0 if it must be longer) for a
// little-endian C-order array of the given type and shape, padded so that
// the data starts on a 64-byte boundary.
func Encode(t chunk.DType, rows, cols int) []byte {
	descr := "<" + code(t)
	if t.Size() == 1 {
		descr = "|" + code(t)
	}
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }", descr, rows, cols)
	pre := 10
	total := pre + len(dict) + 1
	pad := (64 - total%64) % 64
	if len(dict)+1+pad > 65535 {
		pre = 12
		total = pre + len(dict) + 1
		pad = (64 - total%64) % 64
	}
	hl := len(dict) + pad + 1
	out := make([]byte, 0, pre+hl)
	out = append(out, Magic...)
	if pre == 10 {
		out = append(out, 1, 0)
		out = binary.LittleEndian.AppendUint16(out, uint16(hl))
	} else {
		out = append(out, 2, 0)
		out = binary.LittleEndian.AppendUint32(out, uint32(hl))
	}
	out = append(out, dict...)
	for i := 0; i < pad; i++ {
		out = append(out, ' ')
	}
	return append(out, '\n')
}

func code(t chunk.DType) string {
	switch t {
	case chunk.Int8:
		return "i1"
	case chunk.Uint8:
		return "u1"
	case chunk.Int16:
		return "i2"
	case chunk.Uint16:
		return "u2"
	case chunk.Int32:
		return "i4"
	case chunk.Uint32:
		return "u4"
	case chunk.Int64:
		return "i8"
	case chunk.Uint64:
		return "u8"
	case chunk.Float64:
		return "f8"
	}
	return "f4"
}
