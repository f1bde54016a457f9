package quicklook_test

import (
	"math"
	"testing"

	"chunkpipe/formats/quicklook"
)

func TestStretchApply(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	tests := []struct {
		name string
		s    quicklook.Stretch
		v    float64
		want float64
	}{
		{"lo maps to 0", quicklook.Stretch{Lo: 200, Hi: 300, Gamma: 1}, 200, 0},
		{"hi maps to 1", quicklook.Stretch{Lo: 200, Hi: 300, Gamma: 1}, 300, 1},
		{"linear midpoint", quicklook.Stretch{Lo: 200, Hi: 300, Gamma: 1}, 225, 0.25},
		{"clip below", quicklook.Stretch{Lo: 200, Hi: 300, Gamma: 1}, -1e30, 0},
		{"clip above", quicklook.Stretch{Lo: 200, Hi: 300, Gamma: 1}, 1e30, 1},
		{"+Inf clips to 1", quicklook.Stretch{Lo: 0, Hi: 1, Gamma: 1}, math.Inf(1), 1},
		{"zero gamma is 1", quicklook.Stretch{Lo: 0, Hi: 4}, 1, 0.25},
		{"gamma 2 is sqrt (satpy v**(1/gamma))", quicklook.Stretch{Lo: 0, Hi: 1, Gamma: 2}, 0.25, 0.5},
		{"gamma 0.5 squares", quicklook.Stretch{Lo: 0, Hi: 1, Gamma: 0.5}, 0.5, 0.25},
		{"gamma keeps endpoints", quicklook.Stretch{Lo: 0, Hi: 1, Gamma: 0.4}, 1, 1},
		{"inverted range", quicklook.Stretch{Lo: 300, Hi: 200, Gamma: 1}, 225, 0.75},
		{"inverted clips", quicklook.Stretch{Lo: 300, Hi: 200, Gamma: 1}, 350, 0},
		{"degenerate: equal is mid", quicklook.Stretch{Lo: 5, Hi: 5, Gamma: 1}, 5, 0.5},
		{"degenerate: below is 0", quicklook.Stretch{Lo: 5, Hi: 5, Gamma: 1}, 4, 0},
		{"degenerate: above is 1", quicklook.Stretch{Lo: 5, Hi: 5, Gamma: 1}, 6, 1},
		{"degenerate with gamma", quicklook.Stretch{Lo: 5, Hi: 5, Gamma: 2}, 5, math.Sqrt(0.5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Apply(tt.v); math.Abs(got-tt.want) > 1e-15 {
				t.Errorf("%+v.Apply(%v) = %v, want %v", tt.s, tt.v, got, tt.want)
			}
		})
	}
	if got := (quicklook.Stretch{Lo: 0, Hi: 1, Gamma: 1}).Apply(nan); !math.IsNaN(got) {
		t.Errorf("Apply(NaN) = %v, want NaN", got)
	}
}

func TestLevel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		t    float64
		want uint8
	}{
		{0, 0}, {1, 255}, {-0.5, 0}, {2, 255}, {math.NaN(), 0},
		{0.5, 128}, // 127.5 rounds half up
		{1.0 / 255, 1}, {0.49 / 255, 0}, {0.51 / 255, 1}, {254.49 / 255, 254}, {254.5 / 255, 255},
	}
	for _, tt := range tests {
		if got := quicklook.Level(tt.t); got != tt.want {
			t.Errorf("Level(%v) = %d, want %d", tt.t, got, tt.want)
		}
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	oneToHundred := make([]float64, 100)
	for i := range oneToHundred {
		oneToHundred[i] = float64(i + 1)
	}
	tests := []struct {
		name   string
		sorted []float64
		p      float64
		want   float64
	}{
		// numpy.percentile(np.arange(1, 101), 2) == 2.98, 98 -> 98.02.
		{"1..100 p2", oneToHundred, 2, 2.98},
		{"1..100 p98", oneToHundred, 98, 98.02},
		{"1..100 p50", oneToHundred, 50, 50.5},
		{"p0 is min", oneToHundred, 0, 1},
		{"p100 is max", oneToHundred, 100, 100},
		{"single value", []float64{7}, 37, 7},
		{"two values interpolate", []float64{10, 20}, 25, 12.5},
		{"constant", []float64{3, 3, 3, 3}, 98, 3},
		{"exact rank", []float64{0, 1, 2, 3, 4}, 75, 3},
		{"t >= 0.5 form", []float64{0, 10}, 90, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quicklook.Percentile(tt.sorted, tt.p); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("Percentile(p=%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
	if got := quicklook.Percentile(nil, 50); !math.IsNaN(got) {
		t.Errorf("Percentile(empty) = %v, want NaN", got)
	}
	for _, p := range []float64{-1, 101, math.NaN()} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Percentile(p=%v) did not panic", p)
				}
			}()
			quicklook.Percentile(oneToHundred, p)
		}()
	}
}

func TestLimitsResolve(t *testing.T) {
	t.Parallel()
	nan, inf := math.NaN(), math.Inf(1)
	// 1..100 shuffled, with missing values that must be ignored.
	mixed := []float64{nan, inf, -inf}
	for i := 100; i >= 1; i-- {
		mixed = append(mixed, float64(i))
		if i%10 == 0 {
			mixed = append(mixed, nan)
		}
	}
	tests := []struct {
		name           string
		l              quicklook.Limits
		vals           []float64
		wantLo, wantHi float64
		wantOK         bool
	}{
		{"default percentile exact", quicklook.DefaultLimits, mixed, 2.98, 98.02, true},
		{"percentile 0:100 is minmax", quicklook.Limits{Kind: quicklook.ByPercentile, Low: 0, High: 100}, mixed, 1, 100, true},
		{"minmax ignores NaN and Inf", quicklook.Limits{Kind: quicklook.ByMinMax}, mixed, 1, 100, true},
		{"fixed ignores data", quicklook.Limits{Kind: quicklook.Fixed, Low: 330, High: 180}, mixed, 330, 180, true},
		{"fixed with no data", quicklook.Limits{Kind: quicklook.Fixed, Low: 0, High: 1}, nil, 0, 1, true},
		{"all NaN percentile", quicklook.DefaultLimits, []float64{nan, nan}, 0, 0, false},
		{"all NaN minmax", quicklook.Limits{Kind: quicklook.ByMinMax}, []float64{nan, inf}, 0, 0, false},
		{"constant", quicklook.DefaultLimits, []float64{4, 4, nan, 4}, 4, 4, true},
		{"single value", quicklook.Limits{Kind: quicklook.ByMinMax}, []float64{-2}, -2, -2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi, ok := tt.l.Resolve(tt.vals)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if ok && (math.Abs(lo-tt.wantLo) > 1e-12 || math.Abs(hi-tt.wantHi) > 1e-12) {
				t.Errorf("Resolve = %v, %v, want %v, %v", lo, hi, tt.wantLo, tt.wantHi)
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		stretch, rng string
		want         quicklook.Limits
		wantErr      bool
	}{
		{"", "", quicklook.DefaultLimits, false},
		{"percentile", "", quicklook.DefaultLimits, false},
		{"Percentile:1:99", "", quicklook.Limits{Kind: quicklook.ByPercentile, Low: 1, High: 99}, false},
		{"minmax", "", quicklook.Limits{Kind: quicklook.ByMinMax}, false},
		{"minmax", "180:330", quicklook.Limits{Kind: quicklook.Fixed, Low: 180, High: 330}, false},
		{"", " 330 : -1.5e2 ", quicklook.Limits{Kind: quicklook.Fixed, Low: 330, High: -150}, false},
		{"percentile:98:2", "", quicklook.Limits{}, true},
		{"percentile:0:101", "", quicklook.Limits{}, true},
		{"percentile:5", "", quicklook.Limits{}, true},
		{"histogram", "", quicklook.Limits{}, true},
		{"", "5", quicklook.Limits{}, true},
		{"", "a:b", quicklook.Limits{}, true},
		{"", "0:inf", quicklook.Limits{}, true},
		{"", "nan:1", quicklook.Limits{}, true},
	}
	for _, tt := range tests {
		got, err := quicklook.ParseLimits(tt.stretch, tt.rng)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseLimits(%q, %q) error = %v, wantErr %v", tt.stretch, tt.rng, err, tt.wantErr)
			continue
		}
		if err != nil {
			if !hasPrefix(err.Error(), "quicklook: ") {
				t.Errorf("error %q lacks the quicklook: prefix", err)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("ParseLimits(%q, %q) = %+v, want %+v", tt.stretch, tt.rng, got, tt.want)
		}
		// String round-trips through the option it came from.
		var back quicklook.Limits
		if got.Kind == quicklook.Fixed {
			back, err = quicklook.ParseLimits("", got.String())
		} else {
			back, err = quicklook.ParseLimits(got.String(), "")
		}
		if err != nil || back != got {
			t.Errorf("ParseLimits(String() = %q) = %+v, %v; want %+v", got.String(), back, err, got)
		}
	}
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
