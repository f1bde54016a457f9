package trace

import (
	"sort"
	"time"

	"chunkpipe/pipeline"
)

// computeSpans returns the compute spans (the stretches a kernel worker held
// the lock, under a gil) ordered by start, then end, then worker.
func computeSpans(spans []pipeline.Span) []pipeline.Span {
	var cs []pipeline.Span
	for _, s := range spans {
		if s.Kind == pipeline.StageCompute {
			cs = append(cs, s)
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End < b.End
		}
		return workerLess(a.Worker, b.Worker)
	})
	return cs
}

// LockShares returns each kernel worker's fraction of the total time kernel
// workers held the lock, counting compute spans as holding it:
//
//	share(w) = sum of w's compute span lengths / sum of all compute span lengths
//
// The shares add up to 1. Under the gil mode a fair lock gives each of n
// busy workers about 1/n; in the free mode there is no lock and the shares
// are simply each worker's part of the compute time. With no compute time at
// all the map is empty.
func LockShares(spans []pipeline.Span) map[string]float64 {
	held := make(map[string]time.Duration)
	var total time.Duration
	for _, s := range spans {
		if s.Kind == pipeline.StageCompute && s.End > s.Start {
			held[s.Worker] += s.End - s.Start
			total += s.End - s.Start
		}
	}
	shares := make(map[string]float64, len(held))
	if total <= 0 {
		return shares
	}
	for w, d := range held {
		shares[w] = float64(d) / float64(total)
	}
	return shares
}

// Handoffs returns the times at which the lock passed from one kernel worker
// to another: taking the compute spans in order of start, each span whose
// worker differs from the previous span's is a hand-off, at its start. The
// first holder's first span is not a hand-off.
//
// It reads the spans as a gil run's, where compute spans never overlap; in a
// free run they do and the count means little.
func Handoffs(spans []pipeline.Span) []time.Duration {
	cs := computeSpans(spans)
	var at []time.Duration
	for i := 1; i < len(cs); i++ {
		if cs[i].Worker != cs[i-1].Worker {
			at = append(at, cs[i].Start)
		}
	}
	return at
}

// HandoffRate returns the hand-offs per second of lock activity, the window
// running from the first compute span's start to the last one's end:
//
//	rate = len(Handoffs(spans)) / (last compute end - first compute start)
//
// With n workers always waiting and a switch interval T, expect about 1/T.
// It is 0 when there is no window.
func HandoffRate(spans []pipeline.Span) float64 {
	cs := computeSpans(spans)
	if len(cs) == 0 {
		return 0
	}
	first, last := cs[0].Start, cs[0].End
	for _, s := range cs {
		last = max(last, s.End)
	}
	if last <= first {
		return 0
	}
	return float64(len(Handoffs(spans))) / (last - first).Seconds()
}

// MidChunkHandoffs counts the hand-offs (see [Handoffs]) that happened in
// the middle of a chunk: the previous holder had not finished its chunk, as
// shown by a later compute span of the same worker on the same chunk. A
// gil with switch interval 0 hands the lock over only at chunk boundaries,
// so this is 0; with a short interval most hand-offs are mid-chunk.
func MidChunkHandoffs(spans []pipeline.Span) int {
	type key struct {
		worker string
		chunk  int
	}
	cs := computeSpans(spans)
	lastStart := make(map[key]time.Duration, len(cs))
	for _, s := range cs {
		k := key{s.Worker, s.Chunk}
		if t, ok := lastStart[k]; !ok || s.Start > t {
			lastStart[k] = s.Start
		}
	}
	n := 0
	for i := 1; i < len(cs); i++ {
		prev := cs[i-1]
		if cs[i].Worker != prev.Worker && lastStart[key{prev.Worker, prev.Chunk}] > prev.Start {
			n++
		}
	}
	return n
}
