package resample

import "math"

// mapper maps pixel centres of one grid (from) to fractional pixel indices
// of another (to): from's map coordinates, inverse-projected to longitude
// and latitude, projected forward into to's CRS, divided into to's pixels.
// Indices are relative to pixel centres (see [Grid.Pixel]); a point that
// does not map is NaN.
//
// Along a row the mapping is smooth, so like GDAL's approximate transformer
// (gdalwarp -et) the mapper computes it exactly at the ends and the middle
// of a span and interpolates linearly when the middle is within tol pixels
// of the line through the ends, splitting the span otherwise. tol 0 maps
// every pixel exactly. Spans start at most maxSpan pixels long.
type mapper struct {
	from, to Grid
	tol      float64
	same     bool // one CRS: skip the geographic round trip
}

const maxSpan = 64

func newMapper(from, to Grid, tol float64) *mapper {
	return &mapper{from: from, to: to, tol: tol, same: from.CRS.EPSG != 0 && from.CRS.EPSG == to.CRS.EPSG}
}

// exact maps one point of from (fractional row and column) exactly.
func (m *mapper) exact(row, col float64) (r, c float64) {
	x, y := m.from.Center(row, col)
	if !m.same {
		lon, lat, ok := m.from.CRS.Proj.Inverse(x, y)
		if !ok {
			return math.NaN(), math.NaN()
		}
		if x, y, ok = m.to.CRS.Proj.Forward(lon, lat); !ok {
			return math.NaN(), math.NaN()
		}
	}
	return m.to.Pixel(x, y)
}

// row maps the centres of columns [c0, c0+len(rs)) of from's row into rs
// and cs. Spans are aligned to multiples of maxSpan in the whole row, so
// the result of a column does not depend on the range asked for: any
// chunking of the output gives the same values.
func (m *mapper) row(row, c0 int, rs, cs []float64) {
	n := len(rs)
	if n == 0 {
		return
	}
	fr := float64(row)
	if m.tol <= 0 {
		for i := range n {
			rs[i], cs[i] = m.exact(fr, float64(c0+i))
		}
		return
	}
	var br, bc [maxSpan + 1]float64
	for a := c0 - mod(c0, maxSpan); a < c0+n; a += maxSpan {
		br[0], bc[0] = m.exact(fr, float64(a))
		br[maxSpan], bc[maxSpan] = m.exact(fr, float64(a+maxSpan))
		m.span(fr, a, 0, maxSpan, br[:], bc[:])
		lo, hi := max(a, c0), min(a+maxSpan, c0+n)
		copy(rs[lo-c0:hi-c0], br[lo-a:hi-a])
		copy(cs[lo-c0:hi-c0], bc[lo-a:hi-a])
	}
}

func mod(a, b int) int { return ((a % b) + b) % b }

// span fills the points strictly between a and b, whose ends are mapped;
// index i of rs and cs is column c0+i.
func (m *mapper) span(row float64, c0, a, b int, rs, cs []float64) {
	if b-a < 2 {
		return
	}
	mid := (a + b) / 2
	rs[mid], cs[mid] = m.exact(row, float64(c0+mid))
	t := float64(mid-a) / float64(b-a)
	er := rs[a] + t*(rs[b]-rs[a]) - rs[mid]
	ec := cs[a] + t*(cs[b]-cs[a]) - cs[mid]
	if math.Abs(er) <= m.tol && math.Abs(ec) <= m.tol { // false for NaN
		for i := a + 1; i < b; i++ {
			if i == mid {
				continue
			}
			t := float64(i-a) / float64(b-a)
			rs[i] = rs[a] + t*(rs[b]-rs[a])
			cs[i] = cs[a] + t*(cs[b]-cs[a])
		}
		return
	}
	m.span(row, c0, a, mid, rs, cs)
	m.span(row, c0, mid, b, rs, cs)
}
