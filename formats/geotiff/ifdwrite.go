package geotiff

import (
	"encoding/binary"
	"math"
	"sort"
)

// le is the byte order of every file this package writes.
var le = binary.LittleEndian

// entry is one IFD entry to write, its values already encoded
// little-endian.
type entry struct {
	tag   uint16
	typ   uint16
	count uint64
	data  []byte
}

func shortEntry(tag uint16, v ...uint16) entry {
	b := make([]byte, 2*len(v))
	for i, x := range v {
		le.PutUint16(b[2*i:], x)
	}
	return entry{tag, typeShort, uint64(len(v)), b}
}

func longEntry(tag uint16, v ...uint32) entry {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		le.PutUint32(b[4*i:], x)
	}
	return entry{tag, typeLong, uint64(len(v)), b}
}

// offsetEntry stores offsets or byte counts as LONG in classic TIFF and
// LONG8 in BigTIFF.
func offsetEntry(tag uint16, big bool, v []uint64) entry {
	if !big {
		b := make([]byte, 4*len(v))
		for i, x := range v {
			le.PutUint32(b[4*i:], uint32(x))
		}
		return entry{tag, typeLong, uint64(len(v)), b}
	}
	b := make([]byte, 8*len(v))
	for i, x := range v {
		le.PutUint64(b[8*i:], x)
	}
	return entry{tag, typeLong8, uint64(len(v)), b}
}

func doubleEntry(tag uint16, v []float64) entry {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		le.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return entry{tag, typeDouble, uint64(len(v)), b}
}

func asciiEntry(tag uint16, s string) entry {
	b := append([]byte(s), 0)
	return entry{tag, typeASCII, uint64(len(b)), b}
}

// encodeIFD serialises entries as an IFD placed at file offset at, with
// values too large for an entry following it (word aligned), and next as
// the next IFD's offset. Its length depends only on the entries' types and
// counts, not on their values.
func encodeIFD(entries []entry, big bool, at, next uint64) []byte {
	sort.Slice(entries, func(i, j int) bool { return entries[i].tag < entries[j].tag })
	cnt, ent, val := 2, 12, 4
	if big {
		cnt, ent, val = 8, 20, 8
	}
	head := cnt + len(entries)*ent + val
	total := head
	for _, e := range entries {
		if len(e.data) > val {
			total += len(e.data) + 1
		}
	}
	// Full capacity up front: slots below point into out and must not move.
	out := make([]byte, head, total+1)
	if big {
		le.PutUint64(out, uint64(len(entries)))
	} else {
		le.PutUint16(out, uint16(len(entries)))
	}
	for i, e := range entries {
		p := out[cnt+i*ent:]
		le.PutUint16(p, e.tag)
		le.PutUint16(p[2:], e.typ)
		var slot []byte
		if big {
			le.PutUint64(p[4:], e.count)
			slot = p[12:20]
		} else {
			le.PutUint32(p[4:], uint32(e.count))
			slot = p[8:12]
		}
		if len(e.data) <= val {
			copy(slot, e.data)
			continue
		}
		if len(out)%2 == 1 {
			out = append(out, 0)
		}
		off := at + uint64(len(out))
		if big {
			le.PutUint64(slot, off)
		} else {
			le.PutUint32(slot, uint32(off))
		}
		out = append(out, e.data...)
	}
	if big {
		le.PutUint64(out[cnt+len(entries)*ent:], next)
	} else {
		le.PutUint32(out[cnt+len(entries)*ent:], uint32(next))
	}
	if len(out)%2 == 1 {
		out = append(out, 0)
	}
	return out
}

// header returns the TIFF header pointing at the first IFD.
func header(big bool, first uint64) []byte {
	if big {
		b := []byte{'I', 'I', 43, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
		le.PutUint64(b[8:], first)
		return b
	}
	b := []byte{'I', 'I', 42, 0, 0, 0, 0, 0}
	le.PutUint32(b[4:], uint32(first))
	return b
}
