package hdf5

import "bytes"

// fractalHeap is a decoded fractal heap header (used for dense link and
// attribute storage). It caches the blocks it reads and is therefore used
// only by one goroutine (while opening a file).
type fractalHeap struct {
	f             *File
	addr          uint64
	idLen         int
	filtered      bool
	checksummed   bool // direct blocks carry a checksum
	width         uint64
	startBlock    uint64
	maxDirect     uint64
	root          uint64
	curRows       int
	offBytes      int
	lenBytes      int
	maxDirectRows int
	blocks        map[uint64][]byte
}

// openFractalHeap reads the fractal heap header at absolute address addr.
func (f *File) openFractalHeap(addr uint64) (*fractalHeap, error) {
	L, O := f.lengthSize, f.offsetSize
	fixed := 4 + 1 + 2 + 2 + 1 + 4 + L + O + L + O + 8*L + 2 + L + L + 2 + 2 + O + 2
	hb, err := f.readAt(addr, uint64(fixed), "fractal heap header")
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(hb[:4], []byte("FRHP")) {
		return nil, corruptf("fractal heap at %d: bad signature", addr)
	}
	d := f.newDecoder(hb[5:], "fractal heap header")
	h := &fractalHeap{f: f, addr: addr, blocks: map[uint64][]byte{}}
	h.idLen = int(d.u16())
	filterLen := int(d.u16())
	flags := d.u8()
	maxManaged := uint64(d.u32())
	d.length()  // next huge object id
	d.address() // huge object v2 B-tree
	d.length()  // free space
	d.address() // free space manager
	d.skip(8 * L)
	h.width = uint64(d.u16())
	h.startBlock = d.length()
	h.maxDirect = d.length()
	maxHeapBits := int(d.u16())
	d.u16() // starting rows
	h.root = d.address()
	h.curRows = int(d.u16())
	if d.err != nil {
		return nil, d.err
	}
	total := uint64(fixed) + 4
	if filterLen > 0 {
		h.filtered = true
		total += uint64(L + 4 + filterLen)
	}
	full, err := f.readAt(addr, total, "fractal heap header")
	if err != nil {
		return nil, err
	}
	if err := verifyChecksum(full, "fractal heap header"); err != nil {
		return nil, wrapf(err, "at address %d", addr)
	}
	h.checksummed = flags&0x02 != 0
	if h.width == 0 || h.width > 1<<16 || !isPow2(h.width) || h.startBlock == 0 || !isPow2(h.startBlock) ||
		h.maxDirect < h.startBlock || !isPow2(h.maxDirect) || h.maxDirect > maxMetadataBlock ||
		maxHeapBits == 0 || maxHeapBits > 64 || h.curRows > 64 {
		return nil, corruptf("fractal heap at %d: bad table parameters", addr)
	}
	h.offBytes = (maxHeapBits + 7) / 8
	h.lenBytes = (log2floor(h.maxDirect) + 7) / 8
	if n := log2floor(maxManaged)/8 + 1; maxManaged > 0 && n < h.lenBytes {
		h.lenBytes = n
	}
	h.maxDirectRows = log2floor(h.maxDirect) - log2floor(h.startBlock) + 2
	h.root = f.addr(h.root)
	return h, nil
}

func isPow2(v uint64) bool { return v != 0 && v&(v-1) == 0 }

// rowSize returns the size of the blocks in row r.
func (h *fractalHeap) rowSize(r int) uint64 {
	if r == 0 {
		return h.startBlock
	}
	return h.startBlock << uint(r-1)
}

// rowStart returns the heap offset at which row r starts inside an
// indirect block.
func (h *fractalHeap) rowStart(r int) uint64 {
	if r == 0 {
		return 0
	}
	return h.width * h.startBlock << uint(r-1)
}

// get returns the object named by heap ID id.
func (h *fractalHeap) get(id []byte) ([]byte, error) {
	if len(id) < 1 {
		return nil, corruptf("fractal heap: empty heap ID")
	}
	switch (id[0] >> 4) & 3 {
	case 0:
	case 1:
		return nil, unsupportedf("fractal heap: huge objects")
	case 2:
		n := int(id[0]&0x0f) + 1
		if 1+n > len(id) {
			return nil, corruptf("fractal heap: tiny object overruns ID")
		}
		return id[1 : 1+n], nil
	default:
		return nil, corruptf("fractal heap: bad heap ID type")
	}
	if h.filtered {
		return nil, unsupportedf("fractal heap with I/O filters")
	}
	if 1+h.offBytes+h.lenBytes > len(id) {
		return nil, corruptf("fractal heap: heap ID too short")
	}
	off := leUint(id[1 : 1+h.offBytes])
	n := leUint(id[1+h.offBytes : 1+h.offBytes+h.lenBytes])
	blockAddr, blockOff, blockSize, err := h.locate(off)
	if err != nil {
		return nil, err
	}
	blk, err := h.directBlock(blockAddr, blockSize)
	if err != nil {
		return nil, err
	}
	rel := off - blockOff
	if rel > blockSize || n > blockSize-rel {
		return nil, corruptf("fractal heap: object [%d,+%d) outside its block", off, n)
	}
	return blk[rel : rel+n], nil
}

// locate finds the direct block holding heap offset off.
func (h *fractalHeap) locate(off uint64) (addr, blockOff, size uint64, err error) {
	if h.root == undefAddr {
		return 0, 0, 0, corruptf("fractal heap: empty heap")
	}
	if h.curRows == 0 {
		return h.root, 0, h.startBlock, nil
	}
	addr, nrows, base := h.root, h.curRows, uint64(0)
	for depth := 0; depth < maxTreeDepth; depth++ {
		rel := off - base
		r := 0
		for r+1 < nrows && h.rowStart(r+1) <= rel {
			r++
		}
		if off < base || rel-h.rowStart(r) >= h.width*h.rowSize(r) {
			return 0, 0, 0, corruptf("fractal heap: offset %d outside indirect block", off)
		}
		col := (rel - h.rowStart(r)) / h.rowSize(r)
		childBase := base + h.rowStart(r) + col*h.rowSize(r)
		entries, err := h.indirectBlock(addr, nrows)
		if err != nil {
			return 0, 0, 0, err
		}
		idx := uint64(r)*h.width + col
		if idx >= uint64(len(entries)) {
			return 0, 0, 0, corruptf("fractal heap: child index out of range")
		}
		child := entries[idx]
		if child == undefAddr {
			return 0, 0, 0, corruptf("fractal heap: offset %d in unallocated block", off)
		}
		if r < h.maxDirectRows {
			return child, childBase, h.rowSize(r), nil
		}
		nrows = log2floor(h.rowSize(r)) - log2floor(h.startBlock*h.width) + 1
		if nrows <= 0 {
			return 0, 0, 0, corruptf("fractal heap: bad indirect block size")
		}
		addr, base = child, childBase
	}
	return 0, 0, 0, corruptf("fractal heap: indirect blocks nested too deeply")
}

// indirectBlock reads an indirect block with nrows rows and returns its
// child addresses (direct children first, then indirect ones).
func (h *fractalHeap) indirectBlock(addr uint64, nrows int) ([]uint64, error) {
	f := h.f
	direct := nrows
	if direct > h.maxDirectRows {
		direct = h.maxDirectRows
	}
	nd := uint64(direct) * h.width
	ni := uint64(nrows-direct) * h.width
	if nd+ni > 1<<20 {
		return nil, corruptf("fractal heap: indirect block too large")
	}
	pre := 5 + f.offsetSize + h.offBytes
	size := uint64(pre) + (nd+ni)*uint64(f.offsetSize) + 4
	b, err := f.readAt(addr, size, "fractal heap indirect block")
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(b[:4], []byte("FHIB")) {
		return nil, corruptf("fractal heap indirect block at %d: bad signature", addr)
	}
	if err := verifyChecksum(b, "fractal heap indirect block"); err != nil {
		return nil, wrapf(err, "at address %d", addr)
	}
	d := f.newDecoder(b[pre:], "fractal heap indirect block")
	out := make([]uint64, 0, nd+ni)
	for i := uint64(0); i < nd+ni; i++ {
		out = append(out, f.addr(d.address()))
	}
	return out, d.err
}

// directBlock reads (and caches) the direct block at addr.
func (h *fractalHeap) directBlock(addr, size uint64) ([]byte, error) {
	if b, ok := h.blocks[addr]; ok && uint64(len(b)) == size {
		return b, nil
	}
	b, err := h.f.readAt(addr, size, "fractal heap direct block")
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(b[:4], []byte("FHDB")) {
		return nil, corruptf("fractal heap direct block at %d: bad signature", addr)
	}
	if h.checksummed {
		// The checksum covers the whole block with the checksum field zeroed.
		p := 5 + h.f.offsetSize + h.offBytes
		if p+4 <= len(b) {
			want := leUint(b[p : p+4])
			tmp := make([]byte, len(b))
			copy(tmp, b)
			copy(tmp[p:p+4], []byte{0, 0, 0, 0})
			if got := lookup3(tmp); uint64(got) != want {
				return nil, corruptf("fractal heap direct block at %d: checksum mismatch", addr)
			}
		}
	}
	h.blocks[addr] = b
	return b, nil
}
