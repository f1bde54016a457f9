// Package trace turns the spans a traced pipeline run records
// ([pipeline.Report.Spans]) into things people and tests can look at:
//
//   - [WriteChrome] writes the Chrome trace event format, which
//     chrome://tracing, Perfetto (ui.perfetto.dev) and speedscope open,
//     with one named track per worker; [Validate] reads such a file back
//     and checks it.
//   - [DrawTimeline] draws a PNG timeline: one row per worker, one colour
//     per kind of span.
//   - [LockShares], [Handoffs], [HandoffRate] and [MidChunkHandoffs]
//     measure how a gil run passed its lock between kernel workers.
//
// # Tracks
//
// Every function that lays workers out orders them the same way: read
// workers, then kernel workers, then write workers, then any others, each
// group by its number ("kernel-2" before "kernel-10").
//
// # Times
//
// Span times are durations since the run started. The Chrome format counts
// microseconds as floating-point numbers; a float64 holds a nanosecond count
// exactly for runs of up to about 104 days, so writing and validating a trace
// gives back the spans' times unchanged.
package trace
