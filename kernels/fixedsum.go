package kernels

import (
	"math"
	"math/bits"
)

// fixedCountBits is how many low bits of a packed fixed-point sum hold the
// count of valid terms; a sum may have at most maxFixedTerms terms.
const (
	fixedCountBits = 10
	maxFixedTerms  = 1<<fixedCountBits - 1
)

// fixedTable turns a calibration table (raw 16-bit value -> float32) into
// integer terms whose sums are the exact sums of the table's values, so
// that the NaN-ignoring means of blur and coarsen can be computed from raw
// counts with integer additions instead of float64 ones.
//
// Every finite value of the table is an integer multiple of 2^q, q being
// the smallest ulp exponent among its non-zero values: v = m * 2^q. The
// term of a raw value packs m and a count of one, m<<fixedCountBits | 1;
// NaN's term is 0. A sum of k <= maxFixedTerms terms then holds the sum M
// of the m in its high bits and the count of valid values in its low bits,
// and as long as k*max|m| < 2^53, M*2^q is exactly the float64 sum that
// the float path (which adds the same values in float64, exactly under the
// same bound) computes. Means from a fixedTable are therefore the same
// bits as blur's and coarsen's float paths, whatever order they add in.
type fixedTable struct {
	terms *[1 << 16]int64 // by raw value (its 16 bits)
	q     int             // every finite value is an integer multiple of 2^q
	pow2q float64         // 2^q
	maxM  uint64          // the largest |m|
	// recip[c] is RN(1/c) * 2^q: mean multiplies by it instead of dividing.
	recip [maxFixedTerms + 1]float64
}

// newFixedTable returns the fixed-point form of a 65536-entry table, or
// nil when the table holds ±Inf (Inf - Inf would be NaN, which integer
// sums cannot reproduce) or values too far apart in magnitude for int64.
func newFixedTable(tab []float32) *fixedTable {
	if len(tab) != 1<<16 {
		return nil
	}
	q := math.MaxInt
	for _, v := range tab {
		a := math.Float32bits(v) &^ (1 << 31)
		switch e := int(a >> 23); {
		case a == 0:
		case a == 0x7f800000:
			return nil // ±Inf
		case e == 255: // NaN
		default:
			q = min(q, max(e, 1)-150) // the exponent of v's ulp
		}
	}
	if q == math.MaxInt {
		q = 0 // only zeros and NaN
	}
	t := &fixedTable{terms: new([1 << 16]int64), q: q}
	for i, v := range tab {
		m, ok := t.mantissa(v)
		if !ok {
			return nil
		}
		if v == v {
			t.terms[i] = m<<fixedCountBits | 1
			t.maxM = max(t.maxM, uint64(abs64(m)))
		}
	}
	t.pow2q = math.Ldexp(1, q)
	t.recip[0] = math.NaN() // no valid terms: the product is this NaN
	for c := 1; c <= maxFixedTerms; c++ {
		t.recip[c] = math.Ldexp(1/float64(c), q)
	}
	return t
}

// mantissa returns m with v = m * 2^q, or false when v is not such a
// multiple or |m| >= 2^53 (NaN gives 0, true).
func (t *fixedTable) mantissa(v float32) (int64, bool) {
	b := math.Float32bits(v)
	a := b &^ (1 << 31)
	if a == 0 || a >= 0x7f800000 {
		return 0, a == 0 || a > 0x7f800000
	}
	e := int(a >> 23)
	frac := uint64(a & (1<<23 - 1))
	if e > 0 {
		frac |= 1 << 23
	}
	shift := max(e, 1) - 150 - t.q
	if shift < 0 {
		if frac&(1<<uint(-shift)-1) != 0 || -shift > 24 {
			return 0, false
		}
		frac >>= uint(-shift)
	} else {
		if shift > 53-24 {
			return 0, false
		}
		frac <<= uint(shift)
	}
	m := int64(frac)
	if b>>31 != 0 {
		m = -m
	}
	return m, true
}

// term returns the packed term of v (the constant of a boundary), or false
// when v does not fit the table's grid and bound.
func (t *fixedTable) term(v float32) (int64, bool) {
	if v != v {
		return 0, true
	}
	m, ok := t.mantissa(v)
	if !ok || uint64(abs64(m)) > t.maxM {
		return 0, false
	}
	return m<<fixedCountBits | 1, true
}

// exactFor reports whether sums whose partial sums stay within k values
// in magnitude (k <= maxFixedTerms) are exact: k*max|m| < 2^53. blur's
// running sums need k = N*(N+1), coarsen's fixed-order sums k = N*N.
func (t *fixedTable) exactFor(k, terms int) bool {
	if terms > maxFixedTerms || k < 1 {
		return false
	}
	hi, lo := bits.Mul64(t.maxM, uint64(k))
	return hi == 0 && lo < 1<<53
}

// mean returns, for a packed sum s of c valid terms with sum M, the mean
// float32(M*2^q / c), NaN when c is 0 (recip[0] is NaN): the bits of the
// float path's float32(S / float64(c)). It multiplies by the rounded
// reciprocal instead of dividing. The product is within 3 float64 ulps of
// the rounded quotient, so rounding it to float32 gives the same result
// unless it lies within a few ulps of a float32 rounding boundary, whose
// low 29 bits are 1<<28; then it divides. Exact ties are common (means of
// 25 float32 values often have 25 significant bits: about 2 % of the
// pixels of an ABI blur), so the division is written inline; mean is small
// enough for the compiler to inline into the kernels' loops.
func (t *fixedTable) mean(s int64) float32 {
	c := s & maxFixedTerms
	m := float64(s >> fixedCountBits)
	x := m * t.recip[c]
	if (math.Float64bits(x)+8)&(1<<29-1)&^31 == 1<<28 {
		x = m * t.pow2q / float64(c)
	}
	return float32(x)
}

// means writes mean(s) for every packed sum into out.
func (t *fixedTable) means(out []float32, sums []int64) {
	sums = sums[:len(out)]
	for j, s := range sums {
		out[j] = t.mean(s)
	}
}

func abs64(m int64) int64 {
	if m < 0 {
		return -m
	}
	return m
}
