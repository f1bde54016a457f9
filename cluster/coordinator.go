package cluster

import (
	"context"
	"crypto/rand"
	"encoding"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

// Options configure the coordinator, [Run]. The zero value works but for
// URL.
type Options struct {
	URL string // the NATS server, e.g. nats://host:4222
	// AckWait is how long a task may go without an ack or InProgress
	// before it is redelivered; 0: DefaultAckWait.
	AckWait time.Duration
	// MaxDeliver is how many times a task is delivered before its job
	// fails; 0: DefaultMaxDeliver.
	MaxDeliver int
	// ChunksPerTask groups consecutive chunks of one chunk row into a
	// task; 0: 1.
	ChunksPerTask int
	// OnChunk, when set, is called as chunks are done, from one
	// goroutine, with the chunks done, the total and the chunk's input
	// bytes.
	OnChunk func(done, total int, inBytes int64)
	// OnPublished, when set, is called once every task of the job is
	// stored in the task stream (tests use it to restart the server).
	OnPublished func()
	// Trace asks the workers for their spans (read, lock-wait, compute,
	// write of each chunk), returned in Report.Spans, one process per
	// worker, with the coordinator's own (publish, commit).
	Trace bool
	// TraceStart is the zero of the trace's time axis; zero: when the
	// job starts. A batch sets it so that its jobs share one axis.
	TraceStart time.Time
}

func (o Options) withDefaults() Options {
	if o.AckWait <= 0 {
		o.AckWait = DefaultAckWait
	}
	if o.MaxDeliver <= 0 {
		o.MaxDeliver = DefaultMaxDeliver
	}
	if o.ChunksPerTask <= 0 {
		o.ChunksPerTask = 1
	}
	return o
}

// Run distributes job over the workers connected to opts.URL and returns
// its report once every chunk is done and the output committed. A chain
// ending in a histogram without a range gets it from a first stats job,
// as a local run does. On error the output is removed and the job's
// remaining tasks are purged; the error names the failed chunk.
func Run(ctx context.Context, job Job, opts Options) (*Report, error) {
	opts = opts.withDefaults()
	if job.ID == "" {
		job.ID = newJobID()
	}
	if strings.ContainsAny(job.ID, ".*> \t") {
		return nil, fmt.Errorf("cluster: job id %q must not contain '.', '*', '>' or spaces", job.ID)
	}
	s := &spec{Input: job.Input, Chain: job.Chain, Params: job.Params, Preset: job.Preset, Grid: job.Grid, Trace: opts.Trace, Plan: job.Request}
	b, err := rebuild(s)
	if err != nil {
		return nil, err
	}
	b.close()            // the coordinator reads only the header
	var rangeRep *Report // the histogram's range pass
	if rs, ok := b.chain.Reducer().(kernels.RangeSetter); ok && rs.NeedsRange() {
		pre := job
		pre.ID, pre.Output = job.ID+"-range", nil
		var rest []string // the request's kernels before the reducer
		if job.Request != nil {
			// The workers plan the chain from the request's kernels as
			// typed: every stage but the last, the histogram. (Parsing
			// them here would need the inputs' parameters.)
			typed := strings.Split(job.Request.Kernels, ",")
			rest = typed[:len(typed)-1]
			r := *job.Request
			r.Kernels = strings.Join(append(rest, "stats"), ",")
			pre.Request = &r
		} else {
			var names []string
			for _, k := range b.chain.Kernels() {
				names = append(names, k.Name())
			}
			pre.Chain = strings.Join(append(names, "stats"), ",")
		}
		rep, err := Run(ctx, pre, Options{URL: opts.URL, AckWait: opts.AckWait, MaxDeliver: opts.MaxDeliver, ChunksPerTask: opts.ChunksPerTask,
			Trace: opts.Trace, TraceStart: opts.TraceStart})
		if err != nil {
			return nil, fmt.Errorf("cluster: histogram range pass: %w", err)
		}
		lo, hi := rep.Result.Values["min"], rep.Result.Values["max"]
		if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			return nil, fmt.Errorf("histogram: the data has no finite values to take a range from; give histogram:BINS:MIN:MAX")
		}
		rs.SetRange(lo, hi)
		if job.Request != nil {
			r := *job.Request
			r.Kernels = strings.Join(append(rest, b.chain.Reducer().Name()), ",")
			s.Plan = &r
		}
		rangeRep = rep
	}
	if job.Request == nil {
		s.Chain = chainText(b.chain)
	}
	c := &coordinator{job: job, opts: opts, spec: s, chain: b.chain,
		rep: &Report{Job: job.ID, Input: job.Input.Path, Chain: s.Chain, Chunks: job.Grid.Len()}}
	if job.Output != nil {
		if b.chain.Reducer() != nil {
			return nil, fmt.Errorf("cluster: job %s: chain %q ends in a reducer but an output file was given", job.ID, job.Chain)
		}
		want := b.chain.OutDType(b.info.DType)
		if job.Output.DType != want || job.Output.Shape != b.chain.OutputShape(b.info.Shape) {
			return nil, fmt.Errorf("cluster: job %s: output %s is %v %v, the chain makes %v %v", job.ID, job.Output.Path,
				job.Output.DType, job.Output.Shape, want, b.chain.OutputShape(b.info.Shape))
		}
		c.rep.Output = job.Output.Path
	} else if b.chain.Reducer() == nil {
		return nil, fmt.Errorf("cluster: job %s: chain %q needs an output file", job.ID, job.Chain)
	}
	rep, err := c.run(ctx)
	if rangeRep != nil && opts.Trace && rep != nil {
		rep.Spans = MergeSpans(rangeRep, rep)
	}
	return rep, err
}

// newJobID returns a random job id.
func newJobID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// coordinator is one Run's state.
type coordinator struct {
	job   Job
	opts  Options
	spec  *spec
	chain *kernels.Chain
	rep   *Report
	tasks []task
	spans *spanLog      // nil unless traced
	out   *sharedOutput // nil for a reduction
}

// advisory is the part of a MaxDeliver advisory the coordinator reads.
type advisory struct {
	StreamSeq  uint64 `json:"stream_seq"`
	Deliveries int    `json:"deliveries"`
}

func (c *coordinator) run(ctx context.Context) (*Report, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	nc, js, err := connect(c.opts.URL, "chunkpipe coordinator "+c.job.ID)
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	taskStream, resultStream, err := ensureStreams(ctx, js, c.opts.AckWait, c.opts.MaxDeliver)
	if err != nil {
		return nil, err
	}
	var out *sharedOutput
	if c.job.Output != nil {
		if out, err = createOutput(*c.job.Output); err != nil {
			return nil, err
		}
		c.spec.Out = &out.spec
		c.out = out
	}
	failed := func(err error) (*Report, error) {
		if out != nil {
			out.abort()
		}
		pctx, pcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer pcancel()
		taskStream.Purge(pctx, jetstream.WithPurgeSubject(taskSubject+c.job.ID))
		resultStream.Purge(pctx, jetstream.WithPurgeSubject(resultSubject+c.job.ID))
		return c.rep, err
	}

	// Results first, so that none is missed.
	results := make(chan jetstream.Msg, 4096)
	rc, err := resultStream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{FilterSubjects: []string{resultSubject + c.job.ID},
		InactiveThreshold: 30 * time.Second})
	if err != nil {
		return failed(fmt.Errorf("cluster: result consumer: %w", err))
	}
	defer func() {
		// The server would keep an idle ordered consumer for
		// InactiveThreshold, matching every later result against it.
		dctx, dcancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer dcancel()
		if info := rc.CachedInfo(); info != nil {
			resultStream.DeleteConsumer(dctx, info.Name)
		}
	}()
	cc, err := rc.Consume(func(m jetstream.Msg) {
		select {
		case results <- m:
		case <-ctx.Done():
		}
	})
	if err != nil {
		return failed(fmt.Errorf("cluster: result consumer: %w", err))
	}
	defer cc.Stop()
	advisories := make(chan *nats.Msg, 64)
	sub, err := nc.ChanSubscribe(maxDeliveriesAdvisory, advisories)
	if err != nil {
		return failed(fmt.Errorf("cluster: advisories: %w", err))
	}
	defer sub.Unsubscribe()

	start := time.Now()
	if c.opts.Trace {
		zero := c.opts.TraceStart
		if zero.IsZero() {
			zero = start
		}
		c.spans = newSpanLog(zero)
		defer func() { c.rep.Spans = c.spans.processes() }()
	}
	if err := c.publish(ctx, js); err != nil {
		return failed(err)
	}
	if out != nil && out.tiff != nil {
		for _, t := range c.tasks {
			out.tiff.order = append(out.tiff.order, t.First)
		}
	}
	c.span("publish", start)
	if c.opts.OnPublished != nil {
		c.opts.OnPublished()
	}
	if err := c.collect(ctx, results, advisories, taskStream); err != nil {
		return failed(err)
	}
	if out != nil {
		t0 := time.Now()
		if err := out.commit(); err != nil {
			return failed(err)
		}
		c.span("commit", t0)
	}
	c.rep.Wall = time.Since(start)
	pctx, pcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer pcancel()
	resultStream.Purge(pctx, jetstream.WithPurgeSubject(resultSubject+c.job.ID))
	return c.rep, nil
}

// publish stores the job's tasks, Msg-Id job/first-chunk each.
func (c *coordinator) publish(ctx context.Context, js jetstream.JetStream) error {
	g := c.job.Grid
	_, cols := g.Dims()
	for first := 0; first < g.Len(); {
		n := min(c.opts.ChunksPerTask, cols-first%cols)
		a, z := c.chain.OutputRegion(g.Region(g.Index(first))), c.chain.OutputRegion(g.Region(g.Index(first+n-1)))
		r := chunk.Rect(a.Row0, a.Col0, z.Row1, z.Col1) // one chunk row: the chunks' union
		c.tasks = append(c.tasks, task{Job: c.job.ID, First: first, Count: n, Region: r, Spec: c.spec})
		first += n
	}
	c.rep.Tasks = len(c.tasks)
	futures := make([]jetstream.PubAckFuture, 0, len(c.tasks))
	for i := range c.tasks {
		t := &c.tasks[i]
		data, err := json.Marshal(t)
		if err != nil {
			return fmt.Errorf("cluster: encode task %s: %w", t.msgID(), err)
		}
		f, err := js.PublishAsync(taskSubject+c.job.ID, data, jetstream.WithMsgID(t.msgID()))
		if err != nil {
			return fmt.Errorf("cluster: publish task %s: %w", t.msgID(), err)
		}
		futures = append(futures, f)
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Minute):
		return fmt.Errorf("cluster: job %s: the server did not store its %d tasks within a minute", c.job.ID, len(futures))
	}
	for i, f := range futures {
		select {
		case err := <-f.Err():
			return fmt.Errorf("cluster: publish task %s: %w", c.tasks[i].msgID(), err)
		default:
		}
	}
	return nil
}

// collect reads result records until every chunk is done, merging
// reduction partials in chunk order.
func (c *coordinator) collect(ctx context.Context, results <-chan jetstream.Msg, advisories <-chan *nats.Msg, taskStream jetstream.Stream) error {
	total := c.job.Grid.Len()
	doneTask := make([]bool, total) // by first chunk
	lastErr := map[int]string{}
	byName := map[string]*WorkerReport{}
	red := c.chain.Reducer()
	var acc kernels.Partial
	pending := map[int][]byte{}
	next := 0
	if red != nil {
		acc = red.NewPartial()
	}
	done := 0
	for done < total {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case am := <-advisories:
			var a advisory
			if json.Unmarshal(am.Data, &a) != nil {
				continue
			}
			raw, err := taskStream.GetMsg(ctx, a.StreamSeq)
			if err != nil {
				continue
			}
			var t task
			if json.Unmarshal(raw.Data, &t) != nil || t.Job != c.job.ID || doneTask[t.First] {
				continue
			}
			return c.chunkFailed(&t, a.Deliveries, lastErr[t.First])
		case m := <-results:
			var res result
			if err := json.Unmarshal(m.Data(), &res); err != nil || res.Job != c.job.ID || res.First < 0 || res.First+res.Count > total {
				continue
			}
			if c.spans != nil {
				c.spans.addWorker(&res)
			}
			if res.Err != "" && doneTask[res.First] {
				continue // a late attempt at a task another worker did
			}
			if res.Err != "" {
				lastErr[res.First] = res.Err
				if res.Final {
					t := task{Job: res.Job, First: res.First, Count: res.Count}
					return c.chunkFailed(&t, int(res.Delivery), res.Err)
				}
				c.rep.Retries++
				continue
			}
			if doneTask[res.First] {
				c.rep.Duplicates++
				continue
			}
			if red != nil && len(res.Partials) != res.Count {
				return fmt.Errorf("cluster: job %s: worker %s sent %d partials for %d chunks", c.job.ID, res.Worker, len(res.Partials), res.Count)
			}
			doneTask[res.First] = true
			c.rep.add(byName, &res)
			if c.out != nil {
				if err := c.out.taskDone(&res, c.outputElements(res.First, res.Count)); err != nil {
					return fmt.Errorf("cluster: job %s: output %s: %w", c.job.ID, c.job.Output.Path, err)
				}
			}
			for k := range res.Count {
				if red != nil {
					pending[res.First+k] = res.Partials[k]
				}
				done++
				if c.opts.OnChunk != nil {
					c.opts.OnChunk(done, total, res.InBytes/int64(res.Count))
				}
			}
			for red != nil {
				p, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				if p != nil {
					q := red.NewPartial()
					if err := q.(encoding.BinaryUnmarshaler).UnmarshalBinary(p); err != nil {
						return fmt.Errorf("cluster: job %s chunk %d: %w", c.job.ID, next, err)
					}
					acc.Merge(q)
				}
				next++
			}
		}
	}
	c.rep.finishWorkers(byName)
	if red != nil {
		r := acc.Result()
		c.rep.Result = &r
	}
	return nil
}

// outputElements counts the output elements of chunks first..first+n-1.
func (c *coordinator) outputElements(first, n int) int64 {
	g := c.job.Grid
	var sum int64
	for k := first; k < first+n; k++ {
		sum += int64(c.chain.OutputRegion(g.Region(g.Index(k))).Len())
	}
	return sum
}

// span records one of the coordinator's own spans, from t0 to now, when
// the run is traced.
func (c *coordinator) span(kind string, t0 time.Time) {
	if c.spans != nil {
		c.spans.addCoordinator(kind, t0, time.Now())
	}
}

// chunkFailed is the job's error for a task that will not complete.
func (c *coordinator) chunkFailed(t *task, deliveries int, last string) error {
	g := c.job.Grid
	idx := g.Index(t.First)
	what := fmt.Sprintf("chunk %d %v %v", t.First, idx, g.Region(idx))
	if t.Count > 1 {
		what = fmt.Sprintf("chunks %d-%d from %v %v", t.First, t.First+t.Count-1, idx, g.Region(idx))
	}
	if last == "" {
		last = "no error reported (the worker died or stalled each time)"
	}
	return &ChunkFailedError{Job: c.job.ID, Input: c.job.Input.Path, Chunk: t.First, Deliveries: deliveries,
		Msg: fmt.Sprintf("cluster: job %s: input %s: %s failed after %d deliveries: %s", c.job.ID, c.job.Input.Path, what, deliveries, last)}
}

// ChunkFailedError is a job's failure: a task that will not complete,
// after Deliveries attempts, with the last worker error in Msg.
type ChunkFailedError struct {
	Job        string
	Input      string
	Chunk      int // the task's first chunk number
	Deliveries int
	Msg        string
}

// Error returns the message: job, input, chunk, region, deliveries and the
// last worker error.
func (e *ChunkFailedError) Error() string { return e.Msg }
