package hdf5

import "sort"

// StoredChunk locates one stored chunk of a chunked dataset in the file:
// what an index of the file (a kerchunk reference) records to read the
// chunk without the HDF5 metadata.
type StoredChunk struct {
	Coords     []int  // position in the chunk grid, one entry per dimension
	Offset     uint64 // absolute file offset of the stored (filtered) bytes
	Size       uint64 // stored size in bytes
	FilterMask uint32 // bit i set: filter i of the pipeline was skipped for this chunk
}

// StoredChunks lists the stored chunks of a chunked dataset in C order of
// their grid positions; chunks never written (read as the fill value) are
// not listed. Other layouts list nothing: see [Dataset.ContiguousExtent].
func (ds *Dataset) StoredChunks() ([]StoredChunk, error) {
	if ds.layout.kind != LayoutChunked {
		return nil, nil
	}
	if ds.external {
		return nil, ds.wrapErr(unsupportedf("external data files"))
	}
	ci, err := ds.chunkIdx()
	if err != nil {
		return nil, ds.wrapErr(wrapf(err, "chunk index"))
	}
	rank := len(ci.grid)
	decode := func(k uint64) []int {
		c := make([]int, rank)
		for i := rank - 1; i >= 0; i-- {
			c[i] = int(k % uint64(ci.grid[i]))
			k /= uint64(ci.grid[i])
		}
		return c
	}
	var out []StoredChunk
	if ci.implicit {
		n := uint64(1)
		for _, g := range ci.grid {
			n *= uint64(g)
		}
		for k := uint64(0); k < n; k++ {
			c := decode(k)
			e, _ := ci.lookup(c, ds.chunkBytes)
			out = append(out, StoredChunk{Coords: c, Offset: e.addr, Size: e.size})
		}
		return out, nil
	}
	keys := make([]uint64, 0, len(ci.entries))
	for k := range ci.entries {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	for _, k := range keys {
		e := ci.entries[k]
		if e.addr+e.size > uint64(ds.file.size) || e.addr+e.size < e.addr {
			return nil, ds.wrapErr(corruptf("chunk at %d of %d bytes beyond the end of the file", e.addr, e.size))
		}
		out = append(out, StoredChunk{Coords: decode(k), Offset: e.addr, Size: e.size, FilterMask: e.mask})
	}
	return out, nil
}

// ContiguousExtent returns where a contiguous dataset's bytes lie in the
// file; ok is false for other layouts, for external storage and for
// datasets never written.
func (ds *Dataset) ContiguousExtent() (offset, size uint64, ok bool) {
	if ds.layout.kind != LayoutContiguous || ds.external || ds.layout.addr == undefAddr {
		return 0, 0, false
	}
	n := uint64(ds.NumElements()) * uint64(ds.elemSize)
	if ds.layout.addr+n > uint64(ds.file.size) {
		return 0, 0, false
	}
	return ds.layout.addr, n, true
}
