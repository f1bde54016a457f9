package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"chunkpipe/chunk"
	"gonum.org/v1/gonum/stat"
)

func statsOf(t *testing.T, vals ...float32) Result {
	t.Helper()
	p := Stats{}.NewPartial()
	p.Add(f32Array(t, chunk.Rect(0, 0, 1, len(vals)), vals...), NoPace)
	return p.Result()
}

// TestStatsAgainstGonum compares mean and population std with gonum's
// two-pass stat.PopMeanVariance within 1e-12 relative, over data with
// wide dynamic range, and sum/min/max/count with plain loops.
func TestStatsAgainstGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	for _, tc := range []struct {
		name string
		gen  func() float32
	}{
		{"radiance", func() float32 { return float32(rng.NormFloat64()*20 + 85) }},
		{"offset large", func() float32 { return float32(1e6 + rng.Float64()) }},
		{"mixed magnitudes", func() float32 { return float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(20)-10))) }},
		{"subnormal", func() float32 { return float32(rng.NormFloat64() * 1e-42) }},
	} {
		n := 10007
		vals := make([]float32, n)
		xs := make([]float64, 0, n)
		for i := range vals {
			vals[i] = tc.gen()
			if i%13 == 0 {
				vals[i] = nan32
				continue
			}
			xs = append(xs, float64(vals[i]))
		}
		r := statsOf(t, vals...)
		mean, variance := stat.PopMeanVariance(xs, nil)
		std := math.Sqrt(variance)
		if !close64(r.Values["mean"], mean, 1e-12, 0) {
			t.Errorf("%s: mean %v, gonum %v", tc.name, r.Values["mean"], mean)
		}
		if !close64(r.Values["std"], std, 1e-12, 0) && tc.name != "subnormal" {
			t.Errorf("%s: std %v, gonum %v", tc.name, r.Values["std"], std)
		}
		if r.Values["count"] != float64(len(xs)) || r.Values["nan_count"] != float64(n-len(xs)) {
			t.Errorf("%s: count %v nan %v, want %d and %d", tc.name, r.Values["count"], r.Values["nan_count"], len(xs), n-len(xs))
		}
		lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
		for _, x := range xs {
			lo, hi, sum = math.Min(lo, x), math.Max(hi, x), sum+x
		}
		if r.Values["min"] != lo || r.Values["max"] != hi || !close64(r.Values["sum"], sum, 1e-12, 0) {
			t.Errorf("%s: min %v max %v sum %v, want %v %v %v", tc.name, r.Values["min"], r.Values["max"], r.Values["sum"], lo, hi, sum)
		}
	}
}

// TestStatsExact checks values a float64 accumulator gets wrong: the
// exact sum of 1e30, 1, -1e30 is 1.
func TestStatsExact(t *testing.T) {
	r := statsOf(t, 1e30, 1, -1e30)
	if r.Values["sum"] != 1 || r.Values["mean"] != 1.0/3 {
		t.Errorf("sum %v mean %v, want 1 and 1/3", r.Values["sum"], r.Values["mean"])
	}
	// The population variance of {1e30, 1, -1e30} is (2e60 + 1 - 1/3)/3 up
	// to float32 rounding of 1e30.
	x := float64(float32(1e30))
	want := math.Sqrt((2*x*x + 1 - 1.0/3) / 3)
	if !close64(r.Values["std"], want, 1e-15, 0) {
		t.Errorf("std %v, want %v", r.Values["std"], want)
	}
}

func TestStatsEdgeCases(t *testing.T) {
	negZero := float32(math.Copysign(0, -1))
	nan := math.NaN()
	cases := []struct {
		name string
		vals []float32
		want map[string]float64
	}{
		{"empty", nil, map[string]float64{"count": 0, "nan_count": 0, "min": nan, "max": nan, "mean": nan, "std": nan, "sum": 0}},
		{"all NaN", []float32{nan32, nan32}, map[string]float64{"count": 0, "nan_count": 2, "min": nan, "max": nan, "mean": nan, "std": nan, "sum": 0}},
		{"one", []float32{2.5}, map[string]float64{"count": 1, "nan_count": 0, "min": 2.5, "max": 2.5, "mean": 2.5, "std": 0, "sum": 2.5}},
		{"+Inf", []float32{1, inf32}, map[string]float64{"count": 2, "min": 1, "max": math.Inf(1), "mean": math.Inf(1), "std": nan, "sum": math.Inf(1)}},
		{"-Inf", []float32{-inf32, 1, nan32}, map[string]float64{"count": 2, "nan_count": 1, "min": math.Inf(-1), "max": 1, "mean": math.Inf(-1), "std": nan, "sum": math.Inf(-1)}},
		{"both Inf", []float32{-inf32, inf32}, map[string]float64{"count": 2, "mean": nan, "std": nan, "sum": nan}},
		{"signed zeros", []float32{0, negZero}, map[string]float64{"count": 2, "min": math.Copysign(0, -1), "max": 0, "mean": 0, "std": 0, "sum": 0}},
		{"1x1 zero", []float32{0}, map[string]float64{"count": 1, "min": 0, "max": 0, "mean": 0, "std": 0, "sum": 0}},
	}
	for _, c := range cases {
		r := statsOf(t, c.vals...)
		if len(r.Fields) != 7 || r.Name != "stats" {
			t.Errorf("%s: name %q fields %v", c.name, r.Name, r.Fields)
		}
		for k, w := range c.want {
			g := r.Values[k]
			if math.IsNaN(w) != math.IsNaN(g) || !math.IsNaN(w) && (g != w || math.Signbit(g) != math.Signbit(w)) {
				t.Errorf("%s: %s = %v, want %v", c.name, k, g, w)
			}
		}
	}
}

// TestStatsSignedZeroOrder checks that min is -0 whichever order the
// zeros arrive in (merge order must not matter).
func TestStatsSignedZeroOrder(t *testing.T) {
	negZero := float32(math.Copysign(0, -1))
	a, b := Stats{}.NewPartial(), Stats{}.NewPartial()
	a.Add(f32Array(t, chunk.Rect(0, 0, 1, 1), 0), NoPace)
	b.Add(f32Array(t, chunk.Rect(0, 0, 1, 1), negZero), NoPace)
	a.Merge(b)
	if r := a.Result(); !math.Signbit(r.Values["min"]) || math.Signbit(r.Values["max"]) {
		t.Errorf("min %v max %v, want -0 and +0", r.Values["min"], r.Values["max"])
	}
}

func TestStatsAddConvertsDTypes(t *testing.T) {
	p := Stats{}.NewPartial()
	p.Add(i16Array(t, chunk.Rect(0, 0, 1, 3), []int16{-1, 2, 5}), NoPace)
	r := p.Result()
	if r.Values["sum"] != 6 || r.Values["min"] != -1 || r.Values["count"] != 3 {
		t.Errorf("int16 block: %v", r.Values)
	}
}
