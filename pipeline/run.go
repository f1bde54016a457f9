package pipeline

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sourcegraph/conc"
	"github.com/sourcegraph/conc/panics"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

// Source is where a run reads its input: any region, from several
// goroutines at once. formats.Reader satisfies it.
type Source interface {
	ReadRegion(ctx context.Context, r chunk.Region, dst *chunk.Array) error
}

// RegionViewer is implemented by sources whose storage can be read in
// place (a memory-mapped .npy or raw file). ViewRegion points dst at the
// elements of a region, read-only, instead of copying them, and reports
// false where it cannot (the run then reads a copy). ReleaseView is called
// with the region once the chunk's kernels are done with the view. Kernels
// never write to their input, and a view that faults (a file truncated
// under the run) fails its chunk with an error instead of crashing.
type RegionViewer interface {
	ViewRegion(r chunk.Region, dst *chunk.Array) bool
	ReleaseView(r chunk.Region)
}

// Sink is where a run writes its output regions, in any order, from several
// goroutines at once. formats.Writer satisfies it.
type Sink interface {
	WriteRegion(ctx context.Context, a *chunk.Array) error
}

// RegionLender is implemented by sinks that can lend the memory an output
// region should be computed into (the npy writer's row-strip buffers), so
// that the kernels write it in place and WriteRegion copies nothing.
// LendRegion returns nil when it cannot lend; an array it lends is passed
// to WriteRegion once, unless the run fails.
type RegionLender interface {
	LendRegion(t chunk.DType, r chunk.Region) *chunk.Array
}

// Job is one run: an input, a chain and where the result goes.
type Job struct {
	Input  string      // the input's name for errors and reports (file and variable)
	Output string      // the output's name for errors
	Source Source      // the input array
	Shape  chunk.Shape // the input's shape
	DType  chunk.DType // the input's stored element type
	// Planes is the number of planes (bands) the source delivers per
	// region, for multi-band inputs; 0 means 1.
	Planes int
	// OutPlanes is the number of planes of each output region (an RGB
	// composite has 3); 0 means 1.
	OutPlanes int
	// PerPlane runs the chain on each plane on its own, plane k of the
	// input to plane k of the output (a stack of bands written as one
	// multi-band output). It needs Planes == OutPlanes, an array output
	// (no reducer) and the free or gil lock mode.
	PerPlane bool
	// PlaneChains, for a per-plane job, holds the chain of each plane when
	// they differ in their parameters (inputs with their own calibration
	// constants); they must be Chain's kernels as typed (same String).
	// Chain gives the geometry. Nil: Chain for every plane.
	PlaneChains []*kernels.Chain
	Chain       *kernels.Chain
	// Params are the chain's parameters; processes mode sends them to the
	// worker processes, which parse the chain again. Nil means the ones
	// the chain was parsed with (Chain.Params).
	Params kernels.Params
	// Grid is laid over the input; its chunk sizes must be multiples of
	// Chain.Factor() so that block reductions never straddle chunks.
	Grid chunk.Grid
	// Sink receives the output regions; nil when the chain ends in a
	// reducer (then Report.Result holds the result).
	Sink Sink
}

// validate checks a job before any work starts.
func (j *Job) validate() error {
	if j.Chain == nil {
		return errors.New("pipeline: job has no chain")
	}
	if f := j.Chain.Factor(); f > 1 && j.Grid.Len() > 0 && (j.Grid.Chunk.Rows%f != 0 || j.Grid.Chunk.Cols%f != 0) {
		return fmt.Errorf("pipeline: chunk shape %v is not a multiple of the chain's factor %d", j.Grid.Chunk, f)
	}
	if j.Grid.Shape != j.Shape {
		return fmt.Errorf("pipeline: grid over %v does not match input shape %v", j.Grid.Shape, j.Shape)
	}
	if j.Chain.Reducer() == nil && j.Sink == nil {
		return errors.New("pipeline: job has neither a sink nor a reducer")
	}
	if j.PerPlane && (max(j.Planes, 1) != max(j.OutPlanes, 1) || j.Chain.Reducer() != nil) {
		return fmt.Errorf("pipeline: a per-plane job needs as many output planes as input planes (%d, %d) and no reducer", j.Planes, j.OutPlanes)
	}
	if j.PlaneChains != nil {
		if !j.PerPlane || len(j.PlaneChains) != max(j.Planes, 1) {
			return fmt.Errorf("pipeline: %d plane chains for a job of %d planes (per-plane %v)", len(j.PlaneChains), max(j.Planes, 1), j.PerPlane)
		}
		for k, c := range j.PlaneChains {
			if c == nil || c.String() != j.Chain.String() {
				return fmt.Errorf("pipeline: plane %d's chain %v is not the job's %q", k+1, c, j.Chain.String())
			}
		}
	}
	if err := j.Chain.CheckInput(j.DType); err != nil {
		return fmt.Errorf("%s: %w", j.Input, err)
	}
	return nil
}

// perChunkBytes estimates the memory one chunk of the job holds in flight:
// its haloed input and its output.
func (j *Job) perChunkBytes() int64 {
	full := j.Chain.InputRegion(j.Chain.OutputRegion(chunk.Region{Row1: j.Grid.Chunk.Rows, Col1: j.Grid.Chunk.Cols}.Intersect(j.Shape.Bounds())), j.Shape)
	return int64(full.Len())*int64(j.DType.Size())*int64(max(j.Planes, 1)) + j.Grid.ChunkBytes(j.Chain.OutDType(j.DType).Size())*int64(max(j.OutPlanes, 1))
}

// task is one chunk on its way through the stages.
type task struct {
	js      *jobState
	n       int
	idx     chunk.Index
	region  chunk.Region // input chunk region
	out     chunk.Region // output region
	in      *chunk.Array // the input the chain needs: from inPool, or &view
	view    chunk.Array  // a RegionViewer's view of the input
	viewed  bool         // in is the view: ReleaseView it instead of pooling it
	res     *chunk.Array // the chain's output
	inBytes int64
	part    kernels.Partial
	lent    bool // res was lent by the sink: it does not go back to the pool
}

// Run executes job under cfg and returns a report. The first error stops
// every stage; it is a *[ChunkError] naming the stage and chunk, or the
// context's error when ctx was cancelled. Run returns only when every
// goroutine it started has ended.
func Run(ctx context.Context, job Job, cfg Config) (*Report, error) {
	cfg.FailFast = true
	b, err := RunBatch(ctx, []Job{job}, cfg)
	if b == nil {
		return nil, err
	}
	rep := b.Total
	j := b.Jobs[0]
	rep.Input, rep.Grid, rep.GridText, rep.Chunks, rep.Result = j.Input, j.Grid, j.GridText, j.Chunks, j.Result
	rep.InBytes, rep.OutBytes = j.InBytes, j.OutBytes
	return rep, err
}

// Batch is the outcome of [RunBatch]: a report per job (its chunks, bytes,
// wall time from its first chunk to its last, result and error) and the
// run's totals (workers, stages, lock, spans).
type Batch struct {
	Jobs  []*Report
	Total *Report
}

// RunBatch runs several jobs through one set of workers: chunks of every job
// share the stages, the in-flight bound and the lock, so a second file's
// chunks start while the first one's last chunks finish. A job that fails
// stops only itself unless cfg.FailFast; its report's Err says why. The
// returned error joins the jobs' errors, or is the context's error when ctx
// was cancelled.
func RunBatch(ctx context.Context, jobs []Job, cfg Config) (*Batch, error) {
	cfg = cfg.withDefaults()
	start := time.Now()
	r := &runner{cfg: cfg, start: start, lock: newLock(&cfg, start)}
	var perChunk int64
	total := &Report{Input: fmt.Sprintf("%d jobs", len(jobs)), Lock: cfg.Lock.String(), Workers: cfg.Workers,
		ReadWorkers: cfg.ReadWorkers, WriteWorkers: cfg.WriteWorkers}
	b := &Batch{Total: total}
	for i := range jobs {
		js := newJobState(i, jobs[i])
		b.Jobs = append(b.Jobs, js.rep)
		err := js.job.validate()
		if err == nil && js.job.PerPlane && cfg.Lock == Processes {
			err = errors.New("pipeline: per-plane (multi-band) jobs run in free or gil mode, not processes")
		}
		if err != nil {
			if cfg.FailFast {
				return nil, err
			}
			js.setErr(err)
			js.remaining.Store(0)
		} else {
			perChunk = max(perChunk, js.job.perChunkBytes())
			total.Chunks += js.job.Grid.Len()
		}
		r.jobs = append(r.jobs, js)
	}
	if len(jobs) == 1 {
		if err := cfg.fitMemory(perChunk, jobs[0].Grid); err != nil {
			return nil, err
		}
	} else if err := cfg.fitMemory(perChunk, chunk.Grid{}); err != nil {
		return nil, err
	}
	r.cfg = cfg
	total.InFlight = cfg.InFlight
	if cfg.Lock == GIL {
		total.GILModel, total.Switch = cfg.GILModel.String(), cfg.SwitchInterval
	}
	// The free list of tasks doubles as the in-flight bound: a chunk enters
	// the pipeline only with a free task, and its task returns when it is
	// finished, so steady state allocates nothing per chunk.
	r.free = make(chan *task, cfg.InFlight)
	r.tasks = make([]*task, cfg.InFlight)
	for i := range r.tasks {
		r.tasks[i] = &task{}
		r.free <- r.tasks[i]
	}
	r.total = total.Chunks
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r.ctx, r.cancel = runCtx, cancel

	readQ := make(chan *task, cfg.ReadWorkers)
	computeQ := make(chan *task, cfg.Workers)
	writeQ := make(chan *task, cfg.WriteWorkers)
	var all []*worker
	var wg conc.WaitGroup
	wg.Go(func() { r.feed(readQ) })
	stage := func(name string, n int, out chan *task, body func(w *worker)) {
		var done sync.WaitGroup
		for i := 0; i < n; i++ {
			w := &worker{id: i, name: fmt.Sprintf("%s-%d", name, i), trace: cfg.Trace, start: start}
			w.stats.Stage, w.stats.ID = name, i
			all = append(all, w)
			done.Add(1)
			wg.Go(func() { defer done.Done(); body(w) })
		}
		wg.Go(func() {
			done.Wait()
			if out != nil {
				close(out)
			}
		})
	}
	stage(StageRead, cfg.ReadWorkers, computeQ, func(w *worker) { r.readLoop(w, readQ, computeQ) })
	stage(StageKernel, cfg.Workers, writeQ, func(w *worker) { r.computeLoop(w, computeQ, writeQ) })
	stage(StageWrite, cfg.WriteWorkers, nil, func(w *worker) { r.writeLoop(w, writeQ) })
	wg.Wait()
	// A cancelled run leaves tasks in the queues and in the hands of the
	// stages that stopped: give their input views back to the sources.
	for _, t := range r.tasks {
		if t.viewed {
			r.releaseInput(t)
		}
	}

	total.Wall = time.Since(start)
	total.PeakInFlight = int(r.peak.Load())
	total.finish(all)
	var errs []error
	for _, js := range r.jobs {
		js.finish()
		total.InBytes += js.rep.InBytes
		total.OutBytes += js.rep.OutBytes
		if js.err != nil {
			errs = append(errs, js.err)
		}
	}
	if ctx.Err() != nil {
		return b, ctx.Err()
	}
	if err := context.Cause(runCtx); err != nil && !errors.Is(err, context.Canceled) {
		return b, err
	}
	return b, errors.Join(errs...)
}

// jobState is one job's progress through a run.
type jobState struct {
	id        int
	job       Job
	rep       *Report
	merge     *merger
	outType   chunk.DType
	procType  chunk.DType // what worker processes return: the array kernels' output
	tasks     int         // dask-like tasks per chunk (numpy gil model)
	failed    atomic.Bool
	mu        sync.Mutex
	err       error
	remaining atomic.Int32
	first     atomic.Int64 // ns since the run's start when its first chunk was read
	last      atomic.Int64 // ns since the run's start when its last chunk finished
	inBytes   atomic.Int64
	outBytes  atomic.Int64
}

func newJobState(id int, job Job) *jobState {
	js := &jobState{id: id, job: job}
	js.rep = &Report{Input: job.Input, Grid: job.Grid, GridText: job.Grid.String(), Chunks: job.Grid.Len()}
	js.remaining.Store(int32(job.Grid.Len()))
	js.first.Store(-1)
	if job.Chain == nil {
		return js
	}
	js.outType = job.Chain.OutDType(job.DType)
	js.procType = js.outType
	js.tasks = len(job.Chain.Kernels()) + 2
	if red := job.Chain.Reducer(); red != nil {
		js.merge = newMerger(red)
		js.procType = chunk.Float32
		if len(job.Chain.Kernels()) == 0 {
			js.procType = job.DType
		}
	}
	return js
}

// setErr records the job's first error and marks it failed.
func (js *jobState) setErr(err error) {
	js.mu.Lock()
	if js.err == nil {
		js.err = err
	}
	js.mu.Unlock()
	js.failed.Store(true)
}

// finish fills the job's report once the run is over.
func (js *jobState) finish() {
	rep := js.rep
	rep.InBytes, rep.OutBytes = js.inBytes.Load(), js.outBytes.Load()
	if f, l := js.first.Load(), js.last.Load(); f >= 0 && l >= f {
		rep.Wall = time.Duration(l - f)
	}
	if js.err != nil {
		rep.Err = js.err.Error()
		return
	}
	if js.merge != nil && js.remaining.Load() == 0 {
		res := js.merge.result()
		rep.Result = &res
	}
}

// runner holds one run's shared state.
type runner struct {
	jobs     []*jobState
	cfg      Config
	start    time.Time
	lock     kernelLock
	ctx      context.Context
	cancel   context.CancelCauseFunc
	free     chan *task
	tasks    []*task // every task of the free list
	total    int
	inFlight atomic.Int32
	peak     atomic.Int32
	done     atomic.Int32
	inPool   arrayPool
	outPool  arrayPool
}

// fail records err for the task's job; it stops the whole run when the
// run is fail-fast (always for a single job).
func (r *runner) fail(t *task, err error) {
	t.js.setErr(err)
	if r.cfg.FailFast {
		r.cancel(err)
	}
}

func (r *runner) chunkErr(stage string, t *task, err error) error {
	return &ChunkError{Stage: stage, Index: t.idx, Number: t.n, Region: t.region, Input: t.js.job.Input, Output: t.js.job.Output, Err: err}
}

// feed hands out the chunks of every job in row-major order, one in-flight
// token each.
func (r *runner) feed(readQ chan<- *task) {
	defer close(readQ)
	for _, js := range r.jobs {
		if js.failed.Load() {
			continue
		}
		g := js.job.Grid
		for n := 0; n < g.Len(); n++ {
			var t *task
			select {
			case t = <-r.free:
			case <-r.ctx.Done():
				return
			}
			cur := r.inFlight.Add(1)
			for {
				p := r.peak.Load()
				if cur <= p || r.peak.CompareAndSwap(p, cur) {
					break
				}
			}
			idx := g.Index(n)
			*t = task{js: js, n: n, idx: idx, region: g.Region(idx)}
			select {
			case readQ <- t:
			case <-r.ctx.Done():
				return
			}
		}
	}
}

// finishChunk reports progress and returns the chunk's task to the free
// list.
func (r *runner) finishChunk(t *task) {
	r.inFlight.Add(-1)
	d := r.done.Add(1)
	js, inBytes := t.js, t.inBytes
	js.inBytes.Add(inBytes)
	js.last.Store(int64(time.Since(r.start)))
	js.remaining.Add(-1)
	*t = task{}
	r.free <- t
	if r.cfg.OnChunk != nil {
		r.cfg.OnChunk(int(d), r.total, inBytes)
	}
}

// abandon handles a chunk's failure in a stage: it records the error
// for the chunk's job and drops the chunk. It returns true when the run
// itself is over (cancelled, or fail-fast), so the worker should stop.
func (r *runner) abandon(t *task, stage string, err error) (stop bool) {
	if r.ctx.Err() != nil {
		return true
	}
	r.fail(t, r.chunkErr(stage, t, err))
	r.drop(t)
	return false
}

// drop abandons a task of a failed job, returning its buffers and token.
func (r *runner) drop(t *task) {
	r.releaseInput(t)
	if !t.lent {
		r.outPool.put(t.res)
	}
	t.res = nil
	r.finishChunk(t)
}

// releaseInput hands a task's input back: the view to its source, a copy
// to the pool.
func (r *runner) releaseInput(t *task) {
	if t.viewed {
		t.js.job.Source.(RegionViewer).ReleaseView(t.in.Rect)
		t.view, t.viewed = chunk.Array{}, false
	} else {
		r.inPool.put(t.in)
	}
	t.in = nil
}

func (r *runner) readLoop(w *worker, in <-chan *task, out chan<- *task) {
	// A fault copying out of a mapped file becomes a panic, which read
	// turns into the chunk's error.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	for t := range in {
		js := t.js
		if js.failed.Load() {
			r.drop(t)
			continue
		}
		w.chunk = t.n
		js.first.CompareAndSwap(-1, int64(time.Since(r.start)))
		t.inBytes = int64(t.region.Len()) * int64(js.job.DType.Size()) * int64(max(js.job.Planes, 1))
		t.out = js.job.Chain.OutputRegion(t.region)
		if t.out.Empty() {
			// Trimmed by a block reduction: nothing to compute.
			if js.merge != nil {
				js.merge.add(t.n, nil)
			}
			r.finishChunk(t)
			continue
		}
		need := js.job.Chain.InputRegion(t.out, js.job.Shape)
		t0 := time.Now()
		var err error
		if v, ok := js.job.Source.(RegionViewer); ok && js.job.Planes <= 1 && v.ViewRegion(need, &t.view) {
			t.in, t.viewed = &t.view, true
		} else {
			t.in = r.inPool.get(js.job.DType, need, js.job.Planes)
			err = r.read(js, need, t.in)
		}
		t1 := time.Now()
		w.busy(StageRead, t0, t1)
		if err != nil {
			if r.abandon(t, StageRead, err) {
				return
			}
			continue
		}
		select {
		case out <- t:
		case <-r.ctx.Done():
			return
		}
	}
}

func (r *runner) computeLoop(w *worker, in <-chan *task, out chan<- *task) {
	var proc *workerProc
	if r.cfg.Lock == Processes {
		defer func() {
			if proc != nil {
				proc.close()
			}
		}()
	}
	scratch := kernels.NewScratch()
	pacer := r.lock.pacer(w)
	// A fault reading a mapped input view becomes a panic, which compute
	// turns into the chunk's error.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	for t := range in {
		js := t.js
		if js.failed.Load() {
			r.drop(t)
			continue
		}
		w.chunk = t.n
		w.tasks = js.tasks
		stage := StageKernel
		if js.merge != nil {
			stage = StageReduce
			t.part = js.merge.reducer.NewPartial()
		} else {
			if l, ok := js.job.Sink.(RegionLender); ok && r.cfg.Lock != Processes && js.job.OutPlanes <= 1 {
				t.res = l.LendRegion(js.outType, t.out)
				t.lent = t.res != nil
			}
			if t.res == nil {
				t.res = r.outPool.get(js.outType, t.out, js.job.OutPlanes)
			}
		}
		var err error
		if r.cfg.Lock == Processes {
			if proc == nil {
				if proc, err = startWorker(r.ctx, r.cfg.WorkerCommand); err != nil {
					r.cancel(err)
					return
				}
			}
			err = r.computeInProcess(w, proc, t, scratch)
		} else {
			r.lock.acquire(w)
			w.computeSince = time.Now()
			err = r.compute(t, pacer, scratch)
			t1 := time.Now()
			w.record(StageCompute, w.computeSince, t1)
			r.lock.release(w)
			w.stats.Busy += t1.Sub(w.computeSince)
		}
		w.stats.Chunks++
		r.releaseInput(t)
		if err != nil {
			if r.abandon(t, stage, err) {
				return
			}
			continue
		}
		if js.merge != nil {
			js.merge.add(t.n, t.part)
			r.finishChunk(t)
			continue
		}
		select {
		case out <- t:
		case <-r.ctx.Done():
			return
		}
	}
}

// computeInProcess runs a chunk's array kernels in the worker's process:
// the input is copied there and the output back, and both copies are
// counted. A reduction's partial is then folded here.
func (r *runner) computeInProcess(w *worker, proc *workerProc, t *task, scratch *kernels.Scratch) error {
	js := t.js
	if proc.job != js.id {
		if err := proc.init(js.id, workerInitFor(js)); err != nil {
			return err
		}
	}
	res := t.res
	if js.merge != nil {
		res = r.outPool.get(js.procType, t.out, 0)
		defer r.outPool.put(res)
	}
	t0 := time.Now()
	childNs, err := proc.compute(t, res)
	t1 := time.Now()
	copyTime := max(t1.Sub(t0)-childNs, 0)
	w.stats.Busy += t1.Sub(t0)
	w.stats.CopyTime += copyTime
	w.stats.BytesCopied += int64(t.in.Bytes() + res.Bytes())
	w.record(StageCopy, t0, t0.Add(copyTime/2))
	w.record(StageCompute, t1.Add(-childNs-copyTime/2), t1.Add(-copyTime/2))
	w.record(StageCopy, t1.Add(-copyTime/2), t1)
	if err != nil || js.merge == nil {
		return err
	}
	if len(js.job.Chain.Kernels()) == 0 {
		return protect(func() error {
			return js.job.Chain.Reduce(t.part, t.out, res, js.job.Shape, kernels.NoPace, scratch)
		})
	}
	return protect(func() error { t.part.Add(res, kernels.NoPace); return nil })
}

// workerInitFor is what a worker process is told about a job: the chain's
// array kernels (a reduction is finished in the parent) and the input.
func workerInitFor(js *jobState) workerInit {
	var names []string
	for _, k := range js.job.Chain.Kernels() {
		names = append(names, k.Name())
	}
	params := js.job.Params
	if params == nil {
		params = js.job.Chain.Params()
	}
	return workerInit{Chain: strings.Join(names, ","), Params: params, Shape: js.job.Shape, DType: js.job.DType, Planes: js.job.Planes}
}

func (r *runner) writeLoop(w *worker, in <-chan *task) {
	for t := range in {
		js := t.js
		if js.failed.Load() {
			r.drop(t)
			continue
		}
		w.chunk = t.n
		t0 := time.Now()
		err := r.write(js, t.res)
		t1 := time.Now()
		w.busy(StageWrite, t0, t1)
		if err != nil {
			if r.abandon(t, StageWrite, err) {
				return
			}
			continue
		}
		js.outBytes.Add(int64(t.res.Bytes()))
		if !t.lent {
			r.outPool.put(t.res)
		}
		t.res = nil
		r.finishChunk(t)
	}
}

// read, compute and write run one stage's call for a chunk, turning a panic
// inside it into an error carrying the panic value and stack (as conc's
// panics.Catcher does, without a closure per chunk).
func (r *runner) read(js *jobState, need chunk.Region, dst *chunk.Array) (err error) {
	defer recoverInto(&err)
	return js.job.Source.ReadRegion(r.ctx, need, dst)
}

func (r *runner) compute(t *task, pacer kernels.Pacer, scratch *kernels.Scratch) (err error) {
	defer recoverInto(&err)
	js := t.js
	if js.merge != nil {
		return js.job.Chain.Reduce(t.part, t.out, t.in, js.job.Shape, pacer, scratch)
	}
	if js.job.PerPlane {
		for k := range t.in.NumPlanes() {
			chain := js.job.Chain
			if js.job.PlaneChains != nil {
				chain = js.job.PlaneChains[k]
			}
			if err := chain.Apply(t.res.Plane(k), t.in.Plane(k), js.job.Shape, pacer, scratch); err != nil {
				return fmt.Errorf("plane %d: %w", k+1, err)
			}
		}
		return nil
	}
	return js.job.Chain.Apply(t.res, t.in, js.job.Shape, pacer, scratch)
}

func (r *runner) write(js *jobState, a *chunk.Array) (err error) {
	defer recoverInto(&err)
	return js.job.Sink.WriteRegion(r.ctx, a)
}

// recoverInto, deferred, turns a panic into *err. A memory fault away from
// address zero, under debug.SetPanicOnFault, is a mapped input file that
// shrank or changed during the run: the error says so.
func recoverInto(err *error) {
	if v := recover(); v != nil {
		rec := panics.NewRecovered(1, v)
		*err = rec.AsError()
		if f, ok := v.(interface{ Addr() uintptr }); ok && f.Addr() >= 4096 {
			*err = fmt.Errorf("memory fault at %#x reading the input in place: the file shrank or changed during the run: %w", f.Addr(), *err)
		}
	}
}

// protect runs f and turns a panic inside it into an error carrying the
// panic value and stack.
func protect(f func() error) (err error) {
	defer recoverInto(&err)
	return f()
}
