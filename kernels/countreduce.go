package kernels

import (
	"math"

	"chunkpipe/chunk"
)

// countAdder is implemented by partials that can fold a table of values
// weighted by counts: count[v] copies of tab[v]. Folding n copies of a
// value gives exactly the state n separate Adds give, so results do not
// change; only the cost does.
type countAdder interface {
	addCounts(tab []float32, counts []uint32)
}

// valueTable returns the table of the whole chain's value for each raw
// 8- or 16-bit input (calibrate and the pointwise kernels after it), or nil
// when the chain is not such a chain or t is not such a type.
func (c *Chain) valueTable(t chunk.DType) []float32 {
	if len(c.kernels) == 0 {
		return nil
	}
	cal, ok := c.kernels[0].(*Calibrate)
	if !ok {
		return nil
	}
	switch {
	case len(c.kernels) == 1:
		et := cal.effective(t)
		if lutSlot(et) < 0 {
			return nil
		}
		return cal.lut(et)
	case c.fusedN == len(c.kernels):
		return c.fusedTable(t)
	}
	return nil
}

// reduceByCounts folds the region out of src into part by counting each
// raw value once and folding the table's values weighted by their counts:
// for a reduction over calibrated 8- or 16-bit data this replaces a float
// decomposition per pixel by one increment. It reports false when the fast
// path does not apply.
func (c *Chain) reduceByCounts(part Partial, out chunk.Region, src *chunk.Array, p Pacer, s *Scratch) (bool, error) {
	ca, ok := part.(countAdder)
	if !ok || !src.Rect.Contains(out) {
		return false, nil
	}
	tab := c.valueTable(src.DType)
	if tab == nil || out.Len() < len(tab)/4 {
		return false, nil // clearing the counts would cost more than it saves
	}
	if cap(s.counts) < len(tab) {
		s.counts = make([]uint32, len(tab))
	}
	counts := s.counts[:len(tab)]
	clear(counts)
	cols := out.Cols()
	switch src.DType.Size() {
	case 1:
		v, err := view[uint8](bitsView(src))
		if err != nil {
			return false, err
		}
		for r := out.Row0; r < out.Row1; r++ {
			for _, x := range v[src.Offset(r, out.Col0):][:cols] {
				counts[x]++
			}
			p.Pace()
		}
	case 2:
		v, err := view[uint16](bitsView(src))
		if err != nil {
			return false, err
		}
		for r := out.Row0; r < out.Row1; r++ {
			for _, x := range v[src.Offset(r, out.Col0):][:cols] {
				counts[x]++
			}
			p.Pace()
		}
	default:
		return false, nil
	}
	ca.addCounts(tab, counts)
	return true, nil
}

// bitsView returns src viewed as unsigned integers of its size (the raw
// bits a table is indexed by).
func bitsView(src *chunk.Array) *chunk.Array {
	v := *src
	if v.DType.Size() == 1 {
		v.DType = chunk.Uint8
	} else {
		v.DType = chunk.Uint16
	}
	return &v
}

// addCounts folds counts[v] copies of tab[v] for every v.
func (s *statsPartial) addCounts(tab []float32, counts []uint32) {
	for v, n := range counts {
		if n == 0 {
			continue
		}
		s.addN(tab[v], int64(n))
	}
}

// addN folds n copies of x: the same state as n calls of addRow on x.
func (s *statsPartial) addN(x float32, n int64) {
	u := math.Float32bits(x)
	e := (u >> 23) & 0xff
	if e == 0xff {
		switch {
		case u&0x7fffff != 0:
			s.nan += n
			return
		case u>>31 != 0:
			s.negInf += n
		default:
			s.posInf += n
		}
	} else {
		m := u & 0x7fffff
		if e != 0 {
			m |= 1 << 23
		} else {
			e = 1
		}
		sq := uint64(m) * uint64(m)
		if u>>31 != 0 {
			s.sum[e] -= int64(m) * n
		} else {
			s.sum[e] += int64(m) * n
		}
		s.sqHi[e] += int64(sq>>24) * n
		s.sqLo[e] += int64(sq&(1<<24-1)) * n
		s.finite += n
	}
	if less(x, s.min) {
		s.min = x
	}
	if less(s.max, x) {
		s.max = x
	}
}

// addCounts folds counts[v] copies of tab[v] for every v.
func (s *histPartial) addCounts(tab []float32, counts []uint32) {
	for v, n := range counts {
		if n != 0 {
			*s.slot(tab[v]) += int64(n)
		}
	}
}
