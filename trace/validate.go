package trace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"time"

	"chunkpipe/pipeline"
)

// Summary is what [Validate] learned from a Chrome trace.
type Summary struct {
	Events          int             // events of every phase, metadata included
	Spans           []pipeline.Span // the complete ("X") events, ordered by start, then end
	Workers         []string        // track names in track order
	Kinds           map[string]int  // complete events per name
	End             time.Duration   // when the last complete event ends
	DisplayTimeUnit string          // "ms", "ns" or "" (absent, or the array form)
	Meta            map[string]any  // the "otherData" object; nil if absent
}

// rawEvent is one event as read back, with pointers to tell a missing field
// from a zero one.
type rawEvent struct {
	Name *string        `json:"name"`
	Ph   *string        `json:"ph"`
	Ts   *float64       `json:"ts"`
	Dur  *float64       `json:"dur"`
	Pid  *int           `json:"pid"`
	Tid  *int           `json:"tid"`
	Args map[string]any `json:"args"`
}

// rawTrace is the JSON object form of a trace.
type rawTrace struct {
	TraceEvents     *[]rawEvent    `json:"traceEvents"`
	DisplayTimeUnit string         `json:"displayTimeUnit"`
	OtherData       map[string]any `json:"otherData"`
}

// track identifies a thread.
type track struct{ pid, tid int }

// complete is one checked complete event.
type complete struct {
	i          int // event number, for errors
	start, end float64
	span       pipeline.Span
}

// Validate reads a Chrome trace in the JSON object form (or the bare array
// form) and checks what the format requires and what [WriteChrome]
// promises:
//
//   - every event has name, ph, ts, pid and tid, and ts is not negative;
//   - every complete ("X") event has a dur that is not negative;
//   - "thread_name" metadata carries a string args.name and
//     "thread_sort_index" a numeric args.sort_index;
//   - complete events on one track do not overlap, except that one may lie
//     wholly inside another (the format draws that as a stack).
//
// It converts the complete events back into spans: the worker is the track's
// thread_name ("tid-N" when it has none), the kind is the event's name and
// the chunk is args.chunk (-1 when absent). Errors name the event by its
// position in traceEvents.
func Validate(r io.Reader) (*Summary, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("trace: reading: %w", err)
	}
	var raw rawTrace
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		var evs []rawEvent
		if err := json.Unmarshal(data, &evs); err != nil {
			return nil, fmt.Errorf("trace: not a Chrome trace: %w", err)
		}
		raw.TraceEvents = &evs
	} else {
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, fmt.Errorf("trace: not a Chrome trace: %w", err)
		}
		if raw.TraceEvents == nil {
			return nil, fmt.Errorf("trace: no traceEvents array")
		}
	}

	sum := &Summary{Kinds: make(map[string]int), DisplayTimeUnit: raw.DisplayTimeUnit, Meta: raw.OtherData}
	names := make(map[track]string)
	sortIdx := make(map[track]float64)
	byTrack := make(map[track][]complete)
	for i, ev := range *raw.TraceEvents {
		if err := checkEvent(i, ev); err != nil {
			return nil, err
		}
		sum.Events++
		tr := track{*ev.Pid, *ev.Tid}
		switch *ev.Ph {
		case "M":
			switch *ev.Name {
			case "thread_name":
				n, ok := ev.Args["name"].(string)
				if !ok {
					return nil, fmt.Errorf("trace: event %d: thread_name without a string args.name", i)
				}
				names[tr] = n
			case "thread_sort_index":
				v, ok := ev.Args["sort_index"].(float64)
				if !ok {
					return nil, fmt.Errorf("trace: event %d: thread_sort_index without a numeric args.sort_index", i)
				}
				sortIdx[tr] = v
			}
		case "X":
			c := complete{i: i, start: *ev.Ts, end: *ev.Ts + *ev.Dur}
			c.span = pipeline.Span{Kind: *ev.Name, Chunk: -1, Start: fromMicros(c.start), End: fromMicros(c.end)}
			if v, ok := ev.Args["chunk"].(float64); ok {
				c.span.Chunk = int(v)
			}
			byTrack[tr] = append(byTrack[tr], c)
			sum.Kinds[*ev.Name]++
		}
	}

	tracks := make([]track, 0, len(byTrack))
	for tr := range byTrack {
		tracks = append(tracks, tr)
	}
	for tr := range names {
		if _, ok := byTrack[tr]; !ok {
			tracks = append(tracks, tr)
		}
	}
	sort.Slice(tracks, func(a, b int) bool {
		ta, tb := tracks[a], tracks[b]
		if ta.pid != tb.pid {
			return ta.pid < tb.pid
		}
		sa, oka := sortIdx[ta]
		sb, okb := sortIdx[tb]
		if oka && okb && sa != sb {
			return sa < sb
		}
		return ta.tid < tb.tid
	})
	for _, tr := range tracks {
		name, ok := names[tr]
		if !ok {
			name = fmt.Sprintf("tid-%d", tr.tid)
		}
		sum.Workers = append(sum.Workers, name)
		evs := byTrack[tr]
		if err := checkNesting(tr, evs); err != nil {
			return nil, err
		}
		for _, c := range evs {
			c.span.Worker = name
			sum.Spans = append(sum.Spans, c.span)
			sum.End = max(sum.End, c.span.End)
		}
	}
	sort.SliceStable(sum.Spans, func(a, b int) bool {
		sa, sb := sum.Spans[a], sum.Spans[b]
		if sa.Start != sb.Start {
			return sa.Start < sb.Start
		}
		return sa.End < sb.End
	})
	return sum, nil
}

// checkEvent checks the fields every event needs.
func checkEvent(i int, ev rawEvent) error {
	var missing []string
	if ev.Name == nil {
		missing = append(missing, "name")
	}
	if ev.Ph == nil {
		missing = append(missing, "ph")
	}
	if ev.Ts == nil {
		missing = append(missing, "ts")
	}
	if ev.Pid == nil {
		missing = append(missing, "pid")
	}
	if ev.Tid == nil {
		missing = append(missing, "tid")
	}
	if ev.Ph != nil && *ev.Ph == "X" && ev.Dur == nil {
		missing = append(missing, "dur")
	}
	if len(missing) > 0 {
		return fmt.Errorf("trace: event %d: missing %v", i, missing)
	}
	if *ev.Ph == "" {
		return fmt.Errorf("trace: event %d: empty ph", i)
	}
	if *ev.Ts < 0 {
		return fmt.Errorf("trace: event %d (%s): negative ts %g", i, *ev.Name, *ev.Ts)
	}
	if *ev.Ph == "X" && *ev.Dur < 0 {
		return fmt.Errorf("trace: event %d (%s): negative dur %g", i, *ev.Name, *ev.Dur)
	}
	return nil
}

// checkNesting checks that complete events on one track either follow one
// another or nest, and sorts them by start.
func checkNesting(tr track, evs []complete) error {
	sort.SliceStable(evs, func(a, b int) bool {
		if evs[a].start != evs[b].start {
			return evs[a].start < evs[b].start
		}
		return evs[a].end > evs[b].end // the enclosing event first
	})
	// Times are float microseconds: ts + dur of one event may exceed the
	// next event's ts by a rounding error when the two are adjacent.
	const slack = 1e-3 // 1 ns
	var open []complete
	for _, c := range evs {
		for len(open) > 0 && open[len(open)-1].end <= c.start+slack {
			open = open[:len(open)-1]
		}
		if len(open) > 0 {
			if top := open[len(open)-1]; c.end > top.end {
				return fmt.Errorf("trace: events %d and %d on pid %d tid %d overlap: [%g, %g] and [%g, %g] us",
					top.i, c.i, tr.pid, tr.tid, top.start, top.end, c.start, c.end)
			}
		}
		open = append(open, c)
	}
	return nil
}

// fromMicros converts the format's microseconds back to a duration.
func fromMicros(us float64) time.Duration { return time.Duration(math.Round(us * 1e3)) }
