package kernels

import (
	"fmt"
	"math"

	"chunkpipe/chunk"
)

// MaxMedianSize is the largest window median accepts.
const MaxMedianSize = 255

// Median is the NaN-ignoring N x N median filter (N odd), with halo N/2,
// following numpy.nanmedian: the median of the window's non-NaN values,
// the mean of the two middle ones when their count is even (computed as
// float32((float64(a)+float64(b))/2), so it cannot overflow), NaN when the
// window has none. ±Inf are values.
//
// Each pixel gathers its window into a reused buffer and selects the
// middle with quickselect (insertion sort for small windows): O(N^2) per
// pixel, deliberately CPU-heavy. The result depends only on the window, so
// it is the same for any chunking. Median is safe for concurrent use.
type Median struct {
	window
}

var _ Kernel = (*Median)(nil)

// NewMedian returns the N x N median with boundary mode b. N must be odd
// and 1 <= N <= [MaxMedianSize].
func NewMedian(n int, b chunk.Boundary) (*Median, error) {
	if n < 1 || n%2 == 0 || n > MaxMedianSize {
		return nil, fmt.Errorf("kernels: median size %d must be odd and in [1, %d]", n, MaxMedianSize)
	}
	name := fmt.Sprintf("median:%d", n)
	if b != (chunk.Boundary{}) {
		name += ":" + b.String()
	}
	return &Median{window: window{n: n, bound: b, name: name}}, nil
}

// Apply filters src (covering dst.Rect grown by N/2) into dst. It
// allocates its work space; [Chain] reuses a [Scratch] instead.
func (k *Median) Apply(dst, src *chunk.Array, p Pacer) error { return k.apply(dst, src, p, nil) }

func (k *Median) apply(dst, src *chunk.Array, p Pacer, s *Scratch) error {
	d, sv, err := float32Views(k.name, dst, src, 1, k.Halo())
	if err != nil {
		return err
	}
	if dst.Rect.Empty() {
		return nil
	}
	if s == nil {
		s = NewScratch()
	}
	n, h := k.n, k.Halo()
	buf := s.float32s(n * n)
	cols := dst.Rect.Cols()
	for i := dst.Rect.Row0; i < dst.Rect.Row1; i++ {
		out := row(d, dst, i, dst.Rect.Col0, cols)
		for jj := range out {
			j := dst.Rect.Col0 + jj
			m := 0
			for r := i - h; r <= i+h; r++ {
				for _, x := range row(sv, src, r, j-h, n) {
					if x == x && m < len(buf) {
						buf[m] = x
						m++
					}
				}
			}
			out[jj] = median32(buf[:m])
		}
		p.Pace()
	}
	return nil
}

// median32 returns the median of a (reordering it): the middle value for
// an odd length, the mean of the two middle values for an even one, NaN
// for none. a holds no NaN.
func median32(a []float32) float32 {
	n := len(a)
	if n == 0 {
		return float32(math.NaN())
	}
	k := n / 2
	if n <= 16 {
		insertionSort(a)
		if n%2 == 1 {
			return a[k]
		}
		return float32((float64(a[k-1]) + float64(a[k])) / 2)
	}
	selectK(a, k)
	if n%2 == 1 {
		return a[k]
	}
	lo := a[0]
	for _, x := range a[1:k] {
		lo = max(lo, x)
	}
	return float32((float64(lo) + float64(a[k])) / 2)
}

func insertionSort(a []float32) {
	for i := 1; i < len(a); i++ {
		x := a[i]
		j := i
		for j > 0 && a[j-1] > x {
			a[j] = a[j-1]
			j--
		}
		a[j] = x
	}
}

// selectK reorders a so that a[k] is the value a sorted copy has at k,
// with a[:k] <= a[k] <= a[k+1:] (Hoare's quickselect, median-of-three
// pivots).
func selectK(a []float32, k int) {
	lo, hi := 0, len(a)-1
	for hi-lo > 16 {
		mid := lo + (hi-lo)/2
		if a[mid] < a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[mid] {
			a[hi], a[mid] = a[mid], a[hi]
		}
		pivot := a[mid]
		i, j := lo, hi
		for i <= j {
			for a[i] < pivot {
				i++
			}
			for a[j] > pivot {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return // a[j+1 .. i-1] all equal the pivot
		}
	}
	insertionSort(a[lo : hi+1])
}
