package pipeline

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

var propertyChains = []string{
	"calibrate",
	"calibrate,bt",
	"calibrate,blur:5",
	"calibrate,median:3",
	"calibrate,coarsen:4",
	"calibrate,coarsen:2,blur:3",
	"calibrate,blur:7,coarsen:3",
	"calibrate,median:5:nearest",
	"calibrate,blur:3:constant:7.5",
	"",
}

// Any chunking, worker count and lock mode gives output bit-identical to a
// single-chunk run of the same chain over the whole array, whether the
// source copies its regions or lends strided views of them.
func TestAnyChunkingSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	modes := []LockMode{Free, GIL, Processes}
	n := 60
	if testing.Short() {
		n = 15
	}
	for iter := 0; iter < n; iter++ {
		shape := chunk.Shape{Rows: 1 + rng.IntN(90), Cols: 1 + rng.IntN(90)}
		in := granule(rng, shape)
		chainText := propertyChains[rng.IntN(len(propertyChains))]
		chain := mustChain(t, chainText)
		spec := chunk.Spec{Kind: chunk.SpecShape, Rows: 1 + rng.IntN(shape.Rows), Cols: 1 + rng.IntN(shape.Cols)}
		if rng.IntN(4) == 0 {
			spec = chunk.Spec{}
		}
		workers := 1 + rng.IntN(8)
		mode := modes[iter%len(modes)]
		grid, err := spec.Resolve(chunk.Layout{Shape: shape, ElemBytes: 4, Workers: workers, Multiple: chain.Factor()})
		if err != nil {
			t.Fatal(err)
		}
		want := reference(t, chain, in)
		sink := newMemSink(chain.OutDType(in.DType), chain.OutputShape(shape))
		// Every other run reads through strided views, as of a mapped file.
		var src Source = &memSource{a: in}
		if iter%2 == 1 {
			src = stridedSource(in, 1+rng.IntN(9))
		}
		job := Job{Input: "mem", Source: src, Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid, Sink: sink}
		cfg := procConfig(Config{Workers: workers, Lock: mode, SwitchInterval: time.Duration(rng.IntN(2)) * time.Microsecond})
		if mode == Processes {
			cfg.Workers = min(workers, 3)
		}
		if _, err := Run(context.Background(), job, cfg); err != nil {
			t.Fatalf("%q on %v with %v, %d workers, %v: %v", chainText, shape, grid, workers, mode, err)
		}
		if want.DType == chunk.Float32 {
			if i, ok := sameBits(sink.a.Float32s(), want.Float32s()); !ok {
				t.Fatalf("%q on %v with %v, %d workers, %v: element %d differs: %v vs %v", chainText, shape, grid, workers, mode, i, sink.a.Float32s()[i], want.Float32s()[i])
			}
		} else if string(sink.a.Data) != string(want.Data) {
			t.Fatalf("%q pass-through differs", chainText)
		}
	}
}

// Reductions give the same bits for any worker count, lock mode and
// chunking, and agree with a plain float64 loop.
func TestReductionsSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	shape := chunk.Shape{Rows: 157, Cols: 203}
	in := granule(rng, shape)
	for _, text := range []string{"calibrate,stats", "calibrate,histogram:32:30:150", "calibrate,coarsen:3,stats", "stats"} {
		chain := mustChain(t, text)
		var first *kernels.Result
		for iter := 0; iter < 12; iter++ {
			spec := chunk.Spec{Kind: chunk.SpecShape, Rows: 1 + rng.IntN(shape.Rows), Cols: 1 + rng.IntN(shape.Cols)}
			grid, err := spec.Resolve(chunk.Layout{Shape: shape, Multiple: chain.Factor()})
			if err != nil {
				t.Fatal(err)
			}
			cfg := procConfig(Config{Workers: 1 + rng.IntN(6), Lock: []LockMode{Free, GIL, Processes}[iter%3]})
			rep, err := Run(context.Background(), Job{Input: "mem", Source: &memSource{a: in}, Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid}, cfg)
			if err != nil {
				t.Fatalf("%s %v %v: %v", text, grid, cfg.Lock, err)
			}
			if first == nil {
				first = rep.Result
				continue
			}
			for k, v := range first.Values {
				if math.Float64bits(rep.Result.Values[k]) != math.Float64bits(v) {
					t.Fatalf("%s: %s = %v with %v, %v with the first grid", text, k, rep.Result.Values[k], grid, v)
				}
			}
			for i := range first.Counts {
				if first.Counts[i] != rep.Result.Counts[i] {
					t.Fatalf("%s: bin %d differs", text, i)
				}
			}
		}
		if text == "calibrate,stats" {
			var n, sum float64
			vals := chunk.Elems[int16](in)
			for _, v := range vals {
				if v != -1 {
					x := float64(float32(float32(float32(v)*float32(0.04572892)) + float32(-1.6443053)))
					n++
					sum += x
				}
			}
			if first.Values["count"] != n || math.Abs(first.Values["mean"]-sum/n) > 1e-9*math.Abs(sum/n) {
				t.Errorf("stats count %v mean %v, plain loop %v %v", first.Values["count"], first.Values["mean"], n, sum/n)
			}
		}
	}
}

// Errors name the stage and chunk, stop the run, and leave no goroutine
// behind; kernel and reader panics become errors.
func TestErrorsNameStageAndChunk(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	shape := chunk.Shape{Rows: 100, Cols: 100}
	in := granule(rng, shape)
	chain := mustChain(t, "calibrate")
	grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 10, Cols: 10})
	before := runtime.NumGoroutine()
	cases := []struct {
		name  string
		src   *memSource
		sink  *memSink
		stage string
		text  string
	}{
		{"read failure", &memSource{a: in, failAt: 17}, newMemSink(chunk.Float32, shape), StageRead, "injected read failure"},
		{"read panic", &memSource{a: in, panicAt: 5}, newMemSink(chunk.Float32, shape), StageRead, "injected read panic"},
		{"write failure", &memSource{a: in}, &memSink{a: chunk.NewArray(chunk.Float32, shape.Bounds()), seen: make([]bool, shape.Len()), failAt: 9}, StageWrite, "disk full"},
	}
	for _, c := range cases {
		for _, mode := range []LockMode{Free, GIL} {
			_, err := Run(context.Background(), Job{Input: "scan.nc:Rad", Output: "out.npy", Source: c.src, Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid, Sink: c.sink}, Config{Workers: 3, Lock: mode})
			var ce *ChunkError
			if !errors.As(err, &ce) {
				t.Fatalf("%s: error %v is not a ChunkError", c.name, err)
			}
			if ce.Stage != c.stage || !strings.Contains(err.Error(), c.text) || !strings.Contains(err.Error(), "chunk") {
				t.Errorf("%s: error %q (stage %s)", c.name, err, ce.Stage)
			}
			if c.stage == StageRead && !strings.Contains(err.Error(), "scan.nc:Rad") {
				t.Errorf("%s: error %q does not name the input", c.name, err)
			}
			if c.stage == StageWrite && !strings.Contains(err.Error(), "out.npy") {
				t.Errorf("%s: error %q does not name the output", c.name, err)
			}
			c.src.reads.Store(0)
			c.sink.writes = 0
			c.sink.seen = make([]bool, shape.Len())
		}
	}
	waitGoroutines(t, before)
}

// A cancelled run returns the context's error promptly and leaves no
// goroutine behind, whatever stage it was in.
func TestCancellation(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	shape := chunk.Shape{Rows: 400, Cols: 400}
	in := granule(rng, shape)
	chain := mustChain(t, "calibrate,median:5")
	grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 20, Cols: 20})
	before := runtime.NumGoroutine()
	for _, mode := range []LockMode{Free, GIL, Processes} {
		for _, delay := range []time.Duration{0, time.Millisecond, 20 * time.Millisecond} {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(delay, cancel)
			t0 := time.Now()
			_, err := Run(ctx, Job{Input: "mem", Source: &memSource{a: in}, Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid, Sink: newMemSink(chunk.Float32, shape)}, procConfig(Config{Workers: 2, Lock: mode}))
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Fatalf("%v: cancelled run returned %v", mode, err)
			}
			if time.Since(t0) > 5*time.Second {
				t.Errorf("%v: cancellation took %v", mode, time.Since(t0))
			}
			cancel()
		}
	}
	waitGoroutines(t, before)
}

func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines left behind (was %d):\n%s", n-before, before, buf[:runtime.Stack(buf, true)])
	}
}

// A worker process that dies is an error naming the chunk, never a hang.
func TestProcessCrashIsAnError(t *testing.T) {
	shape := chunk.Shape{Rows: 64, Cols: 64}
	in := granule(rand.New(rand.NewPCG(9, 9)), shape)
	grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 16, Cols: 16})
	cfg := Config{Workers: 2, Lock: Processes, WorkerCommand: []string{"/bin/sh", "-c", "head -c 100 >/dev/null; kill -9 $$"}}
	done := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), Job{Input: "mem", Source: &memSource{a: in}, Shape: shape, DType: chunk.Int16, Chain: mustChain(t, "calibrate"), Grid: grid, Sink: newMemSink(chunk.Float32, shape)}, cfg)
		done <- err
	}()
	select {
	case err := <-done:
		var ce *ChunkError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "worker process") {
			t.Fatalf("want a chunk error about the worker process, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run hung after its worker process died")
	}
}

// The memory budget lowers the chunks in flight and refuses chunks that
// cannot fit at all.
func TestMemLimit(t *testing.T) {
	shape := chunk.Shape{Rows: 256, Cols: 256}
	in := granule(rand.New(rand.NewPCG(4, 4)), shape)
	grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 64, Cols: 64})
	job := Job{Input: "mem", Source: &memSource{a: in}, Shape: shape, DType: chunk.Int16, Chain: mustChain(t, "calibrate"), Grid: grid, Sink: newMemSink(chunk.Float32, shape)}
	rep, err := Run(context.Background(), job, Config{Workers: 2, MemLimit: 3 * 64 * 64 * 6})
	if err != nil {
		t.Fatal(err)
	}
	if rep.PeakInFlight > 3 || rep.InFlight != 3 {
		t.Errorf("in flight %d (limit %d), want at most 3", rep.PeakInFlight, rep.InFlight)
	}
	job.Sink = newMemSink(chunk.Float32, shape)
	if _, err := Run(context.Background(), job, Config{Workers: 2, MemLimit: 1000}); err == nil || !strings.Contains(err.Error(), "mem-limit") {
		t.Errorf("a chunk larger than the budget: %v", err)
	}
}
