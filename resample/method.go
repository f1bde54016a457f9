package resample

import (
	"fmt"
	"strings"
)

// Method is how an output pixel takes its value from the input.
type Method int

const (
	// Nearest copies the input pixel whose area contains the output
	// pixel's centre, unchanged and in the input's element type (raw
	// counts stay counts, fill values stay fill values), as gdalwarp -r
	// near does.
	Nearest Method = iota
	// Bilinear interpolates between the four input pixel centres around the
	// output pixel's centre, as float32. Neighbours that are fill values or
	// NaN, or outside the input, are left out and the weights of the others
	// renormalised (as gdalwarp -r bilinear does with a source nodata
	// value); with none left the output is NaN. It is meant for output
	// pixels no larger than input pixels: it does not widen its kernel
	// when downsampling.
	Bilinear
	// Average is NaN-aware block averaging for downsampling: each output
	// pixel is the mean, as float32, of the valid input pixels whose
	// centres fall inside it (pyresample's bucket average), NaN when none
	// does. Output pixels smaller than input pixels get holes.
	Average
)

// String returns the method's name as [ParseMethod] accepts it.
func (m Method) String() string {
	switch m {
	case Nearest:
		return "nearest"
	case Bilinear:
		return "bilinear"
	case Average:
		return "average"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod parses "nearest" (or "near"), "bilinear" or "average".
func ParseMethod(s string) (Method, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "nearest", "near":
		return Nearest, nil
	case "bilinear":
		return Bilinear, nil
	case "average", "mean":
		return Average, nil
	}
	return 0, fmt.Errorf("resample: unknown method %q (want nearest, bilinear or average)", s)
}
