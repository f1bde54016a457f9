package hdf5

import "bytes"

// loadFixedArray reads a fixed array chunk index into ci.
func (ds *Dataset) loadFixedArray(ci *chunkIndex) error {
	f := ds.file
	hlen := uint64(4 + 1 + 1 + 1 + 1 + f.lengthSize + f.offsetSize + 4)
	hb, err := f.readAt(ds.layout.addr, hlen, "fixed array header")
	if err != nil {
		return err
	}
	if !bytes.Equal(hb[:4], []byte("FAHD")) {
		return corruptf("fixed array header at %d: bad signature", ds.layout.addr)
	}
	if err := verifyChecksum(hb, "fixed array header"); err != nil {
		return err
	}
	d := f.newDecoder(hb[5:], "fixed array header")
	client := d.u8()
	esz := int(d.u8())
	pageBits := int(d.u8())
	n := d.length()
	dblk := d.address()
	if d.err != nil {
		return d.err
	}
	filtered := client == 1
	if esz < f.offsetSize || pageBits > 32 || n > uint64(f.size)/uint64(esz) {
		return corruptf("fixed array header: bad parameters (entry size %d, %d entries)", esz, n)
	}
	if dblk == undefAddr {
		return nil
	}
	dblk = f.addr(dblk)
	pageN := uint64(1) << uint(pageBits)
	prefix := uint64(4 + 1 + 1 + f.offsetSize)
	rank := len(ds.shape)
	perm := make([]int, rank)
	for i := range perm {
		perm[i] = i
	}
	scaled := make([]uint64, rank)
	addElems := func(elems []byte, first uint64) error {
		for i := 0; i*esz < len(elems); i++ {
			e, err := ds.decodeArrayElement(elems[i*esz:(i+1)*esz], filtered)
			if err != nil {
				return err
			}
			if !scaledFromIndex(first+uint64(i), ci.maxGrid, perm, scaled) {
				continue
			}
			if err := ci.add(scaled, e); err != nil {
				return err
			}
		}
		return nil
	}
	if n <= pageN {
		b, err := f.readAt(dblk, prefix+n*uint64(esz)+4, "fixed array data block")
		if err != nil {
			return err
		}
		if !bytes.Equal(b[:4], []byte("FADB")) {
			return corruptf("fixed array data block at %d: bad signature", dblk)
		}
		if err := verifyChecksum(b, "fixed array data block"); err != nil {
			return err
		}
		return addElems(b[prefix:len(b)-4], 0)
	}
	npages := (n + pageN - 1) / pageN
	bitmapLen := (npages + 7) / 8
	b, err := f.readAt(dblk, prefix+bitmapLen+4, "fixed array data block")
	if err != nil {
		return err
	}
	if !bytes.Equal(b[:4], []byte("FADB")) {
		return corruptf("fixed array data block at %d: bad signature", dblk)
	}
	if err := verifyChecksum(b, "fixed array data block"); err != nil {
		return err
	}
	bitmap := b[prefix : prefix+bitmapLen]
	pos := dblk + uint64(len(b))
	for p := uint64(0); p < npages; p++ {
		cnt := pageN
		if p == npages-1 {
			cnt = n - p*pageN
		}
		size := cnt*uint64(esz) + 4
		if bitmap[p/8]&(0x80>>(p%8)) != 0 {
			pb, err := f.readAt(pos, size, "fixed array page")
			if err != nil {
				return err
			}
			if err := verifyChecksum(pb, "fixed array page"); err != nil {
				return err
			}
			if err := addElems(pb[:len(pb)-4], p*pageN); err != nil {
				return err
			}
		}
		pos += size
	}
	return nil
}
