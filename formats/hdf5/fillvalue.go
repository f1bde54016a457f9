package hdf5

// parseFillValue decodes a fill value message (type 5, versions 1-3) or an
// old fill value message (type 4). It returns nil when no value is defined.
func (f *File) parseFillValue(m *message) ([]byte, error) {
	d := f.newDecoder(m.data, "fill value message")
	if m.typ == msgFillOld {
		n := int(d.u32())
		v := d.bytes(n)
		return v, d.err
	}
	ver := d.u8()
	switch ver {
	case 1, 2:
		d.u8() // allocation time
		d.u8() // write time
		defined := d.u8()
		if ver == 2 && defined == 0 {
			return nil, d.err
		}
	case 3:
		flags := d.u8()
		if flags&0x20 == 0 {
			return nil, d.err
		}
	default:
		return nil, corruptf("fill value message version %d", ver)
	}
	if d.remaining() == 0 {
		return nil, nil
	}
	n := int(d.u32())
	v := d.bytes(n)
	if d.err != nil {
		return nil, d.err
	}
	if n == 0 {
		return nil, nil
	}
	return v, nil
}
