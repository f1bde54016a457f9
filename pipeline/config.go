package pipeline

import (
	"fmt"
	"runtime"
	"time"

	"chunkpipe/chunk"
)

// Config holds a run's tuning knobs. Its zero value works: every zero field
// gets the default its comment names (see [Config.withDefaults]).
type Config struct {
	Workers      int      // kernel workers; 0: runtime.GOMAXPROCS(0)
	ReadWorkers  int      // read and decode workers; 0: Workers
	WriteWorkers int      // write (and encode) workers; 0: Workers
	Lock         LockMode // how kernel workers share the processor
	// SwitchInterval is how long a gil holder keeps the lock before it
	// yields to a waiting worker at the next row boundary, like CPython's
	// sys.setswitchinterval; 0 holds it for a chunk's whole kernel call.
	SwitchInterval time.Duration
	// GILModel says what holds the gil: kernel compute (python, the
	// default) or only a per-chunk glue step (numpy).
	GILModel GILModel
	// GlueCost is the lock-holding work per task under the numpy model;
	// a chunk runs one task per kernel plus one to read and one to store
	// it, as a dask graph does. 0: DefaultGlueCost.
	GlueCost time.Duration
	// WorkerCommand starts a worker process in processes mode; nil runs
	// this executable with the hidden "__worker" subcommand. The process
	// must call [ServeWorker] on its standard input and output.
	WorkerCommand []string
	// InFlight bounds the chunks between being read and being written;
	// 0: 2*Workers + ReadWorkers + WriteWorkers.
	InFlight int
	// MemLimit, when positive, bounds the bytes held by chunks in flight;
	// InFlight is lowered to fit, and a chunk that cannot fit is an error
	// before any work starts.
	MemLimit int64
	// FailFast stops a batch at its first failed job; otherwise the other
	// jobs go on. A single-job Run always stops at its first error.
	FailFast bool
	// Trace records a span per stage and chunk for traces and timelines.
	Trace bool
	// OnChunk, when set, is called after each chunk is finished (written
	// or reduced), from any goroutine, with the chunk's input bytes.
	OnChunk func(done, total int, inBytes int64)
}

// DefaultGlueCost is the numpy model's lock-holding time per task: dask's
// threaded scheduler documents an overhead of 50 to 200 us per task, most of
// it Python code under the GIL; 200 us is the upper figure, which
// RESULTS.md's small-chunk losses suggest.
const DefaultGlueCost = 200 * time.Microsecond

// withDefaults returns a copy of c with zero fields filled in.
func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.ReadWorkers <= 0 {
		c.ReadWorkers = c.Workers
	}
	if c.WriteWorkers <= 0 {
		c.WriteWorkers = c.Workers
	}
	if c.GlueCost <= 0 {
		c.GlueCost = DefaultGlueCost
	}
	if c.InFlight <= 0 {
		c.InFlight = 2*c.Workers + c.ReadWorkers + c.WriteWorkers
	}
	return c
}

// fitMemory lowers InFlight so that InFlight chunks of perChunk bytes fit
// MemLimit, and fails when not even one does (or not one per kernel worker
// can, which would leave workers idle by construction).
func (c *Config) fitMemory(perChunk int64, grid chunk.Grid) error {
	if c.MemLimit <= 0 || perChunk <= 0 {
		return nil
	}
	n := int(c.MemLimit / perChunk)
	if n < 1 {
		return fmt.Errorf("pipeline: a chunk (%v) needs %s in flight, more than --mem-limit %s; use smaller chunks",
			grid.Chunk, chunk.FormatBytes(perChunk), chunk.FormatBytes(c.MemLimit))
	}
	c.InFlight = min(c.InFlight, n)
	return nil
}
