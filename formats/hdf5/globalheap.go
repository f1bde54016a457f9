package hdf5

import "bytes"

// globalHeapObject returns the object with the given index from the global
// heap collection at absolute address addr. Collections are cached in
// f.gheaps (only used while opening, from a single goroutine) or read
// afresh when the cache is nil.
func (f *File) globalHeapObject(addr uint64, index uint32) ([]byte, error) {
	coll, ok := f.gheaps[addr]
	if !ok {
		hdr, err := f.readAt(addr, uint64(8+f.lengthSize), "global heap")
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(hdr[:4], []byte("GCOL")) {
			return nil, corruptf("global heap at %d: bad signature", addr)
		}
		size := leUint(hdr[8:])
		if size > maxMetadataBlock || size < uint64(len(hdr)) {
			return nil, corruptf("global heap at %d: bad collection size %d", addr, size)
		}
		coll, err = f.readAt(addr, size, "global heap")
		if err != nil {
			return nil, err
		}
		if f.gheaps != nil {
			f.gheaps[addr] = coll
		}
	}
	p := 8 + f.lengthSize
	for p+8+f.lengthSize <= len(coll) {
		idx := uint32(coll[p]) | uint32(coll[p+1])<<8
		size := leUint(coll[p+8 : p+8+f.lengthSize])
		p += 8 + f.lengthSize
		if idx == 0 { // free space: rest of the collection
			break
		}
		if size > uint64(len(coll)-p) {
			return nil, corruptf("global heap at %d: object %d overruns collection", addr, idx)
		}
		if idx == index {
			return coll[p : p+int(size)], nil
		}
		p += int((size + 7) &^ 7)
	}
	return nil, corruptf("global heap at %d: object %d not found", addr, index)
}
