package pipeline

import (
	"time"
)

// worker is one goroutine of a stage, with its counters and, when tracing,
// the spans it recorded. Only its own goroutine touches it during a run.
type worker struct {
	id           int
	name         string
	stats        WorkerStats
	trace        bool
	start        time.Time
	spans        []Span
	chunk        int
	tasks        int       // dask-like tasks per chunk of the current job
	heldSince    time.Time // when it last took the gil
	computeSince time.Time // when its current compute span began
}

// busy accounts a stretch of read or write work.
func (w *worker) busy(kind string, t0, t1 time.Time) {
	w.stats.Busy += t1.Sub(t0)
	w.stats.Chunks++
	w.record(kind, t0, t1)
}

// record keeps a span when tracing.
func (w *worker) record(kind string, t0, t1 time.Time) {
	if !w.trace {
		return
	}
	w.spans = append(w.spans, Span{Worker: w.name, Kind: kind, Chunk: w.chunk, Start: t0.Sub(w.start), End: t1.Sub(w.start)})
}
