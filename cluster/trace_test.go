package cluster

import (
	"bytes"
	"path/filepath"
	"testing"

	"chunkpipe/pipeline"
	"chunkpipe/trace"
)

// TestTraceSpans runs a traced job on two worker processes and checks
// its spans: a track per task slot inside a process per worker, every
// chunk read, computed and written once, all within the run, and a
// Chrome trace of them that validates with a pid per process.
func TestTraceSpans(t *testing.T) {
	l := startLocal(t, 2)
	waitWorkers(t, l, 2, DefaultAckWait)
	dir := t.TempDir()
	job := synthJob(t, dir)
	job.Chain = "blur:3"
	job.Output = outputSpecFor(t, job, filepath.Join(dir, "out.npy"))
	rep, err := runCluster(t, l.URL(), job, Options{Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Spans) < 2 || rep.Spans[0].Name != CoordinatorName {
		t.Fatalf("processes %d (first %q), want the coordinator first and a worker", len(rep.Spans), rep.Spans[0].Name)
	}
	kinds := map[string][]int{}
	workers := map[string]bool{}
	for _, p := range rep.Spans[1:] {
		workers[p.Name] = true
		for _, s := range p.Spans {
			if s.Start < 0 || s.End < s.Start || s.End > rep.Wall {
				t.Errorf("%s span %s of chunk %d: [%v, %v] outside the run's %v", s.Worker, s.Kind, s.Chunk, s.Start, s.End, rep.Wall)
			}
			kinds[s.Kind] = append(kinds[s.Kind], s.Chunk)
		}
	}
	for _, w := range rep.Workers {
		if !workers[w.Name] {
			t.Errorf("worker %s did %d chunks but has no spans", w.Name, w.Chunks)
		}
	}
	for _, k := range []string{pipeline.StageRead, pipeline.StageCompute, pipeline.StageWrite} {
		seen := make([]int, job.Grid.Len())
		for _, c := range kinds[k] {
			seen[c]++
		}
		for c, n := range seen {
			if n != 1 {
				t.Errorf("chunk %d has %d %s spans, want 1", c, n, k)
			}
		}
	}
	var buf bytes.Buffer
	procs := make([]trace.Process, len(rep.Spans))
	for i, p := range rep.Spans {
		procs[i] = trace.Process{Name: p.Name, Spans: p.Spans}
	}
	if err := trace.WriteChromeProcesses(&buf, procs, nil); err != nil {
		t.Fatal(err)
	}
	sum, err := trace.Validate(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if want := 3*job.Grid.Len() + 2; len(sum.Spans) != want {
		t.Errorf("trace holds %d spans, want %d (3 per chunk, publish, commit)", len(sum.Spans), want)
	}
}
