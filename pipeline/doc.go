// Package pipeline runs a kernel chain over a chunked array in stages
// connected by bounded channels: read workers read and decode the input
// region each chunk needs, kernel workers apply the chain, and write workers
// hand finished regions to the output as they complete (streaming), while
// reductions merge per-chunk partials in chunk order.
//
// A bounded number of chunks is in flight at any time, so memory use depends
// on the chunk size and the worker counts, never on the size of the array.
// Kernel workers run under a [LockMode]: Free runs them truly in parallel;
// GIL serializes kernel compute behind one process-wide lock that is released
// while reading, decoding and writing, the way CPython's global interpreter
// lock is released around I/O (a holder yields it every
// Config.SwitchInterval at a row boundary, and the numpy model holds it only
// for per-task glue); Processes sends every chunk to a worker process (this
// binary re-executed, serving [ServeWorker]) and back, and counts the copies.
//
// [Run] executes one job; [RunBatch] runs many through one set of workers,
// a failed job stopping only itself unless Config.FailFast. Each chunk
// travels with a task drawn from a free list whose size is the in-flight
// bound, and its buffers come from pools, so steady state allocates nothing
// per chunk. A [Sink] that implements [RegionLender] lends the memory of an
// output region, and the kernels compute straight into it; a [Source] that
// implements [RegionViewer] (a memory-mapped file) lends a read-only view of
// an input region, and the kernels read it in place.
//
// The package imports chunk and kernels, never formats or any user-interface
// package: inputs and outputs are the small [Source] and [Sink] interfaces,
// and progress is reported through hooks in [Config].
package pipeline
