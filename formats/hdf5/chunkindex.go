package hdf5

import "encoding/binary"

// chunkEntry locates one stored chunk.
type chunkEntry struct {
	addr uint64 // absolute
	size uint64 // stored (filtered) size in bytes
	mask uint32 // filter mask: bit i set means filter i was skipped
}

// chunkIndex maps chunk grid positions to stored chunks. It is built once
// per dataset and then only read, so it is safe for concurrent use.
type chunkIndex struct {
	grid    []int                 // chunks per dimension for the current shape
	entries map[uint64]chunkEntry // keyed by linear position in grid (C order)

	implicit     bool   // implicit index: address computed from position
	implicitBase uint64 // absolute address of the first chunk
	maxGrid      []int  // chunks per dimension for the maximum shape
}

// lookup returns the chunk stored at the given grid coordinates.
func (ci *chunkIndex) lookup(coords []int, chunkBytes uint64) (chunkEntry, bool) {
	if ci.implicit {
		idx := uint64(0)
		for i, c := range coords {
			idx = idx*uint64(ci.maxGrid[i]) + uint64(c)
		}
		return chunkEntry{addr: ci.implicitBase + idx*chunkBytes, size: chunkBytes}, true
	}
	e, ok := ci.entries[linearKey(coords, ci.grid)]
	return e, ok
}

// linearKey returns the C-order linear position of coords in grid.
func linearKey(coords, grid []int) uint64 {
	k := uint64(0)
	for i, c := range coords {
		k = k*uint64(grid[i]) + uint64(c)
	}
	return k
}

// add records a chunk found by scaled (chunk-unit) coordinates, ignoring
// chunks outside the current extent.
func (ci *chunkIndex) add(scaled []uint64, e chunkEntry) error {
	if len(ci.entries) >= maxRecords {
		return corruptf("chunk index: too many chunks")
	}
	k := uint64(0)
	for i, s := range scaled {
		if s >= uint64(ci.grid[i]) {
			return nil
		}
		k = k*uint64(ci.grid[i]) + s
	}
	if e.addr == undefAddr {
		return nil
	}
	ci.entries[k] = e
	return nil
}

// gridOf returns ceil(dims/chunk) per dimension; unlimited or zero maximum
// dimensions use the current ones.
func gridOf(dims, chunk []int) []int {
	g := make([]int, len(dims))
	for i := range dims {
		g[i] = (dims[i] + chunk[i] - 1) / chunk[i]
	}
	return g
}

// loadChunkIndex reads the complete chunk index of a chunked dataset.
func (ds *Dataset) loadChunkIndex() (*chunkIndex, error) {
	f := ds.file
	l := ds.layout
	rank := len(ds.shape)
	ci := &chunkIndex{grid: gridOf(ds.shape, l.chunk), entries: map[uint64]chunkEntry{}}
	maxDims := make([]int, rank)
	for i := range maxDims {
		maxDims[i] = ds.maxShape[i]
		if maxDims[i] == Unlimited || maxDims[i] < ds.shape[i] {
			maxDims[i] = ds.shape[i]
		}
	}
	ci.maxGrid = gridOf(maxDims, l.chunk)
	if l.addr == undefAddr {
		return ci, nil // nothing written: all fill
	}
	chunkBytes := ds.chunkBytes
	switch l.index {
	case IndexBTree1:
		keySize := 8 + 8*(rank+1)
		scaled := make([]uint64, rank)
		err := f.walkBTree1(l.addr, 1, keySize, func(key []byte, child uint64) error {
			size := binary.LittleEndian.Uint32(key[0:4])
			mask := binary.LittleEndian.Uint32(key[4:8])
			for i := 0; i < rank; i++ {
				off := binary.LittleEndian.Uint64(key[8+8*i:])
				if off%uint64(l.chunk[i]) != 0 {
					return corruptf("chunk offset %d not a multiple of chunk size %d", off, l.chunk[i])
				}
				scaled[i] = off / uint64(l.chunk[i])
			}
			return ci.add(scaled, chunkEntry{addr: child, size: uint64(size), mask: mask})
		})
		return ci, err
	case IndexSingleChunk:
		e := chunkEntry{addr: l.addr, size: chunkBytes}
		if l.flags&flagSingleFiltered != 0 {
			e.size, e.mask = l.singleSize, l.singleMask
		}
		return ci, ci.add(make([]uint64, rank), e)
	case IndexImplicit:
		ci.implicit = true
		ci.implicitBase = l.addr
		total := uint64(1)
		for _, g := range ci.maxGrid {
			total *= uint64(g)
		}
		if n, ok := checkedMul(total, chunkBytes, uint64(f.size)); !ok || l.addr+n > uint64(f.size) {
			return nil, corruptf("implicit chunk index: %d chunks of %d bytes exceed the file", total, chunkBytes)
		}
		return ci, nil
	case IndexFixedArray:
		err := ds.loadFixedArray(ci)
		return ci, err
	case IndexExtensibleArray:
		err := ds.loadExtensibleArray(ci)
		return ci, err
	case IndexBTree2:
		filtered := len(ds.filters) > 0
		typ := uint8(bt2Chunk)
		if filtered {
			typ = bt2ChunkFilterd
		}
		scaled := make([]uint64, rank)
		err := f.walkBTree2(l.addr, typ, func(rec []byte) error {
			d := f.newDecoder(rec, "chunk record")
			e := chunkEntry{addr: f.addr(d.address()), size: chunkBytes}
			if filtered {
				sizeLen := len(rec) - f.offsetSize - 4 - 8*rank
				if sizeLen < 1 || sizeLen > 8 {
					return corruptf("chunk record: bad size field length %d", sizeLen)
				}
				e.size = d.uvar(sizeLen)
				e.mask = d.u32()
			}
			for i := range scaled {
				scaled[i] = d.u64()
			}
			if d.err != nil {
				return d.err
			}
			return ci.add(scaled, e)
		})
		return ci, err
	}
	return nil, unsupportedf("chunk index type %s", l.index)
}

// decodeArrayElement decodes one fixed/extensible array element (chunk
// address, and for filtered chunks the size and filter mask).
func (ds *Dataset) decodeArrayElement(b []byte, filtered bool) (chunkEntry, error) {
	f := ds.file
	d := f.newDecoder(b, "chunk array element")
	e := chunkEntry{addr: f.addr(d.address()), size: ds.chunkBytes}
	if filtered {
		sizeLen := len(b) - f.offsetSize - 4
		if sizeLen < 1 || sizeLen > 8 {
			return e, corruptf("chunk array element: bad size field length %d", sizeLen)
		}
		e.size = d.uvar(sizeLen)
		e.mask = d.u32()
	}
	return e, d.err
}

// scaledFromIndex converts a linear index over grid dims (C order) into
// coordinates, with perm giving the order in which dimensions are laid out
// (perm[0] slowest). It returns false when idx lies beyond the grid.
func scaledFromIndex(idx uint64, grid []int, perm []int, out []uint64) bool {
	for j := len(perm) - 1; j >= 0; j-- {
		dim := perm[j]
		if j == 0 {
			out[dim] = idx
			return true
		}
		g := uint64(grid[dim])
		if g == 0 {
			return false
		}
		out[dim] = idx % g
		idx /= g
	}
	return idx == 0
}
