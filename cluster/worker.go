package cluster

import (
	"context"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/sourcegraph/conc/panics"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
)

// WorkerConfig configures [Serve]. Its zero value works but for URL.
type WorkerConfig struct {
	URL string // the NATS server, e.g. nats://host:4222
	// Workers is how many tasks run at once; 0: runtime.GOMAXPROCS(0).
	Workers int
	// Lock is pipeline.Free (tasks compute in parallel) or pipeline.GIL
	// (one chain at a time in this process); processes is refused.
	Lock pipeline.LockMode
	// Name identifies the worker in reports; "": host:pid.
	Name string
	// NakDelay is the delay before a task that failed with a read or
	// write error is tried again, times its delivery count; 0: 1s.
	NakDelay time.Duration
	// ChunkDelay is slept before each chunk: a knob for fault-injection
	// tests and demos, 0 otherwise.
	ChunkDelay time.Duration
	// Log receives one line per failed task; nil: os.Stderr.
	Log io.Writer

	// beforeChunk, when set, is called with each chunk's number before it
	// is read: tests use it to make a worker die on a given chunk.
	beforeChunk func(n int)
}

// errTransient marks errors worth retrying (reading the input, writing
// the output); other task errors would repeat and terminate the task.
var errTransient = errors.New("transient")

type transientError struct{ err error }

func (e transientError) Error() string          { return e.err.Error() }
func (e transientError) Unwrap() []error        { return []error{e.err, errTransient} }
func transient(err error) error                 { return transientError{err} }
func isTransient(err error) bool                { return errors.Is(err, errTransient) }
func (c *WorkerConfig) logf(f string, a ...any) { fmt.Fprintf(c.Log, f+"\n", a...) }

// Serve runs a worker until ctx is done: it pulls tasks from the
// workers' consumer (waiting for a coordinator to create it), runs up to
// Workers at once and publishes a result record for each.
func Serve(ctx context.Context, cfg WorkerConfig) error {
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.Lock == pipeline.Processes {
		return fmt.Errorf("cluster: worker: lock mode processes is not supported; run more workers instead")
	}
	if cfg.Name == "" {
		host, _ := os.Hostname()
		cfg.Name = fmt.Sprintf("%s:%d", host, os.Getpid())
	}
	if cfg.NakDelay <= 0 {
		cfg.NakDelay = time.Second
	}
	if cfg.Log == nil {
		cfg.Log = os.Stderr
	}
	nc, js, err := connect(cfg.URL, "chunkpipe worker "+cfg.Name)
	if err != nil {
		return err
	}
	defer nc.Close()
	cons, err := waitConsumer(ctx, js)
	if err != nil {
		return err
	}
	info := cons.CachedInfo()
	w := &worker{cfg: cfg, js: js, cons: cons, jobs: map[string]*jobEntry{},
		ackWait: info.Config.AckWait, maxDeliver: info.Config.MaxDeliver}
	// A missed heartbeat (a loaded machine) only resets the pull; it is
	// not worth a log line per occurrence.
	iter, err := cons.Messages(jetstream.PullMaxMessages(2*cfg.Workers), jetstream.WithMessagesErrOnMissingHeartbeat(false))
	if err != nil {
		return fmt.Errorf("cluster: worker: %w", err)
	}
	msgs := make(chan jetstream.Msg)
	var wg sync.WaitGroup
	for i := range cfg.Workers {
		wg.Go(func() {
			s := newSlot(i + 1)
			for m := range msgs {
				w.handle(ctx, m, s)
			}
		})
	}
	go func() {
		<-ctx.Done()
		iter.Stop()
	}()
	for {
		m, err := iter.Next()
		if err != nil {
			if errors.Is(err, jetstream.ErrMsgIteratorClosed) || ctx.Err() != nil {
				break
			}
			cfg.logf("chunkpipe worker %s: fetch: %v", cfg.Name, err)
			continue
		}
		select {
		case msgs <- m:
		case <-ctx.Done():
		}
	}
	close(msgs)
	wg.Wait()
	w.settling.Wait()
	w.closeJobs()
	return nil
}

// worker is one Serve's state.
type worker struct {
	cfg  WorkerConfig
	js   jetstream.JetStream
	cons jetstream.Consumer
	// ackWait and maxDeliver are the task consumer's, as each coordinator
	// sets them; read again when a task of a job new to this worker
	// arrives (see limits). Guarded by mu.
	ackWait    time.Duration
	maxDeliver int
	gil        sync.Mutex
	mu         sync.Mutex
	jobs       map[string]*jobEntry
	clock      int64
	settling   sync.WaitGroup // tasks whose result is being published
}

// maxCachedJobs bounds the jobs a worker keeps open.
const maxCachedJobs = 8

// jobEntry is a job opened by a worker, shared by the tasks that use it.
type jobEntry struct {
	once  sync.Once
	b     *built
	out   chunkWriter
	err   error
	users int
	last  int64
}

// slot is one task runner's reusable buffers; id numbers its track in
// traces.
type slot struct {
	id       int
	src, dst chunk.Array
	scratch  *kernels.Scratch
}

func newSlot(id int) *slot { return &slot{id: id, scratch: kernels.NewScratch()} }

// job returns the opened job a task belongs to, decoding its spec and
// opening it once.
func (w *worker) job(t *task, rawSpec json.RawMessage) (*jobEntry, error) {
	w.mu.Lock()
	e := w.jobs[t.Job]
	fresh := e == nil
	if fresh {
		e = &jobEntry{}
		w.jobs[t.Job] = e
	}
	e.users++ // before evicting: a job in use is never evicted
	w.clock++
	e.last = w.clock
	if fresh {
		w.evictLocked()
	}
	w.mu.Unlock()
	e.once.Do(func() {
		var sp spec
		if len(rawSpec) == 0 || string(rawSpec) == "null" {
			e.err = fmt.Errorf("cluster: task %s has no job spec", t.msgID())
			return
		}
		if e.err = json.Unmarshal(rawSpec, &sp); e.err != nil {
			e.err = fmt.Errorf("cluster: task %s: job spec: %w", t.msgID(), e.err)
			return
		}
		if e.b, e.err = rebuild(&sp); e.err != nil {
			// A file this worker cannot reach now (a shared filesystem's
			// hiccup, a path not yet visible here) may open on another
			// delivery or worker; a bad chain or request never will.
			var pe *fs.PathError
			if errors.As(e.err, &pe) {
				e.err = transient(e.err)
			}
			return
		}
		if sp.Out != nil {
			if e.out, e.err = openOutput(sp.Out); e.err != nil {
				e.err = transient(e.err)
			}
		}
	})
	if e.err != nil {
		w.release(e)
		if isTransient(e.err) {
			// Let a later delivery try to open it again.
			w.mu.Lock()
			if w.jobs[t.Job] == e {
				delete(w.jobs, t.Job)
			}
			w.mu.Unlock()
		}
		return nil, e.err
	}
	return e, nil
}

// release drops a task's hold on its job.
func (w *worker) release(e *jobEntry) {
	w.mu.Lock()
	e.users--
	w.mu.Unlock()
}

// evictLocked closes the least recently used idle jobs beyond the cache's
// size.
func (w *worker) evictLocked() {
	for len(w.jobs) > maxCachedJobs {
		var oldID string
		var old *jobEntry
		for id, e := range w.jobs {
			if e.users == 0 && (old == nil || e.last < old.last) {
				oldID, old = id, e
			}
		}
		if old == nil {
			return
		}
		delete(w.jobs, oldID)
		old.close()
	}
}

func (e *jobEntry) close() {
	if e.b != nil {
		e.b.close()
	}
	if e.out != nil {
		e.out.close()
	}
}

func (w *worker) closeJobs() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for id, e := range w.jobs {
		e.close()
		delete(w.jobs, id)
	}
}

// handle runs one task message and settles it: Ack after its result is
// published, Nak with a delay for a transient error, Term for one that
// would repeat.
func (w *worker) handle(ctx context.Context, m jetstream.Msg, s *slot) {
	var delivery uint64 = 1
	if md, err := m.Metadata(); err == nil {
		delivery = md.NumDelivered
	}
	var in taskIn
	if err := json.Unmarshal(m.Data(), &in); err != nil {
		w.cfg.logf("chunkpipe worker %s: bad task message on %s: %v", w.cfg.Name, m.Subject(), err)
		m.TermWithReason("bad task message")
		return
	}
	t := task{Job: in.Job, First: in.First, Count: in.Count, Region: in.Region}
	ackWait, maxDeliver := w.limits(ctx, t.Job)
	stop := w.heartbeat(m, ackWait)
	t0 := time.Now()
	res := result{Job: t.Job, First: t.First, Count: t.Count, Worker: w.cfg.Name, Delivery: delivery}
	err := w.run(ctx, &t, in.Spec, s, &res)
	res.BusyNs = int64(time.Since(t0))
	stop()
	if err != nil && ctx.Err() != nil {
		m.Nak() // shutting down: another worker takes the task now
		return
	}
	id := t.msgID() + "/ok"
	if err != nil {
		res.Err = err.Error()
		res.Final = !isTransient(err) || (maxDeliver > 0 && int(delivery) >= maxDeliver)
		res.Partials, res.Tiles, res.TileFile = nil, nil, ""
		id = fmt.Sprintf("%s/err%d", t.msgID(), delivery)
		w.cfg.logf("chunkpipe worker %s: task %s (delivery %d): %v", w.cfg.Name, t.msgID(), delivery, err)
	}
	data, merr := json.Marshal(&res)
	if merr != nil {
		m.TermWithReason("cannot encode result")
		return
	}
	// The task is settled once its record is stored: publishing is
	// asynchronous, so the slot goes on to the next task meanwhile.
	f, perr := w.js.PublishAsync(resultSubject+t.Job, data, jetstream.WithMsgID(id))
	if perr != nil {
		w.cfg.logf("chunkpipe worker %s: task %s: publish result: %v", w.cfg.Name, t.msgID(), perr)
		m.NakWithDelay(w.cfg.NakDelay)
		return
	}
	w.settling.Add(1)
	go func() {
		defer w.settling.Done()
		select {
		case <-f.Ok():
		case perr := <-f.Err():
			// The coordinator cannot learn of the outcome: try again later.
			w.cfg.logf("chunkpipe worker %s: task %s: publish result: %v", w.cfg.Name, t.msgID(), perr)
			m.NakWithDelay(w.cfg.NakDelay)
			return
		}
		switch {
		case err == nil:
			m.Ack()
		case res.Final:
			m.TermWithReason(firstLine(res.Err))
		default:
			m.NakWithDelay(w.cfg.NakDelay * time.Duration(delivery))
		}
	}()
}

// limits returns the task consumer's AckWait and MaxDeliver. Every
// coordinator sets them for its run, so for a job this worker has not
// seen yet they are read from the server again; a failed read keeps the
// last ones.
func (w *worker) limits(ctx context.Context, job string) (time.Duration, int) {
	w.mu.Lock()
	_, known := w.jobs[job]
	w.mu.Unlock()
	if !known {
		if info, err := w.cons.Info(ctx); err == nil {
			w.mu.Lock()
			w.ackWait, w.maxDeliver = info.Config.AckWait, info.Config.MaxDeliver
			w.mu.Unlock()
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ackWait, w.maxDeliver
}

// heartbeat sends InProgress every third of AckWait until stop is
// called, so long tasks are not redelivered while their worker lives. It
// costs a timer per task, no goroutine.
func (w *worker) heartbeat(m jetstream.Msg, ackWait time.Duration) (stop func()) {
	every := ackWait / 3
	if every <= 0 {
		return func() {}
	}
	var mu sync.Mutex
	stopped := false
	var tm *time.Timer
	mu.Lock() // the callback waits until tm is set
	tm = time.AfterFunc(every, func() {
		mu.Lock()
		defer mu.Unlock()
		if !stopped {
			m.InProgress()
			tm.Reset(every)
		}
	})
	mu.Unlock()
	return func() {
		mu.Lock()
		stopped = true
		mu.Unlock()
		tm.Stop()
	}
}

// run computes a task's chunks and stores them (or their partials).
func (w *worker) run(ctx context.Context, t *task, rawSpec json.RawMessage, s *slot, res *result) error {
	e, err := w.job(t, rawSpec)
	if err != nil {
		return err
	}
	defer w.release(e)
	b := e.b
	g := b.spec.Grid
	if t.First < 0 || t.Count < 1 || t.First+t.Count > g.Len() {
		return fmt.Errorf("cluster: task %s: chunks %d+%d outside the grid's %d", t.msgID(), t.First, t.Count, g.Len())
	}
	red := b.chain.Reducer()
	if red != nil {
		res.Partials = make([][]byte, t.Count)
	}
	outType := b.chain.OutDType(b.info.DType)
	ts := taskSpans{on: b.spec.Trace, slot: s.id}
	defer func() { res.Spans = ts.spans }()
	for k := range t.Count {
		n := t.First + k
		if w.cfg.ChunkDelay > 0 {
			time.Sleep(w.cfg.ChunkDelay)
		}
		if w.cfg.beforeChunk != nil {
			w.cfg.beforeChunk(n)
		}
		idx := g.Index(n)
		region := g.Region(idx)
		out := b.chain.OutputRegion(region)
		if out.Empty() {
			continue
		}
		need := b.chain.InputRegion(out, b.info.Shape)
		fail := func(stage string, err error) error {
			return &pipeline.ChunkError{Stage: stage, Index: idx, Number: n, Region: region, Input: b.spec.Input.Path, Output: outputName(b.spec), Err: err}
		}
		t0 := time.Now()
		s.src.ResetPlanes(b.info.DType, need, b.planes)
		if err := protect(func() error { return b.reader.ReadRegion(ctx, need, &s.src) }); err != nil {
			return transient(fail(pipeline.StageRead, err))
		}
		t0 = ts.add(pipeline.StageRead, n, t0)
		res.InBytes += int64(need.Len()) * int64(b.info.DType.Size()) * int64(max(b.planes, 1))
		var part kernels.Partial
		if red != nil {
			part = red.NewPartial()
		} else {
			s.dst.ResetPlanes(outType, out, b.outPlanes)
		}
		if w.cfg.Lock == pipeline.GIL {
			w.gil.Lock()
			t0 = ts.add(pipeline.StageLock, n, t0)
		}
		err := protect(func() error {
			if red != nil {
				return b.chain.Reduce(part, out, &s.src, b.info.Shape, kernels.NoPace, s.scratch)
			}
			return b.apply(&s.dst, &s.src, s.scratch)
		})
		if w.cfg.Lock == pipeline.GIL {
			w.gil.Unlock()
		}
		t0 = ts.add(pipeline.StageCompute, n, t0)
		if err != nil {
			if red != nil {
				return fail(pipeline.StageReduce, err)
			}
			return fail(pipeline.StageKernel, err)
		}
		if red != nil {
			bm, ok := part.(encoding.BinaryMarshaler)
			if !ok {
				return fail(pipeline.StageReduce, fmt.Errorf("reducer %s cannot send its partial to a coordinator", red.Name()))
			}
			if res.Partials[k], err = bm.MarshalBinary(); err != nil {
				return fail(pipeline.StageReduce, err)
			}
			continue
		}
		if err := protect(func() error { return e.out.write(ctx, &s.dst, res) }); err != nil {
			return transient(fail(pipeline.StageWrite, err))
		}
		ts.add(pipeline.StageWrite, n, t0)
	}
	if e.out != nil {
		if err := e.out.finish(res); err != nil {
			return transient(fmt.Errorf("cluster: task %s: output %s: %w", t.msgID(), outputName(b.spec), err))
		}
	}
	return nil
}

// apply runs the job's chain on src into dst, or for a per-plane job
// each plane's chain on its plane.
func (b *built) apply(dst, src *chunk.Array, scratch *kernels.Scratch) error {
	if !b.perPlane {
		return b.chain.Apply(dst, src, b.info.Shape, kernels.NoPace, scratch)
	}
	for k := range src.NumPlanes() {
		c := b.chain
		if b.planeChains != nil {
			c = b.planeChains[k]
		}
		if err := c.Apply(dst.Plane(k), src.Plane(k), b.info.Shape, kernels.NoPace, scratch); err != nil {
			return fmt.Errorf("plane %d: %w", k+1, err)
		}
	}
	return nil
}

func outputName(s *spec) string {
	if s.Out == nil {
		return ""
	}
	return s.Out.Target
}

// protect runs f and turns a panic inside it into an error.
func protect(f func() error) (err error) {
	var c panics.Catcher
	c.Try(func() { err = f() })
	if r := c.Recovered(); r != nil {
		return r.AsError()
	}
	return err
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}
