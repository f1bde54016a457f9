package hdf5

// linkKind is the kind of a link message.
type linkKind int

const (
	linkHard     linkKind = 0
	linkSoft     linkKind = 1
	linkExternal linkKind = 64
)

// maxLinks bounds the number of links in one group.
const maxLinks = 1 << 20

// linkEntry is one link of a group.
type linkEntry struct {
	name   string
	kind   linkKind
	addr   uint64 // absolute object header address for hard links
	target string // soft link target or external "file:path"
}

// parseLink decodes a link message.
func (f *File) parseLink(data []byte) (linkEntry, error) {
	var l linkEntry
	d := f.newDecoder(data, "link message")
	if v := d.u8(); v != 1 {
		return l, corruptf("link message version %d", v)
	}
	flags := d.u8()
	if flags&0x08 != 0 {
		l.kind = linkKind(d.u8())
	}
	if flags&0x04 != 0 {
		d.skip(8) // creation order
	}
	if flags&0x10 != 0 {
		d.skip(1) // character set
	}
	n := d.uvar(1 << (flags & 3))
	if n > uint64(d.remaining()) {
		return l, corruptf("link message: name length %d overruns message", n)
	}
	l.name = string(d.bytes(int(n)))
	switch l.kind {
	case linkHard:
		l.addr = f.addr(d.address())
	case linkSoft:
		m := int(d.u16())
		l.target = string(d.bytes(m))
	case linkExternal:
		m := int(d.u16())
		b := d.bytes(m)
		if len(b) > 1 {
			parts := splitNul(b[1:])
			if len(parts) >= 2 {
				l.target = parts[0] + ":" + parts[1]
			}
		}
	default:
		// user-defined link: ignored
	}
	if d.err != nil {
		return l, d.err
	}
	if l.name == "" {
		return l, corruptf("link message: empty link name")
	}
	return l, nil
}

func splitNul(b []byte) []string {
	var out []string
	start := 0
	for i, c := range b {
		if c == 0 {
			out = append(out, string(b[start:i]))
			start = i + 1
		}
	}
	if start < len(b) {
		out = append(out, string(b[start:]))
	}
	return out
}

// groupLinks returns all links of the group whose header is oh: from a
// symbol table (old style), link messages (compact) or a fractal heap and
// v2 B-tree (dense).
func (f *File) groupLinks(oh *objectHeader) ([]linkEntry, error) {
	var links []linkEntry
	for i := range oh.messages {
		m := &oh.messages[i]
		switch m.typ {
		case msgSymbolTable:
			d := f.newDecoder(m.data, "symbol table message")
			bt := d.address()
			heap := d.address()
			if d.err != nil {
				return nil, d.err
			}
			ls, err := f.symbolTableEntries(f.addr(bt), f.addr(heap))
			if err != nil {
				return nil, wrapf(err, "symbol table")
			}
			links = append(links, ls...)
		case msgLink:
			l, err := f.parseLink(m.data)
			if err != nil {
				return nil, err
			}
			links = append(links, l)
		case msgLinkInfo:
			heap, nameIdx, err := f.openDense(m.data, "link info message", 8)
			if err != nil {
				return nil, wrapf(err, "dense link storage")
			}
			if heap == nil {
				continue
			}
			err = f.walkBTree2(f.addr(nameIdx), bt2LinkName, func(rec []byte) error {
				if len(rec) < 5 {
					return corruptf("link name record too short")
				}
				obj, err := heap.get(rec[4:])
				if err != nil {
					return err
				}
				l, err := f.parseLink(obj)
				if err != nil {
					return err
				}
				if len(links) >= maxLinks {
					return corruptf("group has too many links")
				}
				links = append(links, l)
				return nil
			})
			if err != nil {
				return nil, wrapf(err, "dense link storage")
			}
		}
		if len(links) > maxLinks {
			return nil, corruptf("group has too many links")
		}
	}
	return links, nil
}
