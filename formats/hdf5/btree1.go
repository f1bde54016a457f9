package hdf5

import "bytes"

// maxTreeDepth bounds B-tree recursion in corrupt files.
const maxTreeDepth = 64

// walkBTree1 visits every leaf entry of the version 1 B-tree rooted at
// absolute address addr. typ is 0 for group nodes and 1 for raw-data chunk
// nodes; keySize is the size of one key. visit receives the key that
// precedes each child and the child's absolute address.
func (f *File) walkBTree1(addr uint64, typ uint8, keySize int, visit func(key []byte, child uint64) error) error {
	visited := map[uint64]bool{}
	var walk func(addr uint64, depth int, wantLevel int) error
	walk = func(addr uint64, depth int, wantLevel int) error {
		if depth > maxTreeDepth {
			return corruptf("v1 B-tree too deep")
		}
		if visited[addr] {
			return corruptf("v1 B-tree node %d visited twice (cycle)", addr)
		}
		visited[addr] = true
		hdrLen := uint64(8 + 2*f.offsetSize)
		hdr, err := f.readAt(addr, hdrLen, "v1 B-tree node")
		if err != nil {
			return err
		}
		if !bytes.Equal(hdr[:4], []byte("TREE")) {
			return corruptf("v1 B-tree node at %d: bad signature", addr)
		}
		if hdr[4] != typ {
			return corruptf("v1 B-tree node at %d: type %d, want %d", addr, hdr[4], typ)
		}
		level := int(hdr[5])
		if wantLevel >= 0 && level != wantLevel {
			return corruptf("v1 B-tree node at %d: level %d, want %d", addr, level, wantLevel)
		}
		n := uint64(hdr[6]) | uint64(hdr[7])<<8
		body := n*uint64(keySize+f.offsetSize) + uint64(keySize)
		b, err := f.readAt(addr+hdrLen, body, "v1 B-tree node")
		if err != nil {
			return err
		}
		d := f.newDecoder(b, "v1 B-tree node")
		for i := uint64(0); i < n; i++ {
			key := d.bytes(keySize)
			child := d.address()
			if d.err != nil {
				return d.err
			}
			child = f.addr(child)
			if level > 0 {
				if err := walk(child, depth+1, level-1); err != nil {
					return err
				}
				continue
			}
			if err := visit(key, child); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(addr, 0, -1)
}

// symbolTableEntries returns the (name, object header address) pairs of an
// old-style group given its B-tree and local heap addresses (absolute).
func (f *File) symbolTableEntries(btreeAddr, heapAddr uint64) ([]linkEntry, error) {
	heap, err := f.readLocalHeap(heapAddr)
	if err != nil {
		return nil, err
	}
	var out []linkEntry
	entrySize := 2*f.offsetSize + 8 + 16
	err = f.walkBTree1(btreeAddr, 0, f.lengthSize, func(_ []byte, snod uint64) error {
		hdr, err := f.readAt(snod, 8, "symbol table node")
		if err != nil {
			return err
		}
		if !bytes.Equal(hdr[:4], []byte("SNOD")) {
			return corruptf("symbol table node at %d: bad signature", snod)
		}
		n := int(hdr[6]) | int(hdr[7])<<8
		b, err := f.readAt(snod+8, uint64(n*entrySize), "symbol table node")
		if err != nil {
			return err
		}
		d := f.newDecoder(b, "symbol table node")
		for i := 0; i < n; i++ {
			nameOff := d.address() // link name offset has the offset size
			obj := d.address()
			d.skip(4 + 4 + 16)
			if d.err != nil {
				return d.err
			}
			name, err := heap.name(nameOff)
			if err != nil {
				return err
			}
			out = append(out, linkEntry{name: name, kind: linkHard, addr: f.addr(obj)})
			if len(out) > maxLinks {
				return corruptf("group has too many links")
			}
		}
		return nil
	})
	return out, err
}
