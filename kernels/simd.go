package kernels

import (
	"sync/atomic"

	"chunkpipe/chunk"
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

// streamStoreMinBytes is the output size of one kernel call above which
// the vector paths write with non-temporal stores (streamStore): more than
// the working set auto chunking sizes to stay in a core's caches
// (chunk.DefaultAutoBytes), so it would not be in cache when read next.
// Smaller outputs are written with ordinary stores, which leave them in
// cache for the next kernel of a chain.
const streamStoreMinBytes = chunk.DefaultAutoBytes
