// Package counter reproduces the shared-counter experiment of the talk
// chunkpipe's lock modes come from (the anchors' shared_counter.py):
// several workers increment one counter. Done as a separate load and store,
// increments are lost when workers interleave between the two, which is what
// removing the GIL exposes in Python code that relied on it; a lock or an
// atomic add loses none, at a price.
//
// The racy version loads and stores through sync/atomic, so that there is no
// data race in the Go memory model's sense (go test -race stays clean) and
// yet the read-modify-write is not atomic, exactly as in the Python code.
// Every [SwitchEvery] increments the racy version also yields its
// processor between the load and the store, as CPython switches threads
// between bytecodes: so updates are lost whenever two workers run, even
// when they share one core (the second core busy with other work), not
// only when they happen to run at the same instant.
package counter

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Method is a way of incrementing the shared counter.
type Method string

// The methods the experiment compares.
const (
	LoadStore Method = "load-store" // atomic load, then atomic store: updates can be lost
	Mutex     Method = "mutex"      // load and store under a sync.Mutex
	AtomicAdd Method = "atomic-add" // one atomic read-modify-write
)

// SwitchEvery is how often (in increments) a load-store worker yields
// between its load and its store.
const SwitchEvery = 64

// Methods lists the methods in the order the experiment runs them.
func Methods() []Method { return []Method{LoadStore, Mutex, AtomicAdd} }

// Result is one method's outcome.
type Result struct {
	Method   Method
	Workers  int
	Expected int64 // workers x increments
	Got      int64 // the counter's final value
	Lost     int64 // Expected - Got
	Elapsed  time.Duration
}

// NsPerIncrement returns the cost of one increment.
func (r Result) NsPerIncrement() float64 {
	if r.Expected == 0 {
		return 0
	}
	return float64(r.Elapsed.Nanoseconds()) / float64(r.Expected)
}

// String formats the result as one line.
func (r Result) String() string {
	return fmt.Sprintf("%-10s %d workers: expected %d, got %d, lost %d (%.1f%%), %.2f ns/increment",
		r.Method, r.Workers, r.Expected, r.Got, r.Lost, 100*float64(r.Lost)/float64(max(r.Expected, 1)), r.NsPerIncrement())
}

// Run has workers goroutines each add 1 to a shared counter increments
// times with method m, and reports how many updates survived.
func Run(m Method, workers int, increments int) (Result, error) {
	if workers < 1 || increments < 0 {
		return Result{}, fmt.Errorf("counter: need at least one worker and a non-negative count")
	}
	var n atomic.Int64
	var mu sync.Mutex
	var plain int64
	inc, err := incrementer(m, &n, &mu, &plain)
	if err != nil {
		return Result{}, err
	}
	var start, done sync.WaitGroup
	start.Add(1)
	for w := 0; w < workers; w++ {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			for i := 0; i < increments; i++ {
				inc(i)
			}
		}()
	}
	t0 := time.Now()
	start.Done()
	done.Wait()
	el := time.Since(t0)
	got := n.Load()
	if m == Mutex {
		got = plain
	}
	exp := int64(workers) * int64(increments)
	return Result{Method: m, Workers: workers, Expected: exp, Got: got, Lost: exp - got, Elapsed: el}, nil
}

// incrementer returns the function a worker calls for its i-th increment.
func incrementer(m Method, n *atomic.Int64, mu *sync.Mutex, plain *int64) (func(i int), error) {
	switch m {
	case LoadStore:
		return func(i int) {
			v := n.Load()
			spinWork()
			if i%SwitchEvery == SwitchEvery-1 {
				runtime.Gosched() // a thread switch between load and store
			}
			n.Store(v + 1)
		}, nil
	case Mutex:
		return func(int) {
			mu.Lock()
			v := *plain
			spinWork()
			*plain = v + 1
			mu.Unlock()
		}, nil
	case AtomicAdd:
		return func(int) { n.Add(1) }, nil
	}
	return nil, fmt.Errorf("counter: unknown method %q (want load-store, mutex or atomic-add)", m)
}

// sink keeps spinWork from being optimised away.
var sink atomic.Uint64

// spinWork stands for the interpreter work between CPython's load and store
// of the counter (the bytecodes of "counter += 1"), which widens the window
// in which another worker's update is lost.
func spinWork() {
	x := uint64(1)
	for i := 0; i < 8; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	if x == 0 {
		sink.Add(1)
	}
}
