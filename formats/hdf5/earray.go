package hdf5

import "bytes"

// loadExtensibleArray reads an extensible array chunk index into ci.
func (ds *Dataset) loadExtensibleArray(ci *chunkIndex) error {
	f := ds.file
	O, L := f.offsetSize, f.lengthSize
	hlen := uint64(4 + 1 + 1 + 6 + 6*L + O + 4)
	hb, err := f.readAt(ds.layout.addr, hlen, "extensible array header")
	if err != nil {
		return err
	}
	if !bytes.Equal(hb[:4], []byte("EAHD")) {
		return corruptf("extensible array header at %d: bad signature", ds.layout.addr)
	}
	if err := verifyChecksum(hb, "extensible array header"); err != nil {
		return err
	}
	d := f.newDecoder(hb[5:], "extensible array header")
	client := d.u8()
	esz := int(d.u8())
	maxBits := int(d.u8())
	idxElmts := uint64(d.u8())
	minElmts := uint64(d.u8())
	minPtrs := uint64(d.u8())
	pageBits := int(d.u8())
	d.skip(4 * L) // super/data block counts and sizes
	maxIdx := d.length()
	d.length() // elements realized
	iblk := d.address()
	if d.err != nil {
		return d.err
	}
	filtered := client == 1
	if esz < O || maxBits == 0 || maxBits > 64 || minElmts == 0 || !isPow2(minElmts) ||
		minPtrs == 0 || !isPow2(minPtrs) || pageBits > 32 || log2floor(minElmts) > maxBits {
		return corruptf("extensible array header: bad parameters")
	}
	if iblk == undefAddr {
		return nil
	}
	iblk = f.addr(iblk)
	arrOff := (maxBits + 7) / 8
	pageN := uint64(1) << uint(pageBits)

	// Super block table, as computed by the HDF5 library.
	nsblks := 1 + maxBits - log2floor(minElmts)
	type sblkInfo struct{ ndblks, dblkN, startIdx, startDblk uint64 }
	info := make([]sblkInfo, nsblks)
	var startIdx, startDblk uint64
	for u := range info {
		info[u] = sblkInfo{uint64(1) << uint(u/2), (uint64(1) << uint((u+1)/2)) * minElmts, startIdx, startDblk}
		startIdx += info[u].ndblks * info[u].dblkN
		startDblk += info[u].ndblks
	}
	iNsblks := 2 * log2floor(minPtrs)
	if iNsblks > nsblks {
		iNsblks = nsblks
	}
	nDblkAddrs := 2 * (minPtrs - 1)
	nSblkAddrs := uint64(nsblks - iNsblks)

	rank := len(ds.shape)
	unlim := 0
	for i, m := range ds.maxShape {
		if m == Unlimited {
			unlim = i
			break
		}
	}
	perm := []int{unlim}
	for i := 0; i < rank; i++ {
		if i != unlim {
			perm = append(perm, i)
		}
	}
	scaled := make([]uint64, rank)
	addElems := func(elems []byte, first uint64) error {
		for i := 0; i*esz < len(elems); i++ {
			idx := first + uint64(i)
			if idx >= maxIdx {
				return nil
			}
			e, err := ds.decodeArrayElement(elems[i*esz:(i+1)*esz], filtered)
			if err != nil {
				return err
			}
			if !scaledFromIndex(idx, ci.maxGrid, perm, scaled) {
				continue
			}
			if err := ci.add(scaled, e); err != nil {
				return err
			}
		}
		return nil
	}
	// readDblk reads the data block at addr holding n elements starting at
	// element index first.
	readDblk := func(addr, n, first uint64) error {
		if addr == undefAddr || first >= maxIdx {
			return nil
		}
		prefix := uint64(4 + 1 + 1 + O + arrOff)
		if n <= pageN {
			b, err := f.readAt(addr, prefix+n*uint64(esz)+4, "extensible array data block")
			if err != nil {
				return err
			}
			if !bytes.Equal(b[:4], []byte("EADB")) {
				return corruptf("extensible array data block at %d: bad signature", addr)
			}
			if err := verifyChecksum(b, "extensible array data block"); err != nil {
				return err
			}
			return addElems(b[prefix:len(b)-4], first)
		}
		pos := addr + prefix + 4
		for p := uint64(0); p*pageN < n; p++ {
			size := pageN*uint64(esz) + 4
			pb, err := f.readAt(pos, size, "extensible array data block page")
			if err != nil {
				return err
			}
			// Pages never written fail their checksum; they hold no chunks.
			if verifyChecksum(pb, "extensible array page") == nil {
				if err := addElems(pb[:len(pb)-4], first+p*pageN); err != nil {
					return err
				}
			}
			pos += size
		}
		return nil
	}

	isize := uint64(4+1+1+O) + idxElmts*uint64(esz) + (nDblkAddrs+nSblkAddrs)*uint64(O) + 4
	ib, err := f.readAt(iblk, isize, "extensible array index block")
	if err != nil {
		return err
	}
	if !bytes.Equal(ib[:4], []byte("EAIB")) {
		return corruptf("extensible array index block at %d: bad signature", iblk)
	}
	if err := verifyChecksum(ib, "extensible array index block"); err != nil {
		return err
	}
	p := uint64(4 + 1 + 1 + O)
	if err := addElems(ib[p:p+idxElmts*uint64(esz)], 0); err != nil {
		return err
	}
	id := f.newDecoder(ib[p+idxElmts*uint64(esz):], "extensible array index block")
	dblkAddrs := make([]uint64, nDblkAddrs)
	for i := range dblkAddrs {
		dblkAddrs[i] = f.addr(id.address())
	}
	sblkAddrs := make([]uint64, nSblkAddrs)
	for i := range sblkAddrs {
		sblkAddrs[i] = f.addr(id.address())
	}
	if id.err != nil {
		return id.err
	}
	for u := 0; u < iNsblks; u++ {
		for j := uint64(0); j < info[u].ndblks; j++ {
			k := info[u].startDblk + j
			if k >= nDblkAddrs {
				break
			}
			first := idxElmts + info[u].startIdx + j*info[u].dblkN
			if err := readDblk(dblkAddrs[k], info[u].dblkN, first); err != nil {
				return err
			}
		}
	}
	for s, sa := range sblkAddrs {
		u := iNsblks + s
		if sa == undefAddr || idxElmts+info[u].startIdx >= maxIdx {
			continue
		}
		nd := info[u].ndblks
		bitmapLen := uint64(0)
		if info[u].dblkN > pageN {
			npages := info[u].dblkN / pageN
			bitmapLen = nd * ((npages + 7) / 8)
		}
		pre := uint64(4 + 1 + 1 + O + arrOff)
		sb, err := f.readAt(sa, pre+bitmapLen+nd*uint64(O)+4, "extensible array super block")
		if err != nil {
			return err
		}
		if !bytes.Equal(sb[:4], []byte("EASB")) {
			return corruptf("extensible array super block at %d: bad signature", sa)
		}
		if err := verifyChecksum(sb, "extensible array super block"); err != nil {
			return err
		}
		sd := f.newDecoder(sb[pre+bitmapLen:], "extensible array super block")
		for j := uint64(0); j < nd; j++ {
			a := f.addr(sd.address())
			if sd.err != nil {
				return sd.err
			}
			first := idxElmts + info[u].startIdx + j*info[u].dblkN
			if err := readDblk(a, info[u].dblkN, first); err != nil {
				return err
			}
		}
	}
	return nil
}
