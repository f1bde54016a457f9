package kernels

import (
	"sync/atomic"
)

// simdOn switches the vector paths of simd_amd64.go on (the default) or
// off, for benchmarks that time both paths in one run. It has no effect
// in builds without them. Every vector path gives the same bits as the
// portable one, so switching never changes a result.
var simdOn = func() *atomic.Bool {
	var b atomic.Bool
	b.Store(true)
	return &b
}()
