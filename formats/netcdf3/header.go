package netcdf3

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// The tags that start the header's lists.
const (
	tagDimension = 0x0A
	tagVariable  = 0x0B
	tagAttribute = 0x0C
)

// maxHeaderItem bounds a single name or attribute value in a header. Real
// headers hold kilobytes; the bound stops a corrupt count from allocating
// most of a large file before it is found out.
const maxHeaderItem = 1 << 26

// streamingNumrecs is the numrecs of a file still being written: the
// number of records is then found from the file size.
const streamingNumrecs = -1

// errHeader is wrapped by every error that reports a malformed header.
var errHeader = errors.New("malformed header")

// header is a parsed NetCDF classic header.
type header struct {
	version  Version
	numrecs  int64
	dims     []dim
	global   []attr
	vars     []variable
	end      int64 // offset of the first byte after the header
	recsize  int64 // bytes from one record to the next
	recBegin int64 // offset of record 0 (the least begin of the record variables)
}

// dim is one dimension; size 0 marks the record (unlimited) dimension.
type dim struct {
	name string
	size int64
}

// attr is one attribute with its values still in file (big-endian) order.
type attr struct {
	name  string
	typ   Type
	n     int64  // number of values
	bytes []byte // n*typ.Size() bytes, unpadded
}

// variable is one variable of the header.
type variable struct {
	name   string
	dimids []int
	shape  []int64 // dimension sizes; the record dimension counts numrecs
	attrs  []attr
	typ    Type
	begin  int64
	record bool  // the first dimension is the record dimension
	slab   int64 // bytes of one record (record variables) or of all data
}

// isCoord reports whether v is a coordinate variable: one-dimensional and
// named after its dimension.
func (h *header) isCoord(v *variable) bool {
	return len(v.dimids) == 1 && h.dims[v.dimids[0]].name == v.name
}

// decoder reads header fields, refusing to read past the end of the file.
type decoder struct {
	r       *bufio.Reader
	version Version
	pos     int64
	size    int64 // the file size
	err     error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w at byte %d: %s", errHeader, d.pos, fmt.Sprintf(format, args...))
	}
}

func (d *decoder) read(n int64) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > d.size-d.pos {
		d.fail("%d bytes wanted, file ends after %d more (truncated header)", n, d.size-d.pos)
		return nil
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(d.r, b); err != nil {
		d.fail("read: %v", err)
		return nil
	}
	d.pos += n
	return b
}

func (d *decoder) skipPad(n int64) {
	if p := pad4(n) - n; p > 0 {
		d.read(p)
	}
}

func (d *decoder) int32() int32 {
	b := d.read(4)
	if b == nil {
		return 0
	}
	return int32(binary.BigEndian.Uint32(b))
}

func (d *decoder) int64() int64 {
	b := d.read(8)
	if b == nil {
		return 0
	}
	return int64(binary.BigEndian.Uint64(b))
}

// nonNeg reads a count: 32 bits in CDF-1 and CDF-2, 64 bits in CDF-5.
func (d *decoder) nonNeg(what string) int64 {
	var v int64
	if d.version == CDF5 {
		v = d.int64()
	} else {
		v = int64(d.int32())
	}
	if v < 0 && d.err == nil {
		d.fail("negative %s %d", what, v)
	}
	return v
}

// count reads a list length and checks that that many entries of at least
// min bytes each fit in the rest of the file.
func (d *decoder) count(what string, min int64) int64 {
	n := d.nonNeg(what)
	if d.err == nil && n > (d.size-d.pos)/min {
		d.fail("%d %s do not fit in the %d bytes left in the file", n, what, d.size-d.pos)
	}
	return n
}

func (d *decoder) name(what string) string {
	n := d.nonNeg(what + " name length")
	if d.err != nil {
		return ""
	}
	if n == 0 || n > maxHeaderItem {
		d.fail("%s name length %d", what, n)
		return ""
	}
	b := d.read(n)
	d.skipPad(n)
	return string(b)
}

// list reads a list's tag and length; ABSENT (two zeros) gives 0.
func (d *decoder) list(tag int32, what string) int64 {
	t := d.int32()
	if d.err != nil {
		return 0
	}
	if t == 0 {
		if n := d.nonNeg(what + " count"); n != 0 && d.err == nil {
			d.fail("absent %s list with count %d", what, n)
		}
		return 0
	}
	if t != tag {
		d.fail("%s list tag 0x%x, want 0x%x", what, t, tag)
		return 0
	}
	return d.count(what, 8)
}

func (d *decoder) attrs(what string) []attr {
	n := d.list(tagAttribute, what+" attributes")
	var out []attr
	for i := int64(0); i < n && d.err == nil; i++ {
		a := attr{name: d.name("attribute")}
		a.typ = Type(d.int32())
		if d.err != nil {
			break
		}
		if !a.typ.validIn(d.version) {
			d.fail("attribute %s%s has type %d, not a %v type", what, a.name, int32(a.typ), d.version)
			break
		}
		a.n = d.nonNeg("attribute length")
		if d.err == nil && a.n > maxHeaderItem/int64(a.typ.Size()) {
			d.fail("attribute %s%s has %d values", what, a.name, a.n)
			break
		}
		nb := a.n * int64(a.typ.Size())
		a.bytes = d.read(nb)
		d.skipPad(nb)
		out = append(out, a)
	}
	return out
}

// parseHeader reads and validates the header of a file of the given size.
// Every count, size and offset is checked against size before use, so a
// corrupt header yields an error and never a huge allocation.
func parseHeader(ra io.ReaderAt, size int64) (*header, error) {
	d := &decoder{r: bufio.NewReaderSize(io.NewSectionReader(ra, 0, size), 64<<10), size: size}
	magic := d.read(4)
	if d.err != nil {
		return nil, fmt.Errorf("%w: file of %d bytes is too short for a NetCDF header", errHeader, size)
	}
	if string(magic[:3]) != "CDF" || (magic[3] != 1 && magic[3] != 2 && magic[3] != 5) {
		return nil, fmt.Errorf("%w: magic %q is not CDF\\x01, CDF\\x02 or CDF\\x05", errHeader, magic)
	}
	h := &header{version: Version(magic[3])}
	d.version = h.version
	if h.version == CDF5 {
		h.numrecs = d.int64()
	} else {
		h.numrecs = int64(d.int32())
	}
	if h.numrecs < 0 && h.numrecs != streamingNumrecs {
		d.fail("negative record count %d", h.numrecs)
	}
	ndims := d.list(tagDimension, "dimensions")
	records := 0
	for i := int64(0); i < ndims && d.err == nil; i++ {
		dm := dim{name: d.name("dimension")}
		dm.size = d.nonNeg("dimension size")
		if dm.size == 0 {
			records++
		}
		h.dims = append(h.dims, dm)
	}
	if records > 1 {
		d.fail("%d unlimited dimensions, at most one is allowed", records)
	}
	h.global = d.attrs("")
	nvars := d.list(tagVariable, "variables")
	for i := int64(0); i < nvars && d.err == nil; i++ {
		v := variable{name: d.name("variable")}
		nd := d.count("dimension ids", 4)
		for j := int64(0); j < nd && d.err == nil; j++ {
			id := d.nonNeg("dimension id")
			if d.err == nil && id >= int64(len(h.dims)) {
				d.fail("variable %s uses dimension id %d of %d", v.name, id, len(h.dims))
			}
			v.dimids = append(v.dimids, int(id))
		}
		v.attrs = d.attrs(v.name + ":")
		v.typ = Type(d.int32())
		if d.err == nil && !v.typ.validIn(h.version) {
			d.fail("variable %s has type %d, not a %v type", v.name, int32(v.typ), h.version)
		}
		d.nonNeg("vsize") // recomputed below: CDF-2 clamps it for large variables
		if h.version == CDF1 {
			v.begin = int64(d.int32())
		} else {
			v.begin = d.int64()
		}
		h.vars = append(h.vars, v)
	}
	if d.err != nil {
		return nil, d.err
	}
	h.end = d.pos
	if err := h.layout(size); err != nil {
		return nil, err
	}
	return h, nil
}

// layout computes shapes, record size and record count, and checks that
// every variable's data lies after the header and inside the file.
func (h *header) layout(size int64) error {
	nrecvars := 0
	h.recBegin = math.MaxInt64
	for i := range h.vars {
		v := &h.vars[i]
		if v.begin < h.end {
			return fmt.Errorf("%w: variable %s begins at byte %d, inside the %d-byte header", errHeader, v.name, v.begin, h.end)
		}
		n := int64(v.typ.Size())
		for j, id := range v.dimids {
			s := h.dims[id].size
			if s == 0 {
				if j != 0 {
					return fmt.Errorf("%w: variable %s uses the unlimited dimension %s in position %d, only first is allowed", errHeader, v.name, h.dims[id].name, j)
				}
				v.record = true
				continue
			}
			if n > math.MaxInt64/s {
				return fmt.Errorf("%w: variable %s has more than 2^63 bytes", errHeader, v.name)
			}
			n *= s
		}
		v.slab = n
		if v.record {
			nrecvars++
			h.recBegin = min(h.recBegin, v.begin)
		} else if n > size-v.begin {
			return fmt.Errorf("%w: variable %s declares %d bytes at byte %d, beyond the end of the %d-byte file", errHeader, v.name, n, v.begin, size)
		}
	}
	if nrecvars == 0 {
		if h.numrecs == streamingNumrecs {
			h.numrecs = 0
		}
		h.fillShapes()
		return nil
	}
	for i := range h.vars {
		if v := &h.vars[i]; v.record {
			if nrecvars == 1 {
				h.recsize = v.slab // a lone record variable's records are not padded
			} else if pad4(v.slab) > math.MaxInt64-h.recsize {
				return fmt.Errorf("%w: record size overflows", errHeader)
			} else {
				h.recsize += pad4(v.slab)
			}
		}
	}
	if h.numrecs == streamingNumrecs {
		h.numrecs = 0
		if h.recsize > 0 && size > h.recBegin {
			h.numrecs = (size - h.recBegin) / h.recsize
		}
	}
	for i := range h.vars {
		v := &h.vars[i]
		if !v.record || h.numrecs == 0 {
			continue
		}
		if h.recsize > 0 && h.numrecs-1 > (size-v.begin)/h.recsize {
			return fmt.Errorf("%w: variable %s declares %d records of %d bytes at byte %d, beyond the end of the %d-byte file", errHeader, v.name, h.numrecs, h.recsize, v.begin, size)
		}
		if end := (h.numrecs-1)*h.recsize + v.slab; end > size-v.begin {
			return fmt.Errorf("%w: variable %s declares %d records of %d bytes at byte %d, beyond the end of the %d-byte file", errHeader, v.name, h.numrecs, h.recsize, v.begin, size)
		}
	}
	h.fillShapes()
	return nil
}

func (h *header) fillShapes() {
	for i := range h.vars {
		v := &h.vars[i]
		v.shape = make([]int64, len(v.dimids))
		for j, id := range v.dimids {
			v.shape[j] = h.dims[id].size
			if v.shape[j] == 0 {
				v.shape[j] = h.numrecs
			}
		}
	}
}

// pad4 rounds n up to a multiple of 4.
func pad4(n int64) int64 { return (n + 3) &^ 3 }
