package cluster

import (
	"fmt"
	"sort"
	"time"

	"chunkpipe/pipeline"
)

// wireSpan is one span as a worker sends it in a result record: its
// slot (the task runner within the worker process), the kind and chunk,
// and wall-clock times in Unix nanoseconds, so that the coordinator can
// place the spans of every process on its own time axis.
type wireSpan struct {
	Slot  int    `json:"s"`
	Kind  string `json:"k"`
	Chunk int    `json:"c"`
	Start int64  `json:"t0"`
	End   int64  `json:"t1"`
}

// ProcessSpans is one worker process's spans in a traced run: Name is the
// worker's name and each span's Worker its slot's track, times since
// the run (or batch) started.
type ProcessSpans struct {
	Name  string
	Spans []pipeline.Span
}

// CoordinatorName is the process name of the coordinator's own spans
// (publishing the tasks, committing the output) in a traced run.
const CoordinatorName = "coordinator"

// slotTrack names slot n's track in worker process name.
func slotTrack(name string, n int) string { return fmt.Sprintf("%s slot %02d", name, n) }

// spanLog gathers a traced run's spans by process.
type spanLog struct {
	zero  time.Time
	procs map[string][]pipeline.Span
}

func newSpanLog(zero time.Time) *spanLog {
	return &spanLog{zero: zero, procs: map[string][]pipeline.Span{}}
}

// since converts a wall-clock time to the run's axis. A worker whose
// clock runs behind the coordinator's could send a time before the run
// started: it is placed at the start, as trace formats need.
func (l *spanLog) since(unixNs int64) time.Duration {
	return max(0, time.Unix(0, unixNs).Sub(l.zero))
}

// addWorker adds a result record's spans to its worker process.
func (l *spanLog) addWorker(res *result) {
	for _, s := range res.Spans {
		start := l.since(s.Start)
		end := max(start, l.since(s.End))
		l.procs[res.Worker] = append(l.procs[res.Worker], pipeline.Span{Worker: slotTrack(res.Worker, s.Slot), Kind: s.Kind, Chunk: s.Chunk, Start: start, End: end})
	}
}

// addCoordinator adds one of the coordinator's own spans.
func (l *spanLog) addCoordinator(kind string, t0, t1 time.Time) {
	l.procs[CoordinatorName] = append(l.procs[CoordinatorName], pipeline.Span{Worker: CoordinatorName, Kind: kind, Chunk: -1,
		Start: max(0, t0.Sub(l.zero)), End: max(0, t1.Sub(l.zero))})
}

// processes returns the spans by process: the coordinator first, then
// the workers by name, each process's spans by start time.
func (l *spanLog) processes() []ProcessSpans {
	out := make([]ProcessSpans, 0, len(l.procs))
	for name, spans := range l.procs {
		sort.SliceStable(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
		out = append(out, ProcessSpans{Name: name, Spans: spans})
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Name == CoordinatorName) != (out[j].Name == CoordinatorName) {
			return out[i].Name == CoordinatorName
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// MergeSpans joins the spans of several traced runs on one time axis
// (a batch's, whose runs share Options.TraceStart) by process name.
func MergeSpans(reports ...*Report) []ProcessSpans {
	l := &spanLog{procs: map[string][]pipeline.Span{}}
	for _, r := range reports {
		if r == nil {
			continue
		}
		for _, p := range r.Spans {
			l.procs[p.Name] = append(l.procs[p.Name], p.Spans...)
		}
	}
	return l.processes()
}

// taskSpans records a worker task's spans when its job is traced.
type taskSpans struct {
	on    bool
	slot  int
	spans []wireSpan
}

// add records a span of chunk n from t0 to now and returns now.
func (ts *taskSpans) add(kind string, n int, t0 time.Time) time.Time {
	t1 := time.Now()
	if ts.on {
		ts.spans = append(ts.spans, wireSpan{Slot: ts.slot, Kind: kind, Chunk: n, Start: t0.UnixNano(), End: t1.UnixNano()})
	}
	return t1
}
