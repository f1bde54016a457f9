package hdf5

import "bytes"

// signature is the 8-byte HDF5 format signature.
var signature = []byte{0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'}

// superblock holds the fields of the superblock (versions 0 to 3) that the
// reader needs.
type superblock struct {
	version    int
	offsetSize int
	lengthSize int
	base       uint64 // absolute base address
	rootAddr   uint64 // root group object header address (relative)
	// rootBTree and rootHeap are the cached symbol-table addresses of the
	// root group in version 0/1 superblocks (undefAddr when absent).
	rootBTree, rootHeap uint64
}

// readSuperblock locates the signature (at 0, 512, 1024, ...) and decodes
// the superblock that follows it.
func (f *File) readSuperblock() (*superblock, error) {
	var at uint64
	found := false
	hdr := make([]byte, 8)
	for at = 0; at+8 <= uint64(f.size); at = nextSigOffset(at) {
		if err := f.readInto(hdr, at, "superblock signature"); err != nil {
			return nil, err
		}
		if bytes.Equal(hdr, signature) {
			found = true
			break
		}
	}
	if !found {
		return nil, corruptf("no HDF5 signature found (not an HDF5/NetCDF-4 file)")
	}
	n := uint64(f.size) - at
	if n > 512 {
		n = 512
	}
	b, err := f.readAt(at, n, "superblock")
	if err != nil {
		return nil, err
	}
	if len(b) < 16 {
		return nil, corruptf("superblock: truncated")
	}
	sb := &superblock{version: int(b[8]), rootBTree: undefAddr, rootHeap: undefAddr}
	switch sb.version {
	case 0, 1:
		sb.offsetSize, sb.lengthSize = int(b[13]), int(b[14])
	case 2, 3:
		sb.offsetSize, sb.lengthSize = int(b[9]), int(b[10])
	default:
		return nil, unsupportedf("superblock version %d", sb.version)
	}
	if !validSize(sb.offsetSize) || !validSize(sb.lengthSize) {
		return nil, corruptf("superblock: invalid offset/length sizes %d/%d", sb.offsetSize, sb.lengthSize)
	}
	f.offsetSize, f.lengthSize = sb.offsetSize, sb.lengthSize
	d := f.newDecoder(b, "superblock")
	switch sb.version {
	case 0, 1:
		d.skip(16) // signature, versions, sizes, reserved
		d.skip(4)  // group leaf/internal node K
		d.skip(4)  // file consistency flags
		if sb.version == 1 {
			d.skip(4) // indexed storage K + reserved
		}
		sb.base = d.address()
		d.address() // free-space info
		d.address() // end of file
		d.address() // driver info
		// root group symbol table entry
		d.address() // link name offset
		sb.rootAddr = d.address()
		cacheType := d.u32()
		d.skip(4)
		scratch := d.bytes(16)
		if cacheType == 1 && scratch != nil {
			sd := f.newDecoder(scratch, "superblock root scratch pad")
			sb.rootBTree = sd.address()
			sb.rootHeap = sd.address()
		}
	case 2, 3:
		d.skip(12)
		sb.base = d.address()
		d.address() // superblock extension
		d.address() // end of file
		sb.rootAddr = d.address()
		end := d.off
		d.skip(4)
		if d.err == nil {
			if err := verifyChecksum(b[:end+4], "superblock"); err != nil {
				return nil, err
			}
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	if sb.base == undefAddr {
		sb.base = 0
	}
	if sb.base > uint64(f.size) {
		return nil, corruptf("superblock: base address %d beyond end of file", sb.base)
	}
	if sb.rootAddr == undefAddr {
		return nil, corruptf("superblock: undefined root group address")
	}
	return sb, nil
}

func nextSigOffset(at uint64) uint64 {
	if at == 0 {
		return 512
	}
	return at * 2
}

func validSize(n int) bool { return n == 2 || n == 4 || n == 8 }
