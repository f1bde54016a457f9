package hdf5

import (
	"encoding/binary"
	"io"
)

// undefAddr is the HDF5 "undefined address" (all bits set).
const undefAddr = ^uint64(0)

// maxMetadataBlock bounds any single metadata read (object header chunk,
// heap block, B-tree node). Real files use far smaller blocks.
const maxMetadataBlock = 64 << 20

// readAt reads n bytes at file offset off (already including the base
// address) after checking the range against the file size, so corrupt sizes
// never cause large allocations.
func (f *File) readAt(off, n uint64, what string) ([]byte, error) {
	if off == undefAddr {
		return nil, corruptf("%s: undefined address", what)
	}
	size := uint64(f.size)
	if off > size || n > size-off {
		return nil, corruptf("%s: range [%d, +%d) beyond end of file (%d bytes)", what, off, n, size)
	}
	buf := make([]byte, n)
	if err := f.readInto(buf, off, what); err != nil {
		return nil, err
	}
	return buf, nil
}

// readInto fills buf from file offset off; the range must already be checked
// or is checked here.
func (f *File) readInto(buf []byte, off uint64, what string) error {
	size := uint64(f.size)
	if off > size || uint64(len(buf)) > size-off {
		return corruptf("%s: range [%d, +%d) beyond end of file (%d bytes)", what, off, len(buf), size)
	}
	n, err := f.r.ReadAt(buf, int64(off))
	if n == len(buf) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return wrapf(err, "%s: read %d bytes at %d", what, len(buf), off)
}

// addr converts a file-relative address to an absolute offset, keeping the
// undefined address undefined.
func (f *File) addr(a uint64) uint64 {
	if a == undefAddr {
		return a
	}
	return a + f.base
}

// decoder is a bounds-checked little-endian cursor over a byte slice. The
// first out-of-range access sets err; later accesses return zero values.
type decoder struct {
	b    []byte
	off  int
	err  error
	osz  int // size of offsets (addresses) in bytes
	lsz  int // size of lengths in bytes
	what string
}

func (f *File) newDecoder(b []byte, what string) *decoder {
	return &decoder{b: b, osz: f.offsetSize, lsz: f.lengthSize, what: what}
}

func (d *decoder) fail(n int) {
	if d.err == nil {
		d.err = corruptf("%s: truncated structure (need %d bytes at offset %d of %d)", d.what, n, d.off, len(d.b))
	}
}

// bytes returns the next n bytes (a subslice, not a copy).
func (d *decoder) bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b)-d.off {
		d.fail(n)
		return nil
	}
	s := d.b[d.off : d.off+n]
	d.off += n
	return s
}

func (d *decoder) skip(n int) { d.bytes(n) }

func (d *decoder) remaining() int {
	if d.err != nil {
		return 0
	}
	return len(d.b) - d.off
}

func (d *decoder) u8() uint8 {
	s := d.bytes(1)
	if s == nil {
		return 0
	}
	return s[0]
}

func (d *decoder) u16() uint16 {
	s := d.bytes(2)
	if s == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(s)
}

func (d *decoder) u32() uint32 {
	s := d.bytes(4)
	if s == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(s)
}

func (d *decoder) u64() uint64 {
	s := d.bytes(8)
	if s == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(s)
}

// uvar reads an n-byte little-endian unsigned integer (0 <= n <= 8).
func (d *decoder) uvar(n int) uint64 {
	if n > 8 {
		d.fail(n)
		return 0
	}
	return leUint(d.bytes(n))
}

// address reads an address of the file's offset size; all-ones becomes undefAddr.
func (d *decoder) address() uint64 {
	s := d.bytes(d.osz)
	if s == nil {
		return undefAddr
	}
	return decodeAddr(s)
}

// length reads a length of the file's length size.
func (d *decoder) length() uint64 { return leUint(d.bytes(d.lsz)) }

// leUint decodes up to 8 little-endian bytes.
func leUint(s []byte) uint64 {
	var v uint64
	for i := len(s) - 1; i >= 0; i-- {
		v = v<<8 | uint64(s[i])
	}
	return v
}

// decodeAddr decodes an address, mapping all-ones to undefAddr.
func decodeAddr(s []byte) uint64 {
	all := true
	for _, c := range s {
		if c != 0xff {
			all = false
			break
		}
	}
	if all {
		return undefAddr
	}
	return leUint(s)
}

// bytesNeeded returns the number of bytes needed to encode values up to max.
func bytesNeeded(max uint64) int {
	n := 1
	for max > 0xff {
		max >>= 8
		n++
	}
	return n
}

// log2floor returns floor(log2(v)) for v > 0 and 0 for v == 0.
func log2floor(v uint64) int {
	n := -1
	for v != 0 {
		v >>= 1
		n++
	}
	if n < 0 {
		return 0
	}
	return n
}

// cstring returns s up to its first NUL byte.
func cstring(s []byte) string {
	for i, c := range s {
		if c == 0 {
			return string(s[:i])
		}
	}
	return string(s)
}

// checkedMul multiplies non-negative a and b, reporting overflow past limit.
func checkedMul(a, b, limit uint64) (uint64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	if a > limit/b {
		return 0, false
	}
	return a * b, true
}
