// Package kernels holds chunkpipe's per-chunk maths: elementwise kernels
// (calibrate, reflectance, bt), stencils (blur, median), block reductions
// (coarsen) and whole-array reductions (stats, histogram), plus [Chain], which
// runs a sequence of kernels over one chunk exactly as they would run over the
// whole array.
//
// Kernels work on float32 blocks (the data is memory-bound, and float32
// halves the traffic); reductions accumulate exactly, so a result does not
// depend on how the array was chunked. After a table-driven calibrate of
// 8- or 16-bit counts, [Chain] folds the pointwise kernels that follow
// into the table, reductions count raw values, and blur and coarsen of
// 16-bit counts add fixed-point terms in integers: the same bits as the
// float path, without a calibrated intermediate. Kernels know nothing about channels,
// workers or locks; the pipeline package supplies those.
package kernels
