package kernels

import (
	"fmt"
	"math"
	"math/bits"

	"chunkpipe/chunk"
)

// MaxBlurSize is the largest window blur accepts.
const MaxBlurSize = 1023

// Blur is the NaN-ignoring N x N box mean (N odd), with halo N/2:
//
//	out[i,j] = float32(S / C),  S = sum of the non-NaN x[i+di, j+dj],
//	                            C = their count, |di|, |dj| <= N/2
//	out[i,j] = NaN              if C == 0
//
// S is accumulated in float64 and divided in float64 (±Inf are values, so
// a window holding +Inf and -Inf gives NaN). The output of a pixel never
// depends on where its chunk starts: Blur uses separable running sums,
// whose cost does not depend on N, only when they are exact, i.e. when the
// block's finite non-zero values are all multiples of 2^q and
//
//	N*(N+1) * max|x| < 2^(q+53)
//
// (q is the smallest ulp exponent among them, and no ±Inf occurs). Then
// every partial sum is an exactly representable float64, so S is the exact
// sum. Otherwise each pixel is summed in a fixed order (down each of the N
// columns, then across the column sums), which costs O(N) per pixel and
// depends only on the window; where a window satisfies the bound itself
// that fixed-order sum is exact too, so both paths agree wherever both
// apply. After a table-driven calibrate of 16-bit counts, [Chain] blurs
// the raw counts directly with integer running sums of fixed-point terms
// (see fixedTable), which are exact whenever the table's values satisfy
// the bound above, so they give the same bits at about half the cost.
// Blur is safe for concurrent use.
type Blur struct {
	window
	span int // the largest exponent span Emax - Emin for which running sums are exact
}

var _ Kernel = (*Blur)(nil)

// NewBlur returns the N x N blur with boundary mode b. N must be odd and
// 1 <= N <= [MaxBlurSize].
func NewBlur(n int, b chunk.Boundary) (*Blur, error) {
	if n < 1 || n%2 == 0 || n > MaxBlurSize {
		return nil, fmt.Errorf("kernels: blur size %d must be odd and in [1, %d]", n, MaxBlurSize)
	}
	name := fmt.Sprintf("blur:%d", n)
	if b != (chunk.Boundary{}) {
		name += ":" + b.String()
	}
	// max|x| < 2^(Emax-126) and q = Emin-150 (exponent fields); the bound
	// holds when Emax - Emin <= 53 - 24 - ceil(log2(N*(N+1))).
	l := bits.Len(uint(n*(n+1) - 1)) // ceil(log2(N*(N+1)))
	return &Blur{window: window{n: n, bound: b, name: name}, span: 29 - l}, nil
}

// Apply blurs src (covering dst.Rect grown by N/2) into dst. It allocates
// its work space; [Chain] reuses a [Scratch] instead.
func (k *Blur) Apply(dst, src *chunk.Array, p Pacer) error { return k.apply(dst, src, p, nil) }

func (k *Blur) apply(dst, src *chunk.Array, p Pacer, s *Scratch) error {
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
	h := k.Halo()
	w := dst.Rect.Cols() + 2*h
	sum, cnt := s.float64s(w), s.int32s(w)
	if k.exact(sv, src, dst.Rect.Grow(h)) {
		k.running(d, dst, sv, src, sum, cnt, p)
	} else {
		k.fixed(d, dst, sv, src, sum, cnt, p)
	}
	return nil
}

// exact reports whether running sums over region r of src are exact (see
// [Blur]).
func (k *Blur) exact(sv []float32, src *chunk.Array, r chunk.Region) bool {
	emin, emax := uint32(255), uint32(0)
	cols := r.Cols()
	for i := r.Row0; i < r.Row1; i++ {
		for _, x := range row(sv, src, i, r.Col0, cols) {
			a := math.Float32bits(x) & 0x7fffffff
			if a == 0 {
				continue
			}
			e := a >> 23
			if e == 255 {
				if a == 0x7f800000 {
					return false // ±Inf
				}
				continue // NaN
			}
			emin = min(emin, max(e, 1))
			emax = max(emax, e)
		}
	}
	return emax <= emin || int(emax-emin) <= k.span
}

// running computes the output with separable running sums (exact inputs
// only: the order of additions does not matter then).
func (k *Blur) running(d []float32, dst *chunk.Array, sv []float32, src *chunk.Array, sum []float64, cnt []int32, p Pacer) {
	n, h := k.n, k.Halo()
	cols := dst.Rect.Cols()
	c0 := dst.Rect.Col0 - h
	w := len(sum)
	cnt = cnt[:w]
	for j := range sum {
		sum[j], cnt[j] = 0, 0
	}
	addRow := func(r int, sign float64, dc int32) {
		in := row(sv, src, r, c0, w)
		in = in[:len(sum)]
		cnt := cnt[:len(sum)]
		for j := addRowVec(sum, cnt, in, sign, dc); j < len(in); j++ {
			if x := in[j]; x == x {
				sum[j] += sign * float64(x)
				cnt[j] += dc
			}
		}
	}
	r0 := dst.Rect.Row0
	for i := r0 - h; i < r0+h+1; i++ {
		addRow(i, 1, 1)
	}
	for i := r0; i < dst.Rect.Row1; i++ {
		if i > r0 {
			addRow(i+h, 1, 1)
			addRow(i-h-1, -1, -1)
		}
		out := row(d, dst, i, dst.Rect.Col0, cols)
		var s float64
		var c int32
		for j := 0; j < n; j++ {
			s += sum[j]
			c += cnt[j]
		}
		out[0] = mean32(s, int(c))
		// out[j] adds column j+n-1 and drops column j-1.
		rest := out[1:]
		lead, trail := sum[n:n+len(rest)], sum[:len(rest)]
		leadc, trailc := cnt[n:n+len(rest)], cnt[:len(rest)]
		for j := range rest {
			s += lead[j] - trail[j]
			c += leadc[j] - trailc[j]
			rest[j] = mean32(s, int(c))
		}
		p.Pace()
	}
}

// fixed computes each pixel's sum in a fixed order: down each column of
// the window, then across the column sums, left to right.
func (k *Blur) fixed(d []float32, dst *chunk.Array, sv []float32, src *chunk.Array, sum []float64, cnt []int32, p Pacer) {
	n, h := k.n, k.Halo()
	cols := dst.Rect.Cols()
	c0 := dst.Rect.Col0 - h
	w := len(sum)
	cnt = cnt[:w]
	for i := dst.Rect.Row0; i < dst.Rect.Row1; i++ {
		for j := range sum {
			sum[j], cnt[j] = 0, 0
		}
		for r := i - h; r <= i+h; r++ {
			in := row(sv, src, r, c0, w)
			in = in[:len(sum)]
			for j := addRowVec(sum, cnt, in, 1, 1); j < len(in); j++ {
				if x := in[j]; x == x {
					sum[j] += float64(x)
					cnt[j]++
				}
			}
		}
		out := row(d, dst, i, dst.Rect.Col0, cols)
		for j := windowMeansVec(out, sum, cnt, n); j < len(out); j++ {
			var s float64
			var c int32
			for _, v := range sum[j : j+n] {
				s += v
			}
			for _, v := range cnt[j : j+n] {
				c += v
			}
			out[j] = mean32(s, int(c))
		}
		p.Pace()
	}
}

// mean32 returns float32(s/c), or NaN when c is 0.
func mean32(s float64, c int) float32 {
	if c == 0 {
		return float32(math.NaN())
	}
	return float32(s / float64(c))
}
