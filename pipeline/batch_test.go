package pipeline

import (
	"context"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"

	"chunkpipe/chunk"
)

// In a batch, a failing job stops only itself: the other jobs' outputs are
// complete and identical to single runs; with FailFast the batch stops.
func TestBatchIsolatesFailures(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	chain := mustChain(t, "calibrate,blur:3")
	var jobs []Job
	var sinks []*memSink
	var inputs []*chunk.Array
	for i := 0; i < 4; i++ {
		shape := chunk.Shape{Rows: 40 + 10*i, Cols: 50}
		in := granule(rng, shape)
		src := &memSource{a: in}
		if i == 1 {
			src.failAt = 2
		}
		grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 16, Cols: 16})
		sink := newMemSink(chunk.Float32, shape)
		jobs = append(jobs, Job{Input: "file" + string(rune('A'+i)), Source: src, Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid, Sink: sink})
		sinks = append(sinks, sink)
		inputs = append(inputs, in)
	}
	var chunksSeen atomic.Int64
	b, err := RunBatch(context.Background(), jobs, Config{Workers: 3, OnChunk: func(done, total int, _ int64) { chunksSeen.Store(int64(total)) }})
	if err == nil || !strings.Contains(err.Error(), "fileB") {
		t.Fatalf("batch error %v does not name the failed input", err)
	}
	for i, rep := range b.Jobs {
		if i == 1 {
			if rep.Err == "" {
				t.Error("failed job has no error in its report")
			}
			continue
		}
		if rep.Err != "" {
			t.Errorf("job %d failed: %s", i, rep.Err)
		}
		want := reference(t, chain, inputs[i])
		if _, ok := sameBits(sinks[i].a.Float32s(), want.Float32s()); !ok {
			t.Errorf("job %d output differs from a single run", i)
		}
	}
	if int(chunksSeen.Load()) != b.Total.Chunks {
		t.Errorf("progress total %d, want %d chunks over all jobs", chunksSeen.Load(), b.Total.Chunks)
	}
	for i := range jobs {
		jobs[i].Sink = newMemSink(chunk.Float32, jobs[i].Shape)
		jobs[i].Source.(*memSource).reads.Store(0)
	}
	b, err = RunBatch(context.Background(), jobs, Config{Workers: 2, FailFast: true})
	if err == nil {
		t.Fatal("fail-fast batch succeeded")
	}
	if b.Jobs[3].Result != nil || b.Jobs[3].OutBytes == int64(jobs[3].Shape.Len()*4) {
		t.Error("fail-fast batch finished the last job")
	}
}
