package quicklook

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Stretch maps data values onto display intensities in [0, 1]:
//
//	t = clip((v - Lo) / (Hi - Lo), 0, 1) ** (1 / Gamma)
//
// Lo > Hi inverts the map (high values dark). When Lo == Hi, values below
// map to 0, values above to 1 and the value itself to 0.5 (before gamma),
// so a constant image comes out mid-grey. A Gamma of 0 is taken as 1. The
// zero Stretch maps negative values to 0 and the rest to 0.5 or 1.
type Stretch struct {
	Lo, Hi float64
	Gamma  float64
}

// Apply returns the display intensity of v in [0, 1], or NaN when v is
// NaN.
func (s Stretch) Apply(v float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	var t float64
	switch {
	case s.Lo == s.Hi:
		switch {
		case v < s.Lo:
			t = 0
		case v > s.Hi:
			t = 1
		default:
			t = 0.5
		}
	default:
		t = (v - s.Lo) / (s.Hi - s.Lo)
		t = min(max(t, 0), 1)
	}
	if s.Gamma != 0 && s.Gamma != 1 {
		t = math.Pow(t, 1/s.Gamma)
	}
	return t
}

// Level quantises a display intensity t in [0, 1] to an 8-bit level,
// round(255 t). Values outside [0, 1] are clipped; NaN gives 0.
func Level(t float64) uint8 {
	if !(t > 0) {
		return 0
	}
	if t >= 1 {
		return 255
	}
	return uint8(t*255 + 0.5)
}

// Percentile returns the p-th percentile (0 <= p <= 100) of sorted, which
// must be in ascending order and free of NaN, by linear interpolation
// between closest ranks (Hyndman and Fan's type 7, numpy's default
// "linear" method):
//
//	h = (n - 1) p / 100
//	q = x[floor(h)] + (h - floor(h)) (x[floor(h)+1] - x[floor(h)])
//
// The interpolation is evaluated as numpy's _lerp does, so results agree
// with numpy.percentile bit for bit. It returns NaN for an empty slice and
// panics when p is outside [0, 100].
func Percentile(sorted []float64, p float64) float64 {
	if !(p >= 0 && p <= 100) {
		panic(fmt.Sprintf("quicklook: percentile %v outside [0, 100]", p))
	}
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * (p / 100)
	i := int(math.Floor(h))
	if i >= n-1 {
		return sorted[n-1]
	}
	t := h - float64(i)
	a, b := sorted[i], sorted[i+1]
	d := b - a
	if t >= 0.5 {
		return b - d*(1-t)
	}
	return a + d*t
}

// LimitKind says how [Limits] chooses the stretch limits.
type LimitKind uint8

// The ways of choosing stretch limits.
const (
	// ByPercentile takes the Low-th and High-th percentiles of the values.
	ByPercentile LimitKind = iota
	// ByMinMax takes the smallest and largest values.
	ByMinMax
	// Fixed takes Low and High as data values.
	Fixed
)

// String returns the kind's option spelling.
func (k LimitKind) String() string {
	switch k {
	case ByPercentile:
		return "percentile"
	case ByMinMax:
		return "minmax"
	case Fixed:
		return "range"
	}
	return fmt.Sprintf("LimitKind(%d)", uint8(k))
}

// Limits chooses the data values that a [Stretch] maps to black and white.
// The zero Limits is not useful on its own: [ParseLimits] and
// [DefaultLimits] fill it in.
type Limits struct {
	Kind LimitKind
	// Low and High are percentiles in [0, 100] for ByPercentile, data
	// values for Fixed, and unused for ByMinMax.
	Low, High float64
}

// DefaultLimits is the default stretch: the 2nd to 98th percentile.
var DefaultLimits = Limits{Kind: ByPercentile, Low: 2, High: 98}

// String returns the limits in option syntax, e.g. "percentile:2:98".
func (l Limits) String() string {
	switch l.Kind {
	case ByMinMax:
		return "minmax"
	case Fixed:
		return formatFloat(l.Low) + ":" + formatFloat(l.High)
	}
	return "percentile:" + formatFloat(l.Low) + ":" + formatFloat(l.High)
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// ParseLimits parses the "stretch" and "range" options. A non-empty rng
// ("LO:HI") wins over stretch; an empty stretch means [DefaultLimits].
func ParseLimits(stretch, rng string) (Limits, error) {
	if strings.TrimSpace(rng) != "" {
		lo, hi, err := parsePair(rng)
		if err != nil {
			return Limits{}, fmt.Errorf("quicklook: range %q: %v (want LO:HI, e.g. 180:330)", rng, err)
		}
		return Limits{Kind: Fixed, Low: lo, High: hi}, nil
	}
	s := strings.ToLower(strings.TrimSpace(stretch))
	switch {
	case s == "" || s == "percentile":
		return DefaultLimits, nil
	case s == "minmax":
		return Limits{Kind: ByMinMax}, nil
	case strings.HasPrefix(s, "percentile:"):
		lo, hi, err := parsePair(strings.TrimPrefix(s, "percentile:"))
		if err == nil && !(lo >= 0 && lo < hi && hi <= 100) {
			err = fmt.Errorf("want 0 <= LO < HI <= 100")
		}
		if err != nil {
			return Limits{}, fmt.Errorf("quicklook: stretch %q: %v", stretch, err)
		}
		return Limits{Kind: ByPercentile, Low: lo, High: hi}, nil
	}
	return Limits{}, fmt.Errorf("quicklook: unknown stretch %q (want minmax, percentile or percentile:LO:HI)", stretch)
}

// parsePair parses "A:B" into two finite numbers.
func parsePair(s string) (float64, float64, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return 0, 0, fmt.Errorf("missing ':'")
	}
	lo, err := strconv.ParseFloat(strings.TrimSpace(a), 64)
	if err != nil || math.IsInf(lo, 0) || math.IsNaN(lo) {
		return 0, 0, fmt.Errorf("%q is not a finite number", a)
	}
	hi, err := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err != nil || math.IsInf(hi, 0) || math.IsNaN(hi) {
		return 0, 0, fmt.Errorf("%q is not a finite number", b)
	}
	return lo, hi, nil
}

// Resolve computes the data limits from vals, ignoring NaN and ±Inf. It
// reports ok = false when the limits need data and vals has no finite
// value. Percentiles are exact (see [Percentile]): Resolve sorts a copy of
// the finite values, which costs O(n log n) time and 8n bytes.
func (l Limits) Resolve(vals []float64) (lo, hi float64, ok bool) {
	switch l.Kind {
	case Fixed:
		return l.Low, l.High, true
	case ByMinMax:
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, v := range vals {
			if isMissing(v) {
				continue
			}
			lo, hi = min(lo, v), max(hi, v)
		}
		return lo, hi, lo <= hi
	}
	finite := make([]float64, 0, len(vals))
	for _, v := range vals {
		if !isMissing(v) {
			finite = append(finite, v)
		}
	}
	if len(finite) == 0 {
		return 0, 0, false
	}
	slices.Sort(finite)
	return Percentile(finite, l.Low), Percentile(finite, l.High), true
}

// isMissing reports whether v is NaN or infinite.
func isMissing(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
