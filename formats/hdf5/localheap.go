package hdf5

import "bytes"

// localHeap is a decoded local heap (used by old-style groups for link names).
type localHeap struct {
	data []byte
}

// readLocalHeap reads the local heap at absolute address addr.
func (f *File) readLocalHeap(addr uint64) (*localHeap, error) {
	hdr, err := f.readAt(addr, uint64(8+2*f.lengthSize+f.offsetSize), "local heap")
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(hdr[:4], []byte("HEAP")) {
		return nil, corruptf("local heap at %d: bad signature", addr)
	}
	d := f.newDecoder(hdr[8:], "local heap")
	size := d.length()
	d.length() // free list
	dataAddr := d.address()
	if d.err != nil {
		return nil, d.err
	}
	if size > maxMetadataBlock {
		return nil, corruptf("local heap at %d: size %d too large", addr, size)
	}
	data, err := f.readAt(f.addr(dataAddr), size, "local heap data")
	if err != nil {
		return nil, err
	}
	return &localHeap{data: data}, nil
}

// name returns the NUL-terminated string at offset off.
func (h *localHeap) name(off uint64) (string, error) {
	if off >= uint64(len(h.data)) {
		return "", corruptf("local heap offset %d out of range", off)
	}
	s := h.data[off:]
	i := bytes.IndexByte(s, 0)
	if i < 0 {
		return "", corruptf("local heap string at %d not terminated", off)
	}
	return string(s[:i]), nil
}
