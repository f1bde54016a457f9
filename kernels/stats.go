package kernels

import (
	"fmt"
	"math"
	"math/big"

	"chunkpipe/chunk"
)

// Stats is the whole-array summary reducer. Its [Result] has the fields
//
//	count      non-NaN values (±Inf included)
//	nan_count  NaN values
//	min, max   extremes of the non-NaN values (NaN when count is 0; -0 < +0)
//	mean       sum / count
//	std        population standard deviation (ddof = 0)
//	sum        sum of the non-NaN values (0 when count is 0)
//
// With ±Inf among the values, sum and mean are ±Inf (NaN with both signs)
// and std is NaN, as numpy's nan-functions give.
//
// The accumulation is exact, so the result has the same bits for any
// chunking and merge order. Each finite float32 is x = m * 2^(e-150), with
// m a signed 24-bit integer and e its exponent field (1 for subnormals);
// per e, int64 buckets sum m and the two 24-bit halves of m*m. Each add
// is below 2^24 in magnitude, so a partial holds up to 2^39 values (5e11)
// without overflow. Result turns the buckets into the exact integers
//
//	S = sum x * 2^149,   Q = sum x^2 * 2^298
//
// with math/big, and rounds mean = S/n, var = (n*Q - S^2) / (n^2 * 2^298)
// and std = sqrt(var) to float64 from 256-bit (mean: exact rational)
// arithmetic. The vector path (stats_amd64.go) reaches the same S and Q
// by exact float64 lane sums over batches of nearby exponents.
type Stats struct{}

var _ Reducer = Stats{}

// Name returns "stats".
func (Stats) Name() string { return "stats" }

// NewPartial returns an empty partial (about 6 KiB of buckets).
func (Stats) NewPartial() Partial { return newStatsPartial() }

// statsPartial is the mergeable, exact state of a Stats reduction.
type statsPartial struct {
	finite, nan    int64
	posInf, negInf int64
	min, max       float32 // valid when finite+posInf+negInf > 0
	sum            [256]int64
	sqHi, sqLo     [256]int64
	cast           chunk.Array // float32 copy of non-Float32 blocks
}

func newStatsPartial() *statsPartial {
	return &statsPartial{min: float32(math.Inf(1)), max: float32(math.Inf(-1))}
}

// less orders float32 values with -0 before +0 (no NaN).
func less(a, b float32) bool {
	return a < b || a == b && math.Signbit(float64(a)) && !math.Signbit(float64(b))
}

// Add folds the block src into the partial (any dtype; non-Float32 blocks
// are converted to float32 first).
func (s *statsPartial) Add(src *chunk.Array, p Pacer) {
	a, err := asFloat32(&s.cast, src)
	if err != nil {
		return // a malformed view has no elements to add
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

// addRow folds one row: the vector path (statsAddVec) takes what it can,
// the scalar loop the rest; both leave the same exact sums.
func (s *statsPartial) addRow(in []float32) {
	s.addScalar(in[statsAddVec(s, in):])
}

// addScalar folds values one at a time into the buckets of their exponent.
func (s *statsPartial) addScalar(in []float32) {
	mn, mx := s.min, s.max
	for _, x := range in {
		u := math.Float32bits(x)
		e := (u >> 23) & 0xff
		if e == 0xff {
			switch {
			case u&0x7fffff != 0:
				s.nan++
				continue
			case u>>31 != 0:
				s.negInf++
			default:
				s.posInf++
			}
		} else {
			m := u & 0x7fffff
			if e != 0 {
				m |= 1 << 23
			} else {
				e = 1
			}
			sq := uint64(m) * uint64(m)
			e &= 0xff
			if u>>31 != 0 {
				s.sum[e] -= int64(m)
			} else {
				s.sum[e] += int64(m)
			}
			s.sqHi[e] += int64(sq >> 24)
			s.sqLo[e] += int64(sq & (1<<24 - 1))
			s.finite++
		}
		if less(x, mn) {
			mn = x
		}
		if less(mx, x) {
			mx = x
		}
	}
	s.min, s.max = mn, mx
}

// Merge folds other, a Stats partial, into s. It panics when other comes
// from a different reducer, which is a programming error.
func (s *statsPartial) Merge(other Partial) {
	o, ok := other.(*statsPartial)
	if !ok {
		panic(fmt.Sprintf("kernels: stats: cannot merge %T", other))
	}
	s.finite += o.finite
	s.nan += o.nan
	s.posInf += o.posInf
	s.negInf += o.negInf
	if less(o.min, s.min) {
		s.min = o.min
	}
	if less(s.max, o.max) {
		s.max = o.max
	}
	for e := range s.sum {
		s.sum[e] += o.sum[e]
		s.sqHi[e] += o.sqHi[e]
		s.sqLo[e] += o.sqLo[e]
	}
}

// StatsFields is the order of the fields in a Stats [Result].
var StatsFields = []string{"count", "nan_count", "min", "max", "mean", "std", "sum"}

// Result returns the statistics (see [Stats]).
func (s *statsPartial) Result() Result {
	count := s.finite + s.posInf + s.negInf
	nan := math.NaN()
	v := map[string]float64{
		"count": float64(count), "nan_count": float64(s.nan),
		"min": nan, "max": nan, "mean": nan, "std": nan, "sum": 0,
	}
	if count > 0 {
		v["min"], v["max"] = float64(s.min), float64(s.max)
	}
	S, Q := s.exactSums()
	switch {
	case s.posInf > 0 && s.negInf > 0:
		v["sum"], v["mean"] = nan, nan
	case s.posInf > 0:
		v["sum"], v["mean"] = math.Inf(1), math.Inf(1)
	case s.negInf > 0:
		v["sum"], v["mean"] = math.Inf(-1), math.Inf(-1)
	default:
		var f big.Float
		f.SetInt(S)
		v["sum"], _ = new(big.Float).SetMantExp(&f, -149).Float64()
		if s.finite > 0 {
			n := big.NewInt(s.finite)
			den := new(big.Int).Lsh(n, 149)
			v["mean"], _ = new(big.Rat).SetFrac(S, den).Float64()
			// var = (n*Q - S^2) / (n^2 * 2^298)
			num := new(big.Int).Mul(n, Q)
			num.Sub(num, new(big.Int).Mul(S, S))
			den2 := new(big.Int).Mul(n, n)
			den2.Lsh(den2, 298)
			const prec = 256
			fv := new(big.Float).SetPrec(prec).SetInt(num)
			fd := new(big.Float).SetPrec(prec).SetInt(den2)
			fv.Quo(fv, fd)
			v["std"], _ = fv.Sqrt(fv).Float64()
		}
	}
	return Result{Name: "stats", Fields: append([]string(nil), StatsFields...), Values: v}
}

// exactSums returns the integers S = sum x * 2^149 and Q = sum x^2 * 2^298
// of the finite values (see [Stats]).
func (s *statsPartial) exactSums() (S, Q *big.Int) {
	S, Q = new(big.Int), new(big.Int)
	var t big.Int
	for e := range s.sum {
		if s.sum[e] != 0 {
			t.SetInt64(s.sum[e])
			S.Add(S, t.Lsh(&t, uint(e-1)))
		}
		if s.sqHi[e] != 0 || s.sqLo[e] != 0 {
			t.SetInt64(s.sqHi[e])
			t.Lsh(&t, 24)
			t.Add(&t, big.NewInt(s.sqLo[e]))
			Q.Add(Q, t.Lsh(&t, uint(2*(e-1))))
		}
	}
	return S, Q
}
