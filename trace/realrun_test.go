package trace

import (
	"bytes"
	"context"
	"testing"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
	"chunkpipe/synth"
)

// gilRun runs a CPU-bound chain in gil mode with 2 workers and tracing.
func gilRun(t *testing.T, interval time.Duration) []pipeline.Span {
	t.Helper()
	shape := chunk.Shape{Rows: 1024, Cols: 768}
	anchors, err := kernels.Preset("anchors")
	if err != nil {
		t.Fatal(err)
	}
	chain, err := kernels.ParseChain("calibrate,median:5", anchors)
	if err != nil {
		t.Fatal(err)
	}
	grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 256, Cols: 256})
	// Generate the granule first, so that reads are copies and the kernel
	// workers compete for the lock, not for input.
	in := chunk.NewArray(chunk.Int16, shape.Bounds())
	if err := synth.New(shape, 1).ReadRegion(context.Background(), shape.Bounds(), in); err != nil {
		t.Fatal(err)
	}
	job := pipeline.Job{Input: "synth", Source: memSource{in}, Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid, Sink: discard{}}
	rep, err := pipeline.Run(context.Background(), job, pipeline.Config{Workers: 2, Lock: pipeline.GIL, SwitchInterval: interval, Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteChrome(&buf, rep.Spans, nil); err != nil {
		t.Fatal(err)
	}
	sum, err := Validate(&buf)
	if err != nil {
		t.Fatalf("the run's trace does not validate: %v", err)
	}
	return sum.Spans
}

type memSource struct{ a *chunk.Array }

func (m memSource) ReadRegion(_ context.Context, r chunk.Region, dst *chunk.Array) error {
	dst.CopyFrom(m.a.Sub(r))
	return nil
}

type discard struct{}

func (discard) WriteRegion(context.Context, *chunk.Array) error { return nil }

// On a real run: with a 5 ms switch interval the lock changes hands at
// roughly that rate, mostly in the middle of chunks, and each worker holds
// it 40-60% of the time; with interval 0 it changes hands only between
// chunks.
func TestRealGILTrace(t *testing.T) {
	spans := gilRun(t, 5*time.Millisecond)
	rate := HandoffRate(spans)
	if rate < 40 || rate > 260 {
		t.Errorf("hand-off rate %.0f/s with a 5 ms interval, want roughly 200/s", rate)
	}
	if MidChunkHandoffs(spans) == 0 {
		t.Error("no mid-chunk hand-offs with a 5 ms interval")
	}
	// Shares are measured while both workers contend for the lock: up to
	// the last hand-off, after which one worker finishes the tail alone.
	hs := Handoffs(spans)
	var contended []pipeline.Span
	for _, sp := range spans {
		if len(hs) > 0 && sp.End <= hs[len(hs)-1] {
			contended = append(contended, sp)
		}
	}
	shares := LockShares(contended)
	t.Logf("5 ms interval: %.0f hand-offs/s, %d mid-chunk, shares %v", rate, MidChunkHandoffs(spans), shares)
	if len(shares) != 2 {
		t.Fatalf("lock shares %v, want two kernel workers", shares)
	}
	for w, s := range shares {
		if s < 0.4 || s > 0.6 {
			t.Errorf("%s held the lock %.0f%% of the time, want 40-60%%", w, 100*s)
		}
	}
	spans = gilRun(t, 0)
	if n := MidChunkHandoffs(spans); n != 0 {
		t.Errorf("%d mid-chunk hand-offs with interval 0", n)
	}
	if len(Handoffs(spans)) == 0 {
		t.Error("no hand-offs at all between chunks with interval 0")
	}
}
