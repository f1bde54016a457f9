package quicklook

import (
	"fmt"
	"math"
	"sync"

	"chunkpipe/chunk"
)

// DefaultMaxSize is the default length in pixels of the longer side of a
// quicklook.
const DefaultMaxSize = 2048

// maxFactor bounds the downsampling factor so that a block's pixel count,
// f*f, fits the uint32 counters.
const maxFactor = 1 << 16

// Factor returns the integer downsampling factor that makes an array of
// shape in fit maxSize pixels on its longer side:
//
//	f = max(1, ceil(max(in.Rows, in.Cols) / maxSize))
//
// It returns 1 when maxSize <= 0.
func Factor(in chunk.Shape, maxSize int) int {
	longer := max(in.Rows, in.Cols)
	if maxSize <= 0 || longer <= maxSize {
		return 1
	}
	return (longer + maxSize - 1) / maxSize
}

// Downsampler accumulates the block means of an array that arrives in
// pieces: output pixel (i, j) is the mean of the finite values among input
// rows [i f, (i+1) f) and columns [j f, (j+1) f), clipped to the input
// shape, and NaN when there are none.
//
// It keeps a compensated float64 sum (Neumaier) and a count per output
// pixel, 20 bytes each, and nothing per input pixel. Its methods are safe
// for concurrent use: AddRow locks one output row, so goroutines feeding
// different output rows do not wait for each other. See the package
// documentation for when results are bit-for-bit independent of arrival
// order.
type Downsampler struct {
	in, out chunk.Shape
	f       int
	mu      []sync.Mutex // one per output row
	sum     []float64
	comp    []float64 // Neumaier compensation terms
	count   []uint32
	meansMu sync.Mutex // guards means
	means   []float64  // set by Means; then sum, comp and count are nil
}

// NewDownsampler returns a Downsampler that reduces an array of shape in by
// factor f. It returns an error when in is empty or f is outside
// [1, 65536].
func NewDownsampler(in chunk.Shape, f int) (*Downsampler, error) {
	if in.Rows <= 0 || in.Cols <= 0 {
		return nil, fmt.Errorf("quicklook: cannot downsample an empty %v array", in)
	}
	if f < 1 || f > maxFactor {
		return nil, fmt.Errorf("quicklook: downsampling factor %d outside [1, %d]", f, maxFactor)
	}
	out := chunk.Shape{Rows: (in.Rows + f - 1) / f, Cols: (in.Cols + f - 1) / f}
	n := out.Len()
	return &Downsampler{
		in: in, out: out, f: f,
		mu:    make([]sync.Mutex, out.Rows),
		sum:   make([]float64, n),
		comp:  make([]float64, n),
		count: make([]uint32, n),
	}, nil
}

// Factor returns the downsampling factor.
func (d *Downsampler) Factor() int { return d.f }

// InShape returns the shape of the input array.
func (d *Downsampler) InShape() chunk.Shape { return d.in }

// OutShape returns the shape of the output, ceil(in/f) on each axis.
func (d *Downsampler) OutShape() chunk.Shape { return d.out }

// AddRow adds the values of input row row starting at column col0. NaN
// and ±Inf are ignored. It panics when the values fall outside the input
// shape or after [Downsampler.Means]; both are programming errors.
func (d *Downsampler) AddRow(row, col0 int, vals []float64) {
	if row < 0 || row >= d.in.Rows || col0 < 0 || col0+len(vals) > d.in.Cols {
		panic(fmt.Sprintf("quicklook: row %d columns [%d,%d) outside the %v input", row, col0, col0+len(vals), d.in))
	}
	orow := row / d.f
	base := orow * d.out.Cols
	end := col0 + len(vals)
	d.mu[orow].Lock()
	defer d.mu[orow].Unlock()
	if d.sum == nil {
		panic("quicklook: AddRow after Means")
	}
	if d.f == 1 { // one input value per output pixel: skip the block loop
		sum, comp, count := d.sum[base+col0:base+end], d.comp[base+col0:base+end], d.count[base+col0:base+end]
		for i, v := range vals {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			sum[i], comp[i] = neumaier(sum[i], comp[i], v)
			count[i]++
		}
		return
	}
	for c := col0; c < end; {
		j := c / d.f
		stop := min((j+1)*d.f, end)
		k := base + j
		s, e, n := d.sum[k], d.comp[k], d.count[k]
		for _, v := range vals[c-col0 : stop-col0] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			s, e = neumaier(s, e, v)
			n++
		}
		d.sum[k], d.comp[k], d.count[k] = s, e, n
		c = stop
	}
}

// neumaier adds v to the compensated sum (s, e) and returns the new pair:
// s is the running float64 sum and e accumulates the rounding error of
// each addition, recovered exactly by Knuth's TwoSum in Neumaier's
// branch form, so that s + e is the sum to about twice float64 precision.
func neumaier(s, e, v float64) (float64, float64) {
	t := s + v
	if math.Abs(s) >= math.Abs(v) {
		e += (s - t) + v
	} else {
		e += (v - t) + s
	}
	return t, e
}

// Add adds every row of a, converting its elements to float64 (see
// [Float64Row]). a.Rect must lie inside the input shape.
func (d *Downsampler) Add(a *chunk.Array) error {
	if !d.in.Bounds().Contains(a.Rect) {
		return fmt.Errorf("quicklook: region %v outside the %v input", a.Rect, d.in)
	}
	if err := checkDType(a.DType); err != nil {
		return err
	}
	var buf []float64
	for r := a.Rect.Row0; r < a.Rect.Row1; r++ {
		buf = Float64Row(buf, a, r)
		d.AddRow(r, a.Rect.Col0, buf)
	}
	return nil
}

// Means returns the block means in row-major order of [Downsampler.OutShape],
// NaN where a block had no finite value. The first call ends the
// accumulation (later AddRow calls panic) and releases the sums; the
// returned slice is owned by d and the same on every call.
func (d *Downsampler) Means() []float64 {
	d.meansMu.Lock()
	defer d.meansMu.Unlock()
	if d.means != nil {
		return d.means
	}
	for i := range d.mu {
		d.mu[i].Lock()
	}
	m := d.sum
	for k := range m {
		if d.count[k] == 0 {
			m[k] = math.NaN()
			continue
		}
		m[k] = (m[k] + d.comp[k]) / float64(d.count[k])
	}
	d.means, d.sum, d.comp, d.count = m, nil, nil, nil
	for i := range d.mu {
		d.mu[i].Unlock()
	}
	return m
}
