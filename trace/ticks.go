package trace

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// secondsTicks labels a time axis in seconds with about ten major ticks at
// a "nice" step (1, 2 or 5 times a power of ten) and unlabelled minor ticks
// between them, so a 1600-pixel timeline reads to a tenth of its length.
type secondsTicks struct{}

// Ticks implements plot.Ticker.
func (secondsTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 3, 64)}}
	}
	step, minor := niceStep((hi - lo) / 10)
	prec := max(0, -int(math.Floor(math.Log10(step))))
	var ticks []plot.Tick
	for i := math.Ceil(lo / minor); i*minor <= hi*(1+1e-12); i++ {
		v := i * minor
		if k := math.Round(v / step); math.Abs(v-k*step) < minor/2 {
			v = k * step
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', prec, 64)})
		} else {
			ticks = append(ticks, plot.Tick{Value: v})
		}
	}
	return ticks
}

// niceStep returns the smallest step of 1, 2 or 5 times a power of ten that
// is at least raw, and the minor step to go with it.
func niceStep(raw float64) (step, minor float64) {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []struct{ step, minor float64 }{{1, 0.5}, {2, 1}, {5, 1}, {10, 5}} {
		if m.step*p >= raw*(1-1e-12) {
			return m.step * p, m.minor * p
		}
	}
	return 10 * p, 5 * p
}
