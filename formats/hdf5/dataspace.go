package hdf5

import "math"

// Unlimited marks an unlimited maximum dimension in MaxShape.
const Unlimited = -1

// dataspace is a decoded dataspace message.
type dataspace struct {
	null    bool  // null dataspace: no elements
	dims    []int // empty for scalar
	maxDims []int // Unlimited for unlimited dimensions
}

const maxRank = 32

// parseDataspace decodes a dataspace message (versions 1 and 2).
func (f *File) parseDataspace(data []byte) (*dataspace, error) {
	d := f.newDecoder(data, "dataspace message")
	ver := d.u8()
	rank := int(d.u8())
	flags := d.u8()
	ds := &dataspace{}
	switch ver {
	case 1:
		d.skip(5)
	case 2:
		switch d.u8() {
		case 0: // scalar
			rank = 0
		case 1: // simple
		case 2:
			ds.null = true
			rank = 0
		default:
			return nil, corruptf("dataspace: unknown type")
		}
	default:
		return nil, corruptf("dataspace version %d", ver)
	}
	if rank > maxRank {
		return nil, corruptf("dataspace rank %d too large", rank)
	}
	total := uint64(1)
	for i := 0; i < rank; i++ {
		v := d.length()
		if v > math.MaxInt64/2 {
			return nil, corruptf("dataspace dimension %d too large", v)
		}
		var ok bool
		if total, ok = checkedMul(total, v, math.MaxInt64/2); !ok {
			return nil, corruptf("dataspace: element count overflows")
		}
		ds.dims = append(ds.dims, int(v))
	}
	if flags&1 != 0 {
		for i := 0; i < rank; i++ {
			v := d.length()
			if v == undefAddr || v > math.MaxInt64 {
				ds.maxDims = append(ds.maxDims, Unlimited)
			} else {
				ds.maxDims = append(ds.maxDims, int(v))
			}
		}
	} else {
		ds.maxDims = append([]int(nil), ds.dims...)
	}
	if d.err != nil {
		return nil, d.err
	}
	return ds, nil
}

// numElements returns the number of elements (1 for scalar, 0 for null).
func (ds *dataspace) numElements() int {
	if ds.null {
		return 0
	}
	n := 1
	for _, v := range ds.dims {
		n *= v
	}
	return n
}
