// Package kernels holds chunkpipe's per-chunk maths: elementwise kernels
// (calibrate, reflectance, bt), stencils (blur, median), block reductions
// (coarsen) and whole-array reductions (stats, histogram), plus [Chain], which
// runs a sequence of kernels over one chunk exactly as they would run over the
// whole array.
//
// Kernels work on float32 blocks (the data is memory-bound, and float32
// halves the traffic); reductions accumulate exactly, so a result does not
// depend on how the array was chunked. Kernels know nothing about channels,
// workers or locks; the pipeline package supplies those.
package kernels
