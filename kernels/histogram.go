package kernels

import (
	"fmt"
	"math"
	"strconv"

	"chunkpipe/chunk"
)

// MaxHistogramBins is the largest bin count histogram accepts.
const MaxHistogramBins = 1 << 20

// Histogram is the equal-width histogram reducer over [MIN, MAX], binned
// as numpy.histogram does: BINS+1 edges from numpy.linspace, bin i holds
// edges[i] <= x < edges[i+1], and x == MAX goes to the last bin. Its
// [Result] carries Edges and Counts, and the values
//
//	count      values inside [MIN, MAX]
//	nan_count  NaN values
//	below      values < MIN (-Inf included)
//	above      values > MAX (+Inf included)
//
// Counts are integers, so merges are exact and any chunking gives the same
// result. Without an explicit range Histogram implements [RangeSetter]:
// the pipeline runs a min/max pass and calls SetRange before NewPartial
// (a partial made earlier counts every non-NaN value under "unbinned").
// SetRange must not race with NewPartial; otherwise Histogram is safe for
// concurrent use.
type Histogram struct {
	bins   int
	lo, hi float64
	ranged bool
	edges  []float64
}

var (
	_ Reducer     = (*Histogram)(nil)
	_ RangeSetter = (*Histogram)(nil)
)

// NewHistogram returns a histogram of bins bins over [lo, hi]. It fails
// unless 1 <= bins <= [MaxHistogramBins], lo and hi are finite and lo < hi.
func NewHistogram(bins int, lo, hi float64) (*Histogram, error) {
	h, err := NewHistogramAuto(bins)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || !(lo < hi) {
		return nil, fmt.Errorf("kernels: histogram range [%v, %v] must be finite with MIN < MAX", lo, hi)
	}
	h.setRange(lo, hi)
	return h, nil
}

// NewHistogramAuto returns a histogram of bins bins whose range is set
// later with SetRange (see [RangeSetter]).
func NewHistogramAuto(bins int) (*Histogram, error) {
	if bins < 1 || bins > MaxHistogramBins {
		return nil, fmt.Errorf("kernels: histogram bin count %d must be in [1, %d]", bins, MaxHistogramBins)
	}
	return &Histogram{bins: bins}, nil
}

// Name returns "histogram:BINS:MIN:MAX", or "histogram:BINS" before the
// range is known.
func (h *Histogram) Name() string {
	if !h.ranged {
		return "histogram:" + strconv.Itoa(h.bins)
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	return fmt.Sprintf("histogram:%d:%s:%s", h.bins, f(h.lo), f(h.hi))
}

// NeedsRange reports whether the range is still unknown.
func (h *Histogram) NeedsRange() bool { return !h.ranged }

// SetRange sets the range to [lo, hi], normally the data's min and max.
// As numpy does, lo == hi widens to [lo-0.5, hi+0.5]; lo > hi is swapped;
// a NaN or infinite bound (no finite data) gives [0, 1].
func (h *Histogram) SetRange(lo, hi float64) {
	switch {
	case math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0):
		lo, hi = 0, 1
	case lo > hi:
		lo, hi = hi, lo
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	h.setRange(lo, hi)
}

func (h *Histogram) setRange(lo, hi float64) {
	h.lo, h.hi, h.ranged = lo, hi, true
	// numpy.linspace(lo, hi, bins+1).
	h.edges = make([]float64, h.bins+1)
	step := (hi - lo) / float64(h.bins)
	for i := range h.edges {
		h.edges[i] = float64(i)*step + lo
	}
	h.edges[h.bins] = hi
}

// NewPartial returns an empty partial with one counter per bin.
func (h *Histogram) NewPartial() Partial {
	return &histPartial{h: *h, counts: make([]int64, h.bins)}
}

// histPartial is the mergeable state of a Histogram reduction.
type histPartial struct {
	h                           Histogram // a copy: SetRange later does not affect it
	counts                      []int64
	nan, below, above, unbinned int64
	cast                        chunk.Array
}

// Add folds the block src into the partial (any dtype; non-Float32 blocks
// are converted to float32 first).
func (s *histPartial) Add(src *chunk.Array, p Pacer) {
	a, err := asFloat32(&s.cast, src)
	if err != nil {
		return
	}
	d, err := view[float32](a)
	if err != nil {
		return
	}
	cols := a.Rect.Cols()
	for r := a.Rect.Row0; r < a.Rect.Row1; r++ {
		s.addRow(row(d, a, r, a.Rect.Col0, cols))
		p.Pace()
	}
}

func (s *histPartial) addRow(in []float32) {
	for _, x := range in {
		*s.slot(x)++
	}
}

// slot returns the counter a value x goes to: its bin, or the NaN, below,
// above or (before the range is known) unbinned count.
func (s *histPartial) slot(x32 float32) *int64 {
	h := &s.h
	x := float64(x32)
	switch {
	case x != x:
		return &s.nan
	case !h.ranged:
		return &s.unbinned
	case x < h.lo:
		return &s.below
	case x > h.hi:
		return &s.above
	}
	nb := len(s.counts)
	i := int((x - h.lo) * (float64(nb) / (h.hi - h.lo)))
	if i >= nb {
		i = nb - 1
	}
	if x < h.edges[i] {
		i--
	} else if i < nb-1 && x >= h.edges[i+1] {
		i++
	}
	return &s.counts[i]
}

// Merge folds other, a partial of the same histogram, into s. It panics
// when other comes from a different reducer or bin layout, which is a
// programming error.
func (s *histPartial) Merge(other Partial) {
	o, ok := other.(*histPartial)
	if !ok || len(o.counts) != len(s.counts) || o.h.lo != s.h.lo || o.h.hi != s.h.hi {
		panic(fmt.Sprintf("kernels: histogram: cannot merge %T with a different layout", other))
	}
	for i, c := range o.counts {
		s.counts[i] += c
	}
	s.nan += o.nan
	s.below += o.below
	s.above += o.above
	s.unbinned += o.unbinned
}

// HistogramFields is the order of the values in a Histogram [Result].
var HistogramFields = []string{"count", "nan_count", "below", "above"}

// Result returns the edges, counts and the values described at [Histogram].
func (s *histPartial) Result() Result {
	var in int64
	for _, c := range s.counts {
		in += c
	}
	r := Result{
		Name:   s.h.Name(),
		Fields: append([]string(nil), HistogramFields...),
		Values: map[string]float64{
			"count": float64(in), "nan_count": float64(s.nan),
			"below": float64(s.below), "above": float64(s.above),
		},
		Counts: append([]int64(nil), s.counts...),
	}
	if s.h.ranged {
		r.Edges = append([]float64(nil), s.h.edges...)
	}
	if s.unbinned > 0 || !s.h.ranged {
		r.Fields = append(r.Fields, "unbinned")
		r.Values["unbinned"] = float64(s.unbinned)
	}
	return r
}
