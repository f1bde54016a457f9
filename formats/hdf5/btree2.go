package hdf5

import "bytes"

// Version 2 B-tree record types used by the reader.
const (
	bt2LinkName     = 5
	bt2AttrName     = 8
	bt2Chunk        = 10
	bt2ChunkFilterd = 11
)

// maxRecords bounds the number of records gathered from one index.
const maxRecords = 1 << 24

// walkBTree2 visits every record of the version 2 B-tree whose header is at
// absolute address addr, checking that the tree holds records of type typ.
func (f *File) walkBTree2(addr uint64, typ uint8, visit func(rec []byte) error) error {
	hdrLen := uint64(4 + 1 + 1 + 4 + 2 + 2 + 1 + 1 + f.offsetSize + 2 + f.lengthSize + 4)
	hb, err := f.readAt(addr, hdrLen, "v2 B-tree header")
	if err != nil {
		return err
	}
	if !bytes.Equal(hb[:4], []byte("BTHD")) {
		return corruptf("v2 B-tree header at %d: bad signature", addr)
	}
	if err := verifyChecksum(hb, "v2 B-tree header"); err != nil {
		return err
	}
	d := f.newDecoder(hb[5:], "v2 B-tree header")
	if t := d.u8(); t != typ {
		return corruptf("v2 B-tree at %d: record type %d, want %d", addr, t, typ)
	}
	nodeSize := uint64(d.u32())
	recSize := int(d.u16())
	depth := int(d.u16())
	d.skip(2)
	root := d.address()
	rootN := int(d.u16())
	d.length() // total records
	if d.err != nil {
		return d.err
	}
	if nodeSize < 16 || nodeSize > maxMetadataBlock || recSize == 0 || depth > maxTreeDepth {
		return corruptf("v2 B-tree at %d: bad parameters (node %d, record %d, depth %d)", addr, nodeSize, recSize, depth)
	}
	if root == undefAddr || rootN == 0 {
		return nil
	}
	// Per-depth sizes of the child-pointer fields, as in the HDF5 library.
	leafMax := (nodeSize - 10) / uint64(recSize)
	if leafMax == 0 {
		return corruptf("v2 B-tree at %d: node too small for a record", addr)
	}
	maxNrecSize := log2floor(leafMax)/8 + 1
	cumMax := make([]uint64, depth+1)
	cumSize := make([]int, depth+1)
	maxNrec := make([]uint64, depth+1)
	cumMax[0], maxNrec[0] = leafMax, leafMax
	for u := 1; u <= depth; u++ {
		ptr := uint64(f.offsetSize + maxNrecSize + cumSize[u-1])
		if nodeSize < 10+ptr {
			return corruptf("v2 B-tree at %d: node too small", addr)
		}
		maxNrec[u] = (nodeSize - 10 - ptr) / (uint64(recSize) + ptr)
		c := (maxNrec[u]+1)*cumMax[u-1] + maxNrec[u]
		if c < cumMax[u-1] || c > 1<<56 {
			c = 1 << 56
		}
		cumMax[u] = c
		cumSize[u] = log2floor(c)/8 + 1
	}
	visited := map[uint64]bool{}
	count := 0
	var walk func(addr uint64, nrec int, depth int) error
	walk = func(addr uint64, nrec int, depth int) error {
		if visited[addr] {
			return corruptf("v2 B-tree node %d visited twice (cycle)", addr)
		}
		visited[addr] = true
		if uint64(nrec) > maxNrec[depth] {
			return corruptf("v2 B-tree node at %d: %d records exceed maximum %d", addr, nrec, maxNrec[depth])
		}
		used := 6 + nrec*recSize
		sig := "BTLF"
		ptrSize := 0
		if depth > 0 {
			sig = "BTIN"
			ptrSize = f.offsetSize + maxNrecSize
			if depth > 1 {
				ptrSize += cumSize[depth-1]
			}
			used += (nrec + 1) * ptrSize
		}
		b, err := f.readAt(addr, uint64(used+4), "v2 B-tree node")
		if err != nil {
			return err
		}
		if !bytes.Equal(b[:4], []byte(sig)) {
			return corruptf("v2 B-tree node at %d: bad signature", addr)
		}
		if err := verifyChecksum(b, "v2 B-tree node"); err != nil {
			return wrapf(err, "at address %d", addr)
		}
		recs := b[6 : 6+nrec*recSize]
		var children []byte
		if depth > 0 {
			children = b[6+nrec*recSize : used]
		}
		for i := 0; i <= nrec; i++ {
			if depth > 0 {
				cd := f.newDecoder(children[i*ptrSize:(i+1)*ptrSize], "v2 B-tree node")
				ca := cd.address()
				cn := int(cd.uvar(maxNrecSize))
				if cd.err != nil {
					return cd.err
				}
				if err := walk(f.addr(ca), cn, depth-1); err != nil {
					return err
				}
			}
			if i < nrec {
				count++
				if count > maxRecords {
					return corruptf("v2 B-tree at %d: too many records", addr)
				}
				if err := visit(recs[i*recSize : (i+1)*recSize]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(f.addr(root), rootN, depth)
}
