package hdf5

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"strings"
	"sync"

	"chunkpipe/internal/inflate"
)

// Filter is one entry of a dataset's filter pipeline.
type Filter struct {
	ID         uint16   // filter identifier (1 deflate, 2 shuffle, 3 fletcher32, ...)
	Name       string   // name stored in the file, or the registered name
	Optional   bool     // the filter may be skipped when it fails on write
	ClientData []uint32 // filter parameters (e.g. the deflate level)
}

// Filter identifiers decoded by this package.
const (
	FilterDeflate    = 1
	FilterShuffle    = 2
	FilterFletcher32 = 3
)

var knownFilters = map[uint16]string{
	1: "deflate", 2: "shuffle", 3: "fletcher32", 4: "szip", 5: "nbit", 6: "scaleoffset",
	305: "lzo", 307: "bzip2", 32000: "lzf", 32001: "blosc", 32004: "lz4", 32008: "bitshuffle",
	32013: "zfp", 32015: "zstd", 32017: "sz", 32026: "blosc2",
}

// String describes the filter, e.g. "deflate(level 1)".
func (ft Filter) String() string {
	name := ft.Name
	if known, ok := knownFilters[ft.ID]; ok {
		name = known
	}
	if name == "" {
		name = fmt.Sprintf("filter%d", ft.ID)
	}
	if ft.ID == FilterDeflate && len(ft.ClientData) > 0 {
		return fmt.Sprintf("deflate(level %d)", ft.ClientData[0])
	}
	return name
}

// parseFilters decodes a filter pipeline message (versions 1 and 2).
func (f *File) parseFilters(data []byte) ([]Filter, error) {
	d := f.newDecoder(data, "filter pipeline message")
	ver := d.u8()
	n := int(d.u8())
	if ver == 1 {
		d.skip(6)
	} else if ver != 2 {
		return nil, corruptf("filter pipeline message version %d", ver)
	}
	if n > 32 {
		return nil, corruptf("filter pipeline: %d filters", n)
	}
	var out []Filter
	for i := 0; i < n; i++ {
		var ft Filter
		ft.ID = d.u16()
		nameLen := 0
		if ver == 1 || ft.ID >= 256 {
			nameLen = int(d.u16())
		}
		flags := d.u16()
		ft.Optional = flags&1 != 0
		nv := int(d.u16())
		if nameLen > 0 {
			ft.Name = cstring(d.bytes(nameLen))
		}
		if nv > d.remaining()/4 {
			return nil, corruptf("filter pipeline: %d client values overrun message", nv)
		}
		for j := 0; j < nv; j++ {
			ft.ClientData = append(ft.ClientData, d.u32())
		}
		if ver == 1 && nv%2 == 1 {
			d.skip(4)
		}
		if ft.Name == "" {
			ft.Name = knownFilters[ft.ID]
		}
		out = append(out, ft)
	}
	if d.err != nil {
		return nil, d.err
	}
	return out, nil
}

// maxDeflateRatio is the largest expansion a deflate stream can achieve
// (plus slack); larger claimed sizes indicate a corrupt file.
const maxDeflateRatio = 1100

// maxChunkBytes bounds the decoded size of one chunk.
const maxChunkBytes = 1 << 31

// checkFilters returns an error for the first filter this package cannot
// decode; variable names the dataset in the message.
func checkFilters(filters []Filter, variable string) error {
	for _, ft := range filters {
		switch ft.ID {
		case FilterDeflate, FilterShuffle, FilterFletcher32:
		default:
			name := ft.Name
			if known, ok := knownFilters[ft.ID]; ok {
				name = known
			}
			if name == "" {
				name = "unknown"
			}
			return unsupportedf("unsupported filter %d (%s) in variable %s", ft.ID, name, variable)
		}
	}
	return nil
}

// bufPools hold byte buffers by size class: pool c holds buffers of
// capacity 1<<c, so a request never receives a buffer that is too small.
var bufPools [48]sync.Pool

// getBuf returns a pooled buffer of length n.
func getBuf(n int) *[]byte {
	c := bits.Len(uint(n - 1))
	if n <= 1 {
		c = 0
	}
	if c >= len(bufPools) {
		b := make([]byte, n)
		return &b
	}
	if p, ok := bufPools[c].Get().(*[]byte); ok {
		*p = (*p)[:n]
		return p
	}
	b := make([]byte, n, 1<<c)
	return &b
}

// putBuf returns a buffer obtained from getBuf to its pool.
func putBuf(p *[]byte) {
	if p == nil {
		return
	}
	c := bits.Len(uint(cap(*p))) - 1
	if c < 0 || c >= len(bufPools) || cap(*p) != 1<<c {
		return
	}
	bufPools[c].Put(p)
}

// unzlib decodes the zlib stream in src into exactly len(dst) bytes and
// checks its Adler-32 trailer.
func unzlib(src, dst []byte) error {
	if err := inflate.DecodeZlib(dst, src); err != nil {
		return corruptf("deflate: %v", err)
	}
	return nil
}

// spreadBytes moves byte k of v to byte 2k of the result, zeros between.
func spreadBytes(v uint32) uint64 {
	x := uint64(v)
	x = (x | x<<16) & 0x0000ffff0000ffff
	return (x | x<<8) & 0x00ff00ff00ff00ff
}

// unshuffle reverses the HDF5 shuffle filter with element size es.
func unshuffle(src, dst []byte, es int) {
	n := len(src) / es
	if es <= 1 || n <= 1 {
		copy(dst, src)
		return
	}
	interleave(dst[:n*es], src, n, 0, es)
	copy(dst[n*es:], src[n*es:])
}

// interleave writes elements i0, i0+1, ... of the shuffled data src (es
// planes of n bytes: byte j of element i is src[j*n+i]) into dst, whole
// elements, as many as dst holds.
func interleave(dst, src []byte, n, i0, es int) {
	cnt := len(dst) / es
	switch es {
	case 2:
		// Eight elements at a time: the bytes of 8 first and 8 second
		// halves are spread into alternate byte lanes of two words.
		a, b, d := src[i0:i0+cnt], src[n+i0:n+i0+cnt], dst[:2*cnt]
		i := 0
		for ; i+8 <= cnt; i += 8 {
			x := binary.LittleEndian.Uint64(a[i:])
			y := binary.LittleEndian.Uint64(b[i:])
			binary.LittleEndian.PutUint64(d[2*i:], spreadBytes(uint32(x))|spreadBytes(uint32(y))<<8)
			binary.LittleEndian.PutUint64(d[2*i+8:], spreadBytes(uint32(x>>32))|spreadBytes(uint32(y>>32))<<8)
		}
		for ; i < cnt; i++ {
			d[2*i] = a[i]
			d[2*i+1] = b[i]
		}
	case 4:
		a, b, c, e := src[i0:i0+cnt], src[n+i0:n+i0+cnt], src[2*n+i0:2*n+i0+cnt], src[3*n+i0:3*n+i0+cnt]
		d := dst[:4*cnt]
		for i := range a {
			d[4*i] = a[i]
			d[4*i+1] = b[i]
			d[4*i+2] = c[i]
			d[4*i+3] = e[i]
		}
	default:
		for j := 0; j < es; j++ {
			plane := src[j*n+i0 : j*n+i0+cnt]
			for i, v := range plane {
				dst[i*es+j] = v
			}
		}
	}
}

// runPipeline undoes the filters (those not masked out) on a raw chunk held
// in the pooled buffer raw (which it takes over) and returns a pooled buffer
// of exactly want bytes. The caller must putBuf the result.
// With keepShuffle, a shuffle by whole elements that is the last step of
// decoding (the first filter) is left undone and its element size returned
// as shuffled: the caller unshuffles while copying the chunk out.
func runPipeline(filters []Filter, mask uint32, raw *[]byte, want int, elemSize int, keepShuffle bool) (out *[]byte, shuffled int, err error) {
	// Size of the data after forward filter i (sizes[i+1]); sizes[0] = want.
	var sizeBuf [33]int
	sizes := sizeBuf[:len(filters)+1]
	sizes[0] = want
	for i, ft := range filters {
		sizes[i+1] = sizes[i]
		if mask&(1<<uint(i)) == 0 && ft.ID == FilterFletcher32 {
			sizes[i+1] += 4
		}
	}
	cur := raw
	for i := len(filters) - 1; i >= 0; i-- {
		if mask&(1<<uint(i)) != 0 {
			continue
		}
		ft := filters[i]
		data := *cur
		switch ft.ID {
		case FilterFletcher32:
			if len(data) < 4 {
				putBuf(cur)
				return nil, 0, corruptf("fletcher32: chunk too short")
			}
			n := len(data) - 4
			stored := binary.LittleEndian.Uint32(data[n:])
			sum := fletcher32(data[:n])
			swapped := sum>>24 | (sum>>8)&0xff00 | (sum<<8)&0xff0000 | sum<<24
			if stored != sum && stored != swapped {
				putBuf(cur)
				return nil, 0, corruptf("fletcher32 checksum mismatch")
			}
			*cur = data[:n]
		case FilterShuffle:
			es := elemSize
			if len(ft.ClientData) > 0 && ft.ClientData[0] > 0 {
				es = int(ft.ClientData[0])
			}
			if keepShuffle && i == 0 && es > 1 && es == elemSize && len(data)%es == 0 {
				shuffled = es
				continue
			}
			un := getBuf(len(data))
			unshuffle(data, *un, es)
			putBuf(cur)
			cur = un
		case FilterDeflate:
			n := sizes[i]
			if uint64(n) > uint64(len(data))*maxDeflateRatio+1024 {
				putBuf(cur)
				return nil, 0, corruptf("deflate: %d compressed bytes cannot expand to %d", len(data), n)
			}
			dec := getBuf(n)
			if err := unzlib(data, *dec); err != nil {
				putBuf(cur)
				putBuf(dec)
				return nil, 0, err
			}
			putBuf(cur)
			cur = dec
		default:
			putBuf(cur)
			return nil, 0, unsupportedf("unsupported filter %d", ft.ID)
		}
	}
	if len(*cur) != want {
		n := len(*cur)
		putBuf(cur)
		return nil, 0, corruptf("decoded chunk has %d bytes, want %d", n, want)
	}
	return cur, shuffled, nil
}

// describeFilters summarises a pipeline, e.g. "shuffle+deflate(level 5)".
func describeFilters(filters []Filter) string {
	if len(filters) == 0 {
		return "none"
	}
	parts := make([]string, len(filters))
	for i, ft := range filters {
		parts[i] = ft.String()
	}
	return strings.Join(parts, "+")
}
