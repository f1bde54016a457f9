package hdf5

import "bytes"

// Header message types used by the reader.
const (
	msgNil          = 0x00
	msgDataspace    = 0x01
	msgLinkInfo     = 0x02
	msgDatatype     = 0x03
	msgFillOld      = 0x04
	msgFill         = 0x05
	msgLink         = 0x06
	msgExternal     = 0x07
	msgLayout       = 0x08
	msgGroupInfo    = 0x0A
	msgFilters      = 0x0B
	msgAttribute    = 0x0C
	msgContinuation = 0x10
	msgSymbolTable  = 0x11
	msgAttrInfo     = 0x15
)

// message flag bits.
const msgFlagShared = 0x02

// Limits that keep corrupt files from causing unbounded work.
const (
	maxContinuations = 4096
	maxMessages      = 1 << 16
)

// message is one raw header message.
type message struct {
	typ   uint16
	flags uint8
	data  []byte
}

// objectHeader is a parsed object header (version 1 or 2).
type objectHeader struct {
	addr     uint64 // absolute address
	version  int
	messages []message
}

// find returns the first message of type t, or nil.
func (h *objectHeader) find(t uint16) *message {
	for i := range h.messages {
		if h.messages[i].typ == t {
			return &h.messages[i]
		}
	}
	return nil
}

// readObjectHeader reads the object header at absolute address addr,
// following continuation blocks and verifying version 2 checksums.
func (f *File) readObjectHeader(addr uint64) (*objectHeader, error) {
	if addr == undefAddr || addr >= uint64(f.size) {
		return nil, corruptf("object header address %d outside file", addr)
	}
	n := uint64(16)
	if rest := uint64(f.size) - addr; rest < n {
		n = rest
	}
	pre, err := f.readAt(addr, n, "object header")
	if err != nil {
		return nil, err
	}
	h := &objectHeader{addr: addr}
	type block struct{ addr, size uint64 }
	var pending []block
	visited := map[uint64]bool{}
	if len(pre) >= 4 && bytes.Equal(pre[:4], []byte("OHDR")) {
		h.version = 2
		if len(pre) < 6 {
			return nil, corruptf("object header at %d truncated", addr)
		}
		flags := pre[5]
		hdrLen := uint64(6)
		if flags&0x20 != 0 {
			hdrLen += 16
		}
		if flags&0x10 != 0 {
			hdrLen += 4
		}
		szBytes := uint64(1) << (flags & 3)
		full, err := f.readAt(addr, hdrLen+szBytes, "object header")
		if err != nil {
			return nil, err
		}
		chunk0 := leUint(full[hdrLen:])
		if chunk0 > maxMetadataBlock {
			return nil, corruptf("object header at %d: chunk size %d too large", addr, chunk0)
		}
		start := hdrLen + szBytes
		blk, err := f.readAt(addr, start+chunk0+4, "object header")
		if err != nil {
			return nil, err
		}
		if err := verifyChecksum(blk, "object header"); err != nil {
			return nil, wrapf(err, "at address %d", addr)
		}
		cont, err := f.parseV2Messages(h, blk[start:start+chunk0], flags)
		if err != nil {
			return nil, err
		}
		for _, c := range cont {
			pending = append(pending, block{c[0], c[1]})
		}
		for len(pending) > 0 {
			b := pending[0]
			pending = pending[1:]
			if visited[b.addr] || len(visited) >= maxContinuations {
				return nil, corruptf("object header at %d: continuation loop", addr)
			}
			visited[b.addr] = true
			if b.size < 8 || b.size > maxMetadataBlock {
				return nil, corruptf("object header at %d: bad continuation size %d", addr, b.size)
			}
			cb, err := f.readAt(b.addr, b.size, "object header continuation")
			if err != nil {
				return nil, err
			}
			if !bytes.Equal(cb[:4], []byte("OCHK")) {
				return nil, corruptf("object header continuation at %d: bad signature", b.addr)
			}
			if err := verifyChecksum(cb, "object header continuation"); err != nil {
				return nil, wrapf(err, "at address %d", b.addr)
			}
			cont, err := f.parseV2Messages(h, cb[4:len(cb)-4], flags)
			if err != nil {
				return nil, err
			}
			for _, c := range cont {
				pending = append(pending, block{c[0], c[1]})
			}
		}
		return h, nil
	}
	if pre[0] != 1 || len(pre) < 16 {
		return nil, corruptf("object header at %d: unknown version %d", addr, pre[0])
	}
	h.version = 1
	size := uint64(pre[8]) | uint64(pre[9])<<8 | uint64(pre[10])<<16 | uint64(pre[11])<<24
	pending = append(pending, block{addr + 16, size})
	for len(pending) > 0 {
		b := pending[0]
		pending = pending[1:]
		if visited[b.addr] || len(visited) >= maxContinuations {
			return nil, corruptf("object header at %d: continuation loop", addr)
		}
		visited[b.addr] = true
		if b.size > maxMetadataBlock {
			return nil, corruptf("object header at %d: block size %d too large", addr, b.size)
		}
		blk, err := f.readAt(b.addr, b.size, "object header")
		if err != nil {
			return nil, err
		}
		cont, err := f.parseV1Messages(h, blk)
		if err != nil {
			return nil, err
		}
		for _, c := range cont {
			pending = append(pending, block{c[0], c[1]})
		}
	}
	return h, nil
}

// parseV1Messages appends the messages of one version 1 block and returns
// the continuation blocks it names (absolute address, size).
func (f *File) parseV1Messages(h *objectHeader, blk []byte) ([][2]uint64, error) {
	var cont [][2]uint64
	p := 0
	for p+8 <= len(blk) {
		typ := uint16(blk[p]) | uint16(blk[p+1])<<8
		size := int(blk[p+2]) | int(blk[p+3])<<8
		flags := blk[p+4]
		p += 8
		if size > len(blk)-p {
			return nil, corruptf("object header at %d: message size %d overruns block", h.addr, size)
		}
		data := blk[p : p+size]
		p += size
		if c, ok, err := f.handleMessage(h, typ, flags, data); err != nil {
			return nil, err
		} else if ok {
			cont = append(cont, c)
		}
	}
	return cont, nil
}

// parseV2Messages appends the messages of one version 2 block (without
// signature and checksum).
func (f *File) parseV2Messages(h *objectHeader, blk []byte, hflags uint8) ([][2]uint64, error) {
	var cont [][2]uint64
	hdr := 4
	if hflags&0x04 != 0 {
		hdr = 6
	}
	p := 0
	for p+hdr <= len(blk) {
		typ := uint16(blk[p])
		size := int(blk[p+1]) | int(blk[p+2])<<8
		flags := blk[p+3]
		p += hdr
		if size > len(blk)-p {
			return nil, corruptf("object header at %d: message size %d overruns block", h.addr, size)
		}
		data := blk[p : p+size]
		p += size
		if c, ok, err := f.handleMessage(h, typ, flags, data); err != nil {
			return nil, err
		} else if ok {
			cont = append(cont, c)
		}
	}
	return cont, nil
}

// handleMessage records a message, decoding continuation messages.
func (f *File) handleMessage(h *objectHeader, typ uint16, flags uint8, data []byte) ([2]uint64, bool, error) {
	if len(h.messages) >= maxMessages {
		return [2]uint64{}, false, corruptf("object header at %d: too many messages", h.addr)
	}
	switch typ {
	case msgNil:
		return [2]uint64{}, false, nil
	case msgContinuation:
		d := f.newDecoder(data, "continuation message")
		a := d.address()
		n := d.length()
		if d.err != nil {
			return [2]uint64{}, false, d.err
		}
		return [2]uint64{f.addr(a), n}, true, nil
	}
	h.messages = append(h.messages, message{typ: typ, flags: flags, data: data})
	return [2]uint64{}, false, nil
}

// sharedTarget decodes a shared message reference and returns the absolute
// address of the object header holding the real message.
func (f *File) sharedTarget(data []byte) (uint64, error) {
	d := f.newDecoder(data, "shared message")
	ver := d.u8()
	typ := d.u8()
	switch ver {
	case 1:
		d.skip(6)
	case 2:
	case 3:
		if typ != 2 {
			return 0, unsupportedf("shared message stored in the shared object header message heap")
		}
	default:
		return 0, corruptf("shared message version %d", ver)
	}
	a := d.address()
	if d.err != nil {
		return 0, d.err
	}
	return f.addr(a), nil
}

// resolveShared returns the message data of type t, following a shared
// message reference to another object header if needed (one level).
func (f *File) resolveShared(m *message, t uint16) ([]byte, error) {
	if m.flags&msgFlagShared == 0 {
		return m.data, nil
	}
	a, err := f.sharedTarget(m.data)
	if err != nil {
		return nil, err
	}
	oh, err := f.readObjectHeader(a)
	if err != nil {
		return nil, err
	}
	tm := oh.find(t)
	if tm == nil || tm.flags&msgFlagShared != 0 {
		return nil, corruptf("shared message target at %d lacks message type %d", a, t)
	}
	return tm.data, nil
}
