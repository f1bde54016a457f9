// Package lab runs the benchmark sweep behind "chunkpipe bench" and reports
// on it.
//
// A sweep crosses three axes ([Axes]): kernel worker counts, lock modes
// (free, gil, processes) and chunk specs ("256", "512x1024", "auto"). Each
// crossing is a [Point]; [Sweep] runs every point Repeat times through a
// caller-supplied run function, interleaving the repeats so that machine
// noise (thermal throttling, a backup starting) spreads over all points
// rather than landing on one. The run function is the seam to the pipeline:
// lab itself never runs one, which keeps it testable with fakes.
//
// [Summarize] folds the [Sample]s of each point into a [Row] of medians,
// with the speedup over one worker and the parallel efficiency. Rows go out
// as an aligned text table ([WriteTable]), a markdown table
// ([WriteMarkdown]), CSV ([WriteCSV]), JSON with the raw samples
// ([WriteJSON]) and charts ([Plot]); [Recommend] picks the fastest chunk
// spec and says how much it beats "auto".
//
// # Statistics
//
// Rows report medians, not means: a benchmark's noise is one-sided (runs
// are slowed down, never sped up), and the median ignores the odd slow
// outlier. The median of an even number of samples is the mean of the two
// middle ones.
package lab
