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
//
// # Vector paths
//
// Built with GOEXPERIMENT=simd on amd64 (Go's simd/archsimd) and run on a
// CPU with AVX-512, the float32 loops of calibrate, bt, blur's row and
// window sums, coarsen:2 and coarsen:4 and the stats reducer's exact
// accumulation run on 8 or 16 lanes at a time (simd_amd64.go,
// coarsen_amd64.go, stats_amd64.go). All but bt give the same bits as the
// portable loops, which every build keeps: the same IEEE operations in the
// same order per element, or operations shown to give the same results
// (calibrate's fill and range tests in float32, calDomain32; coarsen adding
// +0 for NaN lanes to sums that cannot be -0; stats' exact sums with fused
// multiply-adds that round nothing), so the bits do not depend on which
// path runs. bt's vector loop
// keeps its float32 steps but has its own logarithm (a float32 polynomial
// with fused multiply-adds, within 2 ulp; log32, which the portable loop
// uses, is within 0.501), so its results may differ from the portable
// build's by up to 3 ulp (0.0005 K on ABI radiances). The CPU check
// happens once per process and the vector loop takes every element of a
// row, so all chunks take the same path and no result depends on
// chunking, workers or lock mode. (A cluster whose worker machines differ,
// some with AVX-512 and a GOEXPERIMENT=simd build and some without, would
// mix the two in bt's last bits.)
package kernels
