//go:build !unix

package kernels

import "math"

// processCPUSeconds is not measured here: NaN.
func processCPUSeconds() float64 { return math.NaN() }
