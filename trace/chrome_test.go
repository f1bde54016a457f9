package trace_test

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"chunkpipe/pipeline"
	"chunkpipe/trace"
)

// ms is a shorthand for hand-made span times.
func ms(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }

// chromeCases are span lists every writer test runs on.
func chromeCases() map[string][]pipeline.Span {
	return map[string][]pipeline.Span{
		"empty": nil,
		"one span": {
			{Worker: "kernel-0", Kind: pipeline.StageCompute, Chunk: 3, Start: ms(1), End: ms(2.5)},
		},
		"zero length and touching": {
			{Worker: "kernel-0", Kind: pipeline.StageLock, Chunk: 0, Start: ms(1), End: ms(1)},
			{Worker: "kernel-0", Kind: pipeline.StageCompute, Chunk: 0, Start: ms(1), End: ms(2)},
			{Worker: "kernel-0", Kind: pipeline.StageLock, Chunk: 1, Start: ms(2), End: ms(3)},
		},
		"sub-microsecond times": {
			{Worker: "read-0", Kind: pipeline.StageRead, Chunk: 0, Start: 1, End: 1234567},
			{Worker: "write-0", Kind: pipeline.StageWrite, Chunk: 0, Start: 1234567, End: 7654321},
		},
		"free": simulate(simConfig{Workers: 3, Chunks: 9, Read: 10, Compute: 40, Write: 5}),
		"gil":  simulate(simConfig{Workers: 3, Chunks: 9, Read: 10, Compute: 40, Write: 5, GIL: true, Interval: 15}),
	}
}

// chromeEvent is an event parsed without assuming WriteChrome's types.
type chromeEvent map[string]any

func TestWriteChromeFormat(t *testing.T) {
	for name, spans := range chromeCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			meta := map[string]any{"lock": "gil", "workers": 3.0}
			var buf bytes.Buffer
			if err := trace.WriteChrome(&buf, spans, meta); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				TraceEvents     []chromeEvent  `json:"traceEvents"`
				DisplayTimeUnit string         `json:"displayTimeUnit"`
				OtherData       map[string]any `json:"otherData"`
			}
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, buf.String())
			}
			if doc.DisplayTimeUnit != "ms" {
				t.Errorf("displayTimeUnit = %q, want ms", doc.DisplayTimeUnit)
			}
			if doc.OtherData["lock"] != "gil" || doc.OtherData["workers"] != 3.0 {
				t.Errorf("otherData = %v, want %v", doc.OtherData, meta)
			}

			type interval struct{ start, end float64 }
			byTid := make(map[float64][]interval)
			threadNames := make(map[float64]string)
			sortIndex := make(map[float64]float64)
			complete := 0
			for i, ev := range doc.TraceEvents {
				for _, f := range []string{"name", "ph", "ts", "pid", "tid"} {
					if _, ok := ev[f]; !ok {
						t.Fatalf("event %d lacks %q: %v", i, f, ev)
					}
				}
				tid := ev["tid"].(float64)
				switch ev["ph"] {
				case "X":
					complete++
					dur, ok := ev["dur"].(float64)
					if !ok {
						t.Fatalf("X event %d lacks a numeric dur: %v", i, ev)
					}
					if dur < 0 {
						t.Errorf("X event %d has negative dur %g", i, dur)
					}
					if ev["name"] != ev["cat"] {
						t.Errorf("X event %d: name %v, cat %v; want both the kind", i, ev["name"], ev["cat"])
					}
					args, _ := ev["args"].(map[string]any)
					if _, ok := args["chunk"].(float64); !ok {
						t.Errorf("X event %d lacks args.chunk: %v", i, ev)
					}
					ts := ev["ts"].(float64)
					byTid[tid] = append(byTid[tid], interval{ts, ts + dur})
				case "M":
					args := ev["args"].(map[string]any)
					switch ev["name"] {
					case "thread_name":
						threadNames[tid] = args["name"].(string)
					case "thread_sort_index":
						sortIndex[tid] = args["sort_index"].(float64)
					}
				default:
					t.Errorf("event %d has unexpected ph %v", i, ev["ph"])
				}
			}
			if complete != len(spans) {
				t.Errorf("%d X events, want one per span (%d)", complete, len(spans))
			}
			for tid, ivs := range byTid {
				if threadNames[tid] == "" {
					t.Errorf("tid %v has events but no thread_name", tid)
				}
				if _, ok := sortIndex[tid]; !ok {
					t.Errorf("tid %v has events but no thread_sort_index", tid)
				}
				sort.Slice(ivs, func(a, b int) bool { return ivs[a].start < ivs[b].start })
				for k := 1; k < len(ivs); k++ {
					if ivs[k].start < ivs[k-1].end {
						t.Errorf("tid %v (%s): events [%g,%g] and [%g,%g] overlap",
							tid, threadNames[tid], ivs[k-1].start, ivs[k-1].end, ivs[k].start, ivs[k].end)
					}
				}
			}
		})
	}
}

// tidsOf maps thread names to thread ids in a written trace.
func tidsOf(t *testing.T, data []byte) map[string]float64 {
	t.Helper()
	var doc struct {
		TraceEvents []chromeEvent `json:"traceEvents"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	tids := make(map[string]float64)
	for _, ev := range doc.TraceEvents {
		if ev["ph"] == "M" && ev["name"] == "thread_name" {
			tids[ev["args"].(map[string]any)["name"].(string)] = ev["tid"].(float64)
		}
	}
	return tids
}

func TestWriteChromeStableTracks(t *testing.T) {
	spans := simulate(simConfig{Workers: 12, Chunks: 30, Read: 2, Compute: 10, Write: 1, GIL: true, Interval: 3})
	var a bytes.Buffer
	if err := trace.WriteChrome(&a, spans, nil); err != nil {
		t.Fatal(err)
	}
	want := tidsOf(t, a.Bytes())
	// Track order: read, kernel by number (kernel-2 before kernel-10), write.
	if want["read-0"] != 1 || want["kernel-0"] != 2 || want["kernel-2"] != 4 || want["kernel-10"] != 12 || want["write-0"] != 14 {
		t.Errorf("tids = %v, want read-0 1, kernel-N N+2, write-0 14", want)
	}
	shuffled := append([]pipeline.Span(nil), spans...)
	rng := rand.New(rand.NewPCG(1, 1))
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	var b bytes.Buffer
	if err := trace.WriteChrome(&b, shuffled, nil); err != nil {
		t.Fatal(err)
	}
	got := tidsOf(t, b.Bytes())
	for name, tid := range want {
		if got[name] != tid {
			t.Errorf("after shuffling, %s has tid %v, want %v", name, got[name], tid)
		}
	}
}

func TestWriteChromeErrors(t *testing.T) {
	tests := []struct {
		name  string
		spans []pipeline.Span
		meta  map[string]any
		want  string
	}{
		{
			name:  "span ends before it starts",
			spans: []pipeline.Span{{Worker: "kernel-0", Kind: pipeline.StageCompute, Start: ms(2), End: ms(1)}},
			want:  "trace: span 0 (kernel-0 compute chunk 0) ends",
		},
		{
			name: "metadata not encodable",
			meta: map[string]any{"x": math.Inf(1)},
			want: "trace: encoding metadata",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := trace.WriteChrome(&buf, tc.spans, tc.meta)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v, want prefix %q", err, tc.want)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes before failing", buf.Len())
			}
		})
	}
}

// TestWriteChromeProcesses writes two processes' spans and reads them
// back: each process is a pid with its own tracks, the spans unchanged.
func TestWriteChromeProcesses(t *testing.T) {
	procs := []trace.Process{
		{Name: "coordinator", Spans: []pipeline.Span{{Worker: "coordinator", Kind: "publish", Chunk: -1, Start: 0, End: time.Millisecond}}},
		{Name: "host:7", Spans: []pipeline.Span{
			{Worker: "host:7 slot 01", Kind: pipeline.StageRead, Chunk: 0, Start: 2 * time.Millisecond, End: 3 * time.Millisecond},
			{Worker: "host:7 slot 02", Kind: pipeline.StageCompute, Chunk: 1, Start: 2 * time.Millisecond, End: 5 * time.Millisecond},
		}},
	}
	var buf bytes.Buffer
	if err := trace.WriteChromeProcesses(&buf, procs, map[string]any{"cluster": "embedded:1"}); err != nil {
		t.Fatal(err)
	}
	sum, err := trace.Validate(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"coordinator", "host:7 slot 01", "host:7 slot 02"}; !slices.Equal(sum.Workers, want) {
		t.Errorf("tracks %v, want %v", sum.Workers, want)
	}
	if len(sum.Spans) != 3 || sum.Spans[2].End != 5*time.Millisecond || sum.Meta["cluster"] != "embedded:1" {
		t.Errorf("spans %+v, meta %v", sum.Spans, sum.Meta)
	}
	pids := map[float64]string{}
	var raw struct{ TraceEvents []map[string]any }
	json.Unmarshal(buf.Bytes(), &raw)
	for _, e := range raw.TraceEvents {
		if e["name"] == "process_name" {
			pids[e["pid"].(float64)] = e["args"].(map[string]any)["name"].(string)
		}
	}
	if pids[1] != "coordinator" || pids[2] != "host:7" || len(pids) != 2 {
		t.Errorf("processes %v, want pid 1 coordinator and pid 2 host:7", pids)
	}
}
