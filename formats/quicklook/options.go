package quicklook

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Options are the settings of a single-band quicklook, one field per
// option key (see the package documentation). The zero Options means a
// 2048-pixel, 2-98 percentile, gamma 1, grey quicklook.
type Options struct {
	MaxSize  int     // "max-size": longer output side in pixels; 0 means DefaultMaxSize
	Limits   Limits  // "stretch" and "range"; the zero value means DefaultLimits
	Gamma    float64 // "gamma": display gamma; 0 means 1
	Colormap string  // "colormap": a name from ColormapNames or "auto"; "" means gray
}

// ParseOptions reads the single-band options from a CreateSpec's Options
// map. Keys it does not know are left for other writers and ignored.
func ParseOptions(m map[string]string) (Options, error) {
	var o Options
	var err error
	if o.MaxSize, err = parseMaxSize(m["max-size"]); err != nil {
		return Options{}, err
	}
	if o.Limits, err = ParseLimits(m["stretch"], m["range"]); err != nil {
		return Options{}, err
	}
	if o.Gamma, err = parseGamma(m["gamma"]); err != nil {
		return Options{}, err
	}
	o.Colormap = strings.TrimSpace(m["colormap"])
	if o.Colormap != "" && !strings.EqualFold(o.Colormap, "auto") {
		if _, ok := ColormapByName(o.Colormap); !ok {
			return Options{}, fmt.Errorf("quicklook: unknown colormap %q (want auto, %s)", o.Colormap, strings.Join(ColormapNames(), ", "))
		}
	}
	return o, nil
}

// RGBOptions are the settings of an RGB [Composite]. The zero RGBOptions
// means a 2048-pixel composite with each channel stretched by
// [DefaultLimits] and gamma 1.
type RGBOptions struct {
	MaxSize int        // "max-size"; 0 means DefaultMaxSize
	Limits  [3]Limits  // "rgb-range", else "stretch" for every channel
	Gamma   [3]float64 // "rgb-gamma"; 0 means 1
}

// ParseRGBOptions reads the composite options from a CreateSpec's Options
// map: "rgb-range" is "LO:HI,LO:HI,LO:HI" and "rgb-gamma" is "G,G,G".
// Without "rgb-range" every channel is stretched by the "stretch" option.
func ParseRGBOptions(m map[string]string) (RGBOptions, error) {
	var o RGBOptions
	var err error
	if o.MaxSize, err = parseMaxSize(m["max-size"]); err != nil {
		return RGBOptions{}, err
	}
	if s := strings.TrimSpace(m["rgb-range"]); s != "" {
		parts := strings.Split(s, ",")
		if len(parts) != 3 {
			return RGBOptions{}, fmt.Errorf("quicklook: rgb-range %q: want three LO:HI ranges separated by commas", s)
		}
		for i, p := range parts {
			if o.Limits[i], err = ParseLimits("", p); err != nil {
				return RGBOptions{}, err
			}
		}
	} else {
		l, err := ParseLimits(m["stretch"], "")
		if err != nil {
			return RGBOptions{}, err
		}
		o.Limits = [3]Limits{l, l, l}
	}
	if s := strings.TrimSpace(m["rgb-gamma"]); s != "" {
		parts := strings.Split(s, ",")
		if len(parts) != 3 {
			return RGBOptions{}, fmt.Errorf("quicklook: rgb-gamma %q: want three gammas separated by commas", s)
		}
		for i, p := range parts {
			if o.Gamma[i], err = parseGamma(p); err != nil {
				return RGBOptions{}, err
			}
		}
	} else {
		o.Gamma = [3]float64{1, 1, 1}
	}
	return o, nil
}

// parseMaxSize parses the "max-size" option; "" gives DefaultMaxSize.
func parseMaxSize(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultMaxSize, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("quicklook: max-size %q is not a positive number of pixels", s)
	}
	return n, nil
}

// parseGamma parses a gamma; "" gives 1.
func parseGamma(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 1, nil
	}
	g, err := strconv.ParseFloat(s, 64)
	if err != nil || !(g > 0) || math.IsInf(g, 0) {
		return 0, fmt.Errorf("quicklook: gamma %q is not a positive finite number", s)
	}
	return g, nil
}

// validate checks option values that typed callers may set directly.
func validate(maxSize int, l Limits, gamma float64) error {
	if maxSize < 1 {
		return fmt.Errorf("quicklook: max-size %d is not a positive number of pixels", maxSize)
	}
	if !(gamma > 0) || math.IsInf(gamma, 0) {
		return fmt.Errorf("quicklook: gamma %v is not a positive finite number", gamma)
	}
	switch l.Kind {
	case ByPercentile:
		if !(l.Low >= 0 && l.Low < l.High && l.High <= 100) {
			return fmt.Errorf("quicklook: percentiles %v:%v: want 0 <= LO < HI <= 100", l.Low, l.High)
		}
	case ByMinMax:
	case Fixed:
		if isMissing(l.Low) || isMissing(l.High) {
			return fmt.Errorf("quicklook: range %v:%v is not finite", l.Low, l.High)
		}
	default:
		return fmt.Errorf("quicklook: unknown limit kind %v", l.Kind)
	}
	return nil
}
