// Package kernels holds chunkpipe's per-chunk maths: elementwise kernels
// (calibrate, reflectance, bt), stencils (blur, median), block reductions
// (coarsen) and whole-array reductions (stats, histogram), plus [Chain], which
// runs a sequence of kernels over one chunk exactly as they would run over the
// whole array.
//
// Kernels work on float32 blocks (the data is memory-bound, and float32
// halves the traffic); reductions accumulate exactly, so a result does not
// depend on how the array was chunked. After a table-driven calibrate of
// 8/16-bit counts, [Chain] folds pointwise kernels into the table, and runs
// blur, coarsen and reductions straight from the raw counts (exact integer
// sums of fixed-point terms, or counts of raw values), with the same bits
// as the float path. Kernels know nothing about channels,
// workers or locks; the pipeline package supplies those.
package kernels
