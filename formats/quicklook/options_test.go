package quicklook_test

import (
	"strings"
	"testing"

	"chunkpipe/formats/quicklook"
)

func TestParseOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		m       map[string]string
		want    quicklook.Options
		wantErr string
	}{
		{"defaults", nil, quicklook.Options{MaxSize: 2048, Limits: quicklook.DefaultLimits, Gamma: 1}, ""},
		{"all set", map[string]string{"max-size": "512", "stretch": "minmax", "gamma": "2.2", "colormap": "magma", "other-writer-key": "x"},
			quicklook.Options{MaxSize: 512, Limits: quicklook.Limits{Kind: quicklook.ByMinMax}, Gamma: 2.2, Colormap: "magma"}, ""},
		{"range overrides stretch", map[string]string{"stretch": "minmax", "range": "330:180", "colormap": "auto"},
			quicklook.Options{MaxSize: 2048, Limits: quicklook.Limits{Kind: quicklook.Fixed, Low: 330, High: 180}, Gamma: 1, Colormap: "auto"}, ""},
		{"zero max-size", map[string]string{"max-size": "0"}, quicklook.Options{}, "max-size"},
		{"bad max-size", map[string]string{"max-size": "big"}, quicklook.Options{}, "max-size"},
		{"zero gamma", map[string]string{"gamma": "0"}, quicklook.Options{}, "gamma"},
		{"negative gamma", map[string]string{"gamma": "-1"}, quicklook.Options{}, "gamma"},
		{"bad colormap", map[string]string{"colormap": "jet"}, quicklook.Options{}, "colormap"},
		{"bad stretch", map[string]string{"stretch": "log"}, quicklook.Options{}, "stretch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := quicklook.ParseOptions(tt.m)
			checkErr(t, err, tt.wantErr)
			if err == nil && got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseRGBOptions(t *testing.T) {
	t.Parallel()
	fixed := func(lo, hi float64) quicklook.Limits {
		return quicklook.Limits{Kind: quicklook.Fixed, Low: lo, High: hi}
	}
	tests := []struct {
		name    string
		m       map[string]string
		want    quicklook.RGBOptions
		wantErr string
	}{
		{"defaults", nil, quicklook.RGBOptions{MaxSize: 2048,
			Limits: [3]quicklook.Limits{quicklook.DefaultLimits, quicklook.DefaultLimits, quicklook.DefaultLimits},
			Gamma:  [3]float64{1, 1, 1}}, ""},
		{"brief example", map[string]string{"rgb-range": "273:333,0:1,0:0.75", "rgb-gamma": "0.4,1,1", "max-size": "100"},
			quicklook.RGBOptions{MaxSize: 100, Limits: [3]quicklook.Limits{fixed(273, 333), fixed(0, 1), fixed(0, 0.75)},
				Gamma: [3]float64{0.4, 1, 1}}, ""},
		{"stretch for all", map[string]string{"stretch": "minmax"}, quicklook.RGBOptions{MaxSize: 2048,
			Limits: [3]quicklook.Limits{{Kind: quicklook.ByMinMax}, {Kind: quicklook.ByMinMax}, {Kind: quicklook.ByMinMax}},
			Gamma:  [3]float64{1, 1, 1}}, ""},
		{"two ranges", map[string]string{"rgb-range": "0:1,0:1"}, quicklook.RGBOptions{}, "rgb-range"},
		{"bad range", map[string]string{"rgb-range": "0:1,0:1,zero:1"}, quicklook.RGBOptions{}, "range"},
		{"two gammas", map[string]string{"rgb-gamma": "1,1"}, quicklook.RGBOptions{}, "rgb-gamma"},
		{"bad gamma", map[string]string{"rgb-gamma": "1,0,1"}, quicklook.RGBOptions{}, "gamma"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := quicklook.ParseRGBOptions(tt.m)
			checkErr(t, err, tt.wantErr)
			if err == nil && got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// checkErr fails unless err is nil when want is "", or is a quicklook
// error mentioning want otherwise.
func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Fatalf("no error, want one about %q", want)
	case err != nil && (!strings.HasPrefix(err.Error(), "quicklook: ") || !strings.Contains(err.Error(), want)):
		t.Fatalf("error %q: want prefix \"quicklook: \" and mention of %q", err, want)
	}
}
