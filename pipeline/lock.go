package pipeline

import (
	"sync/atomic"
	"time"

	"chunkpipe/kernels"
)

// kernelLock is the seam between kernel workers and a lock mode. A worker
// calls acquire before computing a chunk and release after; kernels call the
// worker's pacer as rows complete.
type kernelLock interface {
	acquire(w *worker)
	release(w *worker)
	pacer(w *worker) kernels.Pacer
}

// freeLock is the Free mode: no lock at all.
type freeLock struct{}

func (freeLock) acquire(*worker)             {}
func (freeLock) release(*worker)             {}
func (freeLock) pacer(*worker) kernels.Pacer { return kernels.NoPace }

// newLock returns the lock for cfg's mode.
func newLock(cfg *Config, start time.Time) kernelLock {
	if cfg.Lock != GIL {
		return freeLock{}
	}
	g := &gil{sem: make(chan struct{}, 1), interval: cfg.SwitchInterval, start: start}
	if cfg.GILModel == NumpyModel {
		return &numpyLock{g: g, glue: cfg.GlueCost}
	}
	return g
}

// numpyLock models kernels that release the GIL while they compute, as
// numpy's C loops do: a worker takes the lock only for the chunk's glue (task
// dispatch and Python-level bookkeeping, spun as real CPU work: glue per task
// times the chunk's tasks), then computes unlocked.
type numpyLock struct {
	g    *gil
	glue time.Duration
}

func (l *numpyLock) acquire(w *worker) {
	l.g.acquire(w)
	t0 := time.Now()
	spin(time.Duration(max(w.tasks, 1)) * l.glue)
	w.record(StageGlue, t0, time.Now())
	l.g.release(w)
}

func (l *numpyLock) release(*worker)             {}
func (l *numpyLock) pacer(*worker) kernels.Pacer { return kernels.NoPace }

// spin keeps the processor busy for d, as interpreter work would.
func spin(d time.Duration) {
	for t0 := time.Now(); time.Since(t0) < d; {
	}
}

// gil is a global interpreter lock. Waiting workers queue in FIFO order (a
// buffered channel of capacity one hands its slot to the longest-waiting
// sender), and a holder asked to yield by its pacer joins the back of the
// queue, so the lock passes round the workers the way CPython's GIL does when
// its holder is asked to drop it every switch interval.
type gil struct {
	sem       chan struct{}
	waiting   atomic.Int32
	lastOwner atomic.Int32
	interval  time.Duration
	start     time.Time
}

func (g *gil) acquire(w *worker) {
	g.waiting.Add(1)
	t0 := time.Now()
	g.sem <- struct{}{}
	t1 := time.Now()
	g.waiting.Add(-1)
	w.stats.LockWait += t1.Sub(t0)
	if prev := g.lastOwner.Swap(int32(w.id + 1)); prev != int32(w.id+1) {
		w.stats.Handoffs++
	}
	w.record(StageLock, t0, t1)
	w.heldSince = t1
}

func (g *gil) release(w *worker) {
	now := time.Now()
	w.stats.LockHeld += now.Sub(w.heldSince)
	<-g.sem
}

func (g *gil) pacer(w *worker) kernels.Pacer {
	return &gilPacer{g: g, w: w}
}

// gilPacer yields the lock at a row boundary once the holder has had it for
// a switch interval and another worker is waiting.
type gilPacer struct {
	g *gil
	w *worker
}

func (p *gilPacer) Pace() {
	if p.g.interval <= 0 || p.g.waiting.Load() == 0 {
		return
	}
	now := time.Now()
	if now.Sub(p.w.heldSince) < p.g.interval {
		return
	}
	p.w.record(StageCompute, p.w.computeSince, now)
	p.w.stats.Busy += now.Sub(p.w.computeSince)
	p.g.release(p.w)
	p.w.stats.Yields++
	p.g.acquire(p.w)
	p.w.computeSince = p.w.heldSince
}

// Block releases the lock while f runs (a blocking call such as a sleep or
// a read), then takes it back, as CPython does around I/O.
func (p *gilPacer) Block(f func()) {
	now := time.Now()
	p.w.record(StageCompute, p.w.computeSince, now)
	p.w.stats.Busy += now.Sub(p.w.computeSince)
	p.g.release(p.w)
	t0 := time.Now()
	f()
	p.w.record(StageIOWait, t0, time.Now())
	p.g.acquire(p.w)
	p.w.computeSince = p.w.heldSince
}
