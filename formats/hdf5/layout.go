package hdf5

import "fmt"

// LayoutKind is the storage layout of a dataset's raw data.
type LayoutKind int

// Storage layouts.
const (
	LayoutCompact    LayoutKind = 0 // data inside the object header
	LayoutContiguous LayoutKind = 1 // one contiguous block
	LayoutChunked    LayoutKind = 2 // fixed-size chunks located through an index
	LayoutVirtual    LayoutKind = 3 // virtual dataset (not readable here)
)

// String returns "compact", "contiguous", "chunked" or "virtual".
func (k LayoutKind) String() string {
	switch k {
	case LayoutCompact:
		return "compact"
	case LayoutContiguous:
		return "contiguous"
	case LayoutChunked:
		return "chunked"
	case LayoutVirtual:
		return "virtual"
	}
	return fmt.Sprintf("layout(%d)", int(k))
}

// ChunkIndexKind is the structure indexing the chunks of a chunked dataset.
type ChunkIndexKind int

// Chunk index kinds (IndexNone for non-chunked datasets).
const (
	IndexNone            ChunkIndexKind = 0
	IndexSingleChunk     ChunkIndexKind = 1 // layout v4: one chunk, no index
	IndexImplicit        ChunkIndexKind = 2 // layout v4: chunks stored in order, no index
	IndexFixedArray      ChunkIndexKind = 3 // layout v4: fixed array
	IndexExtensibleArray ChunkIndexKind = 4 // layout v4: extensible array (one unlimited dimension)
	IndexBTree2          ChunkIndexKind = 5 // layout v4: version 2 B-tree (several unlimited dimensions)
	IndexBTree1          ChunkIndexKind = 6 // layout v1-v3: version 1 B-tree
)

// String names the index kind.
func (k ChunkIndexKind) String() string {
	switch k {
	case IndexNone:
		return "none"
	case IndexSingleChunk:
		return "single chunk"
	case IndexImplicit:
		return "implicit"
	case IndexFixedArray:
		return "fixed array"
	case IndexExtensibleArray:
		return "extensible array"
	case IndexBTree2:
		return "v2 B-tree"
	case IndexBTree1:
		return "v1 B-tree"
	}
	return fmt.Sprintf("index(%d)", int(k))
}

// layoutInfo is a decoded data layout message.
type layoutInfo struct {
	version   int
	kind      LayoutKind
	compact   []byte
	addr      uint64 // absolute; contiguous data or chunk index
	size      uint64 // contiguous size
	chunk     []int  // chunk dimensions (dataset rank)
	chunkElem int    // element size recorded with the chunk dimensions
	index     ChunkIndexKind
	flags     uint8 // layout v4 chunk flags

	singleSize uint64 // filtered single chunk size
	singleMask uint32
	faPageBits int
	ea         eaParams
}

// eaParams are the extensible array creation parameters from layout v4.
type eaParams struct {
	maxBits, idxElmts, minPtrs, minElmts, pageBits int
}

// layout v4 chunk flags.
const (
	flagDontFilterPartial = 0x01
	flagSingleFiltered    = 0x02
)

// parseLayout decodes a data layout message (versions 1 to 4).
func (f *File) parseLayout(data []byte) (*layoutInfo, error) {
	d := f.newDecoder(data, "data layout message")
	l := &layoutInfo{version: int(d.u8()), addr: undefAddr}
	readChunkDims := func(n int, enc int) {
		if n < 1 || n > maxRank+1 {
			d.err = corruptf("data layout: bad chunk dimensionality %d", n)
			return
		}
		for i := 0; i < n; i++ {
			v := d.uvar(enc)
			if v == 0 || v > 1<<31 {
				if d.err == nil {
					d.err = corruptf("data layout: bad chunk dimension %d", v)
				}
				return
			}
			if i == n-1 {
				l.chunkElem = int(v)
			} else {
				l.chunk = append(l.chunk, int(v))
			}
		}
	}
	switch l.version {
	case 1, 2:
		nd := int(d.u8())
		l.kind = LayoutKind(d.u8())
		d.skip(5)
		if l.kind != LayoutCompact {
			l.addr = f.addr(d.address())
		}
		switch l.kind {
		case LayoutChunked:
			readChunkDims(nd, 4)
			l.index = IndexBTree1
		default:
			d.skip(4 * nd)
		}
		if l.kind == LayoutCompact {
			n := int(d.u32())
			l.compact = d.bytes(n)
		}
	case 3, 4:
		l.kind = LayoutKind(d.u8())
		switch l.kind {
		case LayoutCompact:
			n := int(d.u16())
			l.compact = d.bytes(n)
		case LayoutContiguous:
			l.addr = f.addr(d.address())
			l.size = d.length()
		case LayoutChunked:
			if l.version == 3 {
				nd := int(d.u8())
				l.addr = f.addr(d.address())
				readChunkDims(nd, 4)
				l.index = IndexBTree1
				break
			}
			l.flags = d.u8()
			nd := int(d.u8())
			enc := int(d.u8())
			if enc < 1 || enc > 8 {
				return nil, corruptf("data layout: bad dimension size encoding %d", enc)
			}
			readChunkDims(nd, enc)
			l.index = ChunkIndexKind(d.u8())
			switch l.index {
			case IndexSingleChunk:
				if l.flags&flagSingleFiltered != 0 {
					l.singleSize = d.length()
					l.singleMask = d.u32()
				}
			case IndexImplicit:
			case IndexFixedArray:
				l.faPageBits = int(d.u8())
			case IndexExtensibleArray:
				l.ea = eaParams{int(d.u8()), int(d.u8()), int(d.u8()), int(d.u8()), int(d.u8())}
			case IndexBTree2:
				d.skip(6)
			default:
				return nil, corruptf("data layout: unknown chunk index type %d", l.index)
			}
			l.addr = f.addr(d.address())
		case LayoutVirtual:
			// Readable metadata only; reads fail.
		default:
			return nil, corruptf("data layout: unknown layout class %d", l.kind)
		}
	default:
		return nil, corruptf("data layout message version %d", l.version)
	}
	if d.err != nil {
		return nil, d.err
	}
	return l, nil
}
