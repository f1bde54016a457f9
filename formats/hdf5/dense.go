package hdf5

// openDense reads a link info or attribute info message (version, flags,
// an optional creation-order field of orderBytes bytes, the fractal heap's
// address, the name index's v2 B-tree address) and opens the heap. It
// returns a nil heap when the object keeps nothing in dense storage.
func (f *File) openDense(data []byte, what string, orderBytes int) (*fractalHeap, uint64, error) {
	d := f.newDecoder(data, what)
	d.u8() // version
	if flags := d.u8(); flags&1 != 0 {
		d.skip(orderBytes)
	}
	heapAddr := d.address()
	nameIdx := d.address()
	if d.err != nil {
		return nil, 0, d.err
	}
	if heapAddr == undefAddr || nameIdx == undefAddr {
		return nil, 0, nil
	}
	heap, err := f.openFractalHeap(f.addr(heapAddr))
	if err != nil {
		return nil, 0, err
	}
	return heap, nameIdx, nil
}
