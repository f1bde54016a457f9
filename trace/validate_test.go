package trace_test

import (
	"bytes"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"chunkpipe/pipeline"
	"chunkpipe/trace"
)

// sortSpans orders spans by start, end, worker and kind, for comparisons.
func sortSpans(s []pipeline.Span) []pipeline.Span {
	s = append([]pipeline.Span(nil), s...)
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		switch {
		case a.Start != b.Start:
			return a.Start < b.Start
		case a.End != b.End:
			return a.End < b.End
		case a.Worker != b.Worker:
			return a.Worker < b.Worker
		}
		return a.Kind < b.Kind
	})
	return s
}

func TestValidateRoundTrip(t *testing.T) {
	for name, spans := range chromeCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := trace.WriteChrome(&buf, spans, map[string]any{"input": "scan.nc"}); err != nil {
				t.Fatal(err)
			}
			sum, err := trace.Validate(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := sortSpans(sum.Spans), sortSpans(spans); !reflect.DeepEqual(got, want) && len(want) > 0 {
				t.Errorf("spans differ after a round trip:\ngot  %v\nwant %v", got, want)
			}
			if sum.DisplayTimeUnit != "ms" || sum.Meta["input"] != "scan.nc" {
				t.Errorf("displayTimeUnit %q, meta %v", sum.DisplayTimeUnit, sum.Meta)
			}
			kinds := make(map[string]int)
			var end time.Duration
			for _, s := range spans {
				kinds[s.Kind]++
				end = max(end, s.End)
			}
			if sum.End != end {
				t.Errorf("end = %v, want %v", sum.End, end)
			}
			if !reflect.DeepEqual(sum.Kinds, kinds) && len(kinds) > 0 {
				t.Errorf("kinds = %v, want %v", sum.Kinds, kinds)
			}
			if want := 1 + 2*len(sum.Workers) + len(spans); sum.Events != want {
				t.Errorf("events = %d, want %d", sum.Events, want)
			}
		})
	}
}

func TestValidateTrackOrder(t *testing.T) {
	spans := simulate(simConfig{Workers: 11, Chunks: 22, Read: 1, Compute: 30, Write: 1})
	var buf bytes.Buffer
	if err := trace.WriteChrome(&buf, spans, nil); err != nil {
		t.Fatal(err)
	}
	sum, err := trace.Validate(&buf)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"read-0", "kernel-0", "kernel-1", "kernel-2", "kernel-3", "kernel-4", "kernel-5",
		"kernel-6", "kernel-7", "kernel-8", "kernel-9", "kernel-10", "write-0"}
	if !reflect.DeepEqual(sum.Workers, want) {
		t.Errorf("workers = %v, want %v", sum.Workers, want)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string // "" for a valid trace
		spans   int
	}{
		{name: "empty object form", in: `{"traceEvents":[]}`},
		{name: "array form", in: `[{"name":"compute","ph":"X","ts":1,"dur":2,"pid":1,"tid":1}]`, spans: 1},
		{
			name: "nested events",
			in: `{"traceEvents":[{"name":"read","ph":"X","ts":0,"dur":10,"pid":1,"tid":1},
				{"name":"decode","ph":"X","ts":2,"dur":3,"pid":1,"tid":1}]}`,
			spans: 2,
		},
		{
			name: "same times on two tracks",
			in: `{"traceEvents":[{"name":"compute","ph":"X","ts":0,"dur":10,"pid":1,"tid":1},
				{"name":"compute","ph":"X","ts":0,"dur":10,"pid":1,"tid":2}]}`,
			spans: 2,
		},
		{name: "not JSON", in: `{"traceEvents":[`, wantErr: "trace: not a Chrome trace"},
		{name: "no traceEvents", in: `{"events":[]}`, wantErr: "trace: no traceEvents array"},
		{name: "missing ts and tid", in: `[{"name":"a","ph":"X","dur":1,"pid":1}]`, wantErr: "trace: event 0: missing [ts tid]"},
		{name: "X without dur", in: `[{"name":"a","ph":"X","ts":1,"pid":1,"tid":1}]`, wantErr: "trace: event 0: missing [dur]"},
		{name: "negative dur", in: `[{"name":"a","ph":"X","ts":1,"dur":-1,"pid":1,"tid":1}]`, wantErr: "trace: event 0 (a): negative dur"},
		{name: "negative ts", in: `[{"name":"a","ph":"X","ts":-1,"dur":1,"pid":1,"tid":1}]`, wantErr: "trace: event 0 (a): negative ts"},
		{name: "empty ph", in: `[{"name":"a","ph":"","ts":1,"pid":1,"tid":1}]`, wantErr: "trace: event 0: empty ph"},
		{
			name:    "thread_name without name",
			in:      `[{"name":"thread_name","ph":"M","ts":0,"pid":1,"tid":1,"args":{}}]`,
			wantErr: "trace: event 0: thread_name without a string args.name",
		},
		{
			name: "crossing events on one track",
			in: `[{"name":"a","ph":"X","ts":0,"dur":10,"pid":1,"tid":3},
				{"name":"b","ph":"X","ts":5,"dur":10,"pid":1,"tid":3}]`,
			wantErr: "trace: events 0 and 1 on pid 1 tid 3 overlap",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sum, err := trace.Validate(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want prefix %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(sum.Spans) != tc.spans {
				t.Errorf("%d spans, want %d", len(sum.Spans), tc.spans)
			}
			for _, s := range sum.Spans {
				if s.Chunk != -1 || !strings.HasPrefix(s.Worker, "tid-") {
					t.Errorf("span %+v: want chunk -1 and a tid-N worker for a trace without args or names", s)
				}
			}
		})
	}
}
