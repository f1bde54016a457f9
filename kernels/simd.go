package kernels

import (
	"sync/atomic"
)

// simdOn switches the vector paths of simd_amd64.go on (the default) or
// off, for benchmarks that time both paths in one run. It has no effect
// in builds without them. Every vector path but bt's gives the same bits
// as the portable one; bt's has its own logarithm (see btLoop), so
// switching mid-run could change bt's last bits and only tests and
// benchmarks do it.
var simdOn = func() *atomic.Bool {
	var b atomic.Bool
	b.Store(true)
	return &b
}()
