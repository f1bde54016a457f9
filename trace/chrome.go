package trace

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"time"

	"chunkpipe/pipeline"
)

// event is one Chrome trace event as WriteChrome writes it.
type event struct {
	Name string         `json:"name"`
	Cat  string         `json:"cat,omitempty"`
	Ph   string         `json:"ph"`
	Ts   float64        `json:"ts"`
	Dur  *float64       `json:"dur,omitempty"`
	Pid  int            `json:"pid"`
	Tid  int            `json:"tid"`
	Args map[string]any `json:"args,omitempty"`
}

// micros converts a duration to the format's floating-point microseconds.
func micros(d time.Duration) float64 { return float64(d) / 1e3 }

// WriteChrome writes spans in the Chrome trace event format (the JSON object
// form), which chrome://tracing, Perfetto and speedscope open:
//
//	{"traceEvents": [...], "displayTimeUnit": "ms", "otherData": meta}
//
// Every worker gets its own track in process 1: a thread id numbered from 1
// in track order (read, kernel, write workers; see the package doc), named
// and ordered by "thread_name" and "thread_sort_index" metadata ("M")
// events. Each span becomes a complete ("X") event whose name and category
// are the span's kind, with ts and dur in microseconds and the chunk number
// in args. meta may be nil; it must be encodable as JSON.
//
// The thread ids depend only on the set of worker names, not on the order
// of spans. WriteChrome streams its output, holding one event at a time. A
// span that ends before it starts is an error, reported before anything is
// written.
func WriteChrome(w io.Writer, spans []pipeline.Span, meta map[string]any) error {
	return WriteChromeProcesses(w, []Process{{Name: "chunkpipe", Spans: spans}}, meta)
}

// Process is one process's spans, for [WriteChromeProcesses].
type Process struct {
	Name  string
	Spans []pipeline.Span
}

// WriteChromeProcesses is [WriteChrome] for spans of several processes (a
// cluster's workers): process i gets pid i+1, named by a "process_name"
// and ordered by a "process_sort_index" metadata event, and its workers
// get their tracks in it, numbered from 1 in track order. Complete events
// of every process are written in order of start time.
func WriteChromeProcesses(w io.Writer, procs []Process, meta map[string]any) error {
	type ref struct{ p, s int }
	var order []ref
	for p, pr := range procs {
		for i, s := range pr.Spans {
			if s.End < s.Start {
				where := ""
				if len(procs) > 1 {
					where = "process " + pr.Name + ": "
				}
				return fmt.Errorf("trace: %sspan %d (%s %s chunk %d) ends at %v, before it starts at %v",
					where, i, s.Worker, s.Kind, s.Chunk, s.End, s.Start)
			}
			order = append(order, ref{p, i})
		}
	}
	if meta == nil {
		meta = map[string]any{}
	}
	other, err := json.Marshal(meta)
	if err != nil {
		return fmt.Errorf("trace: encoding metadata: %w", err)
	}

	var events []event
	tids := make([]map[string]int, len(procs))
	for p, pr := range procs {
		pid := p + 1
		events = append(events, event{Name: "process_name", Ph: "M", Pid: pid, Args: map[string]any{"name": pr.Name}})
		if len(procs) > 1 {
			events = append(events, event{Name: "process_sort_index", Ph: "M", Pid: pid, Args: map[string]any{"sort_index": pid}})
		}
		workers := workerOrder(pr.Spans)
		tids[p] = make(map[string]int, len(workers))
		for i, name := range workers {
			tid := i + 1
			tids[p][name] = tid
			events = append(events,
				event{Name: "thread_name", Ph: "M", Pid: pid, Tid: tid, Args: map[string]any{"name": name}},
				event{Name: "thread_sort_index", Ph: "M", Pid: pid, Tid: tid, Args: map[string]any{"sort_index": tid}},
			)
		}
	}
	span := func(r ref) pipeline.Span { return procs[r.p].Spans[r.s] }
	sort.SliceStable(order, func(a, b int) bool { return span(order[a]).Start < span(order[b]).Start })

	bw := bufio.NewWriter(w)
	bw.WriteString(`{"traceEvents":[`)
	first := true
	put := func(e event) error {
		b, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("trace: encoding event %q: %w", e.Name, err)
		}
		if !first {
			bw.WriteByte(',')
		}
		first = false
		bw.WriteString("\n")
		bw.Write(b)
		return nil
	}
	for _, e := range events {
		if err := put(e); err != nil {
			return err
		}
	}
	for _, r := range order {
		s := span(r)
		dur := micros(s.End - s.Start)
		e := event{Name: s.Kind, Cat: s.Kind, Ph: "X", Ts: micros(s.Start), Dur: &dur,
			Pid: r.p + 1, Tid: tids[r.p][s.Worker], Args: map[string]any{"chunk": s.Chunk}}
		if err := put(e); err != nil {
			return err
		}
	}
	bw.WriteString("\n],\"displayTimeUnit\":\"ms\",\"otherData\":")
	bw.Write(other)
	bw.WriteString("}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("trace: writing: %w", err)
	}
	return nil
}
