package main

import (
	"context"
	"fmt"
	"hash/crc64"
	"io"
	"os"
	"runtime"
	"sync"
	"text/tabwriter"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/counter"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
	"chunkpipe/synth"
)

// demoCmd is `chunkpipe demo`: the main job on an embedded default.
type demoCmd struct {
	Scenario string `arg:"" optional:"" enum:"overview,cpu,io,io-net,counter" default:"overview" help:"overview (default): the main job in every lock mode; cpu: a CPU-bound pure kernel (primes); io: a kernel that waits with the lock released (sleep); io-net: chunks fetched over HTTP from a loopback server with 20 ms latency, more fetchers under free and gil; counter: lost updates of a shared counter without a lock."`
	Size     int    `help:"Edge of the square synthetic granule, in pixels." default:"1536"`
	Kernels  string `short:"k" help:"Kernel chain to run (overview)." default:"calibrate,median:5"`
	Chunks   string `help:"Chunk spec." default:"256"`
	Workers  int    `short:"w" help:"Largest worker count to try (default: number of CPUs, at most 4)."`
	Interval string `help:"gil switch interval." default:"5ms"`
}

// Run executes the command.
func (c *demoCmd) Run(g *globals) error {
	maxW := c.Workers
	if maxW <= 0 {
		maxW = min(runtime.NumCPU(), 4)
	}
	si, err := time.ParseDuration(c.Interval)
	if err != nil {
		return usage(fmt.Errorf("--interval: %v", err))
	}
	switch c.Scenario {
	case "cpu":
		return runDemo(g.ctx, os.Stdout, c.Size, "primes", c.Chunks, maxW, si)
	case "io":
		return runDemo(g.ctx, os.Stdout, min(c.Size, 1024), "sleep:20", c.Chunks, maxW, si)
	case "io-net":
		return runNetDemo(g.ctx, os.Stdout, min(c.Size, 1024), maxW, 20*time.Millisecond)
	case "counter":
		return runCounter(os.Stdout, maxW)
	}
	return runDemo(g.ctx, os.Stdout, c.Size, c.Kernels, c.Chunks, maxW, si)
}

// runCounter runs the shared-counter experiment with each method.
func runCounter(w io.Writer, workers int) error {
	workers = max(workers, 2)
	fmt.Fprintf(w, "chunkpipe demo counter: %d workers each add 1 to a shared counter 2,000,000 times\n\n", workers)
	for _, m := range counter.Methods() {
		r, err := counter.Run(m, workers, 2000000)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, r)
	}
	fmt.Fprintln(w, "\nload-store: each worker loads the counter, works, then stores load+1, as Python's 'counter += 1' does; another worker's store in between is lost.")
	fmt.Fprintln(w, "Under CPython's GIL such interleavings are rare but possible; without a GIL they are routine. A lock or an atomic add loses nothing, at the cost shown.")
	return nil
}

// demoRow is one measured configuration of the demo.
type demoRow struct {
	mode     pipeline.LockMode
	workers  int
	rep      *pipeline.Report
	checksum uint64 // of the output bytes and their positions
}

// runDemo synthesizes a granule in memory, runs the chain in both lock modes
// with 1..maxW workers, and prints a comparison table.
func runDemo(ctx context.Context, w io.Writer, size int, chainText, chunks string, maxW int, interval time.Duration) error {
	shape := chunk.Shape{Rows: size, Cols: size}
	// The demo granule is the synthetic one: calibrate with its constants.
	anchors, err := kernels.Preset("anchors")
	if err != nil {
		return err
	}
	chain, err := kernels.ParseChain(chainText, anchors)
	if err != nil {
		return usage(err)
	}
	spec, err := chunk.ParseSpec(chunks)
	if err != nil {
		return usage(err)
	}
	grid, err := spec.Resolve(chunk.Layout{Shape: shape, ElemBytes: 4, Workers: maxW, Multiple: chain.Factor()})
	if err != nil {
		return usage(err)
	}
	// Generate the granule once, so that every run reads the same memory.
	src := &memSource{a: chunk.NewArray(chunk.Int16, shape.Bounds())}
	if err := synth.New(shape, 20250101).ReadRegion(ctx, shape.Bounds(), src.a); err != nil {
		return err
	}
	fmt.Fprintf(w, "chunkpipe demo: %s on a synthetic %v int16 granule, %s, up to %d workers (%d CPUs)\n\n",
		chainText, shape, grid, maxW, runtime.NumCPU())
	var rows []demoRow
	for _, mode := range pipeline.LockModes() {
		for n := 1; n <= maxW; n++ {
			job := pipeline.Job{Input: "demo granule", Source: src, Shape: shape, DType: chunk.Int16, Chain: chain, Grid: grid}
			sum := newChecksumSink()
			if chain.Reducer() == nil {
				job.Sink = sum
			}
			rep, err := pipeline.Run(ctx, job, pipeline.Config{Workers: n, Lock: mode, SwitchInterval: interval})
			if err != nil {
				return err
			}
			if len(rows) > 0 && sum.Sum() != rows[0].checksum {
				return fmt.Errorf("demo: %s with %d workers computed other bytes than %s with %d (checksum %016x, want %016x)",
					mode, n, rows[0].mode, rows[0].workers, sum.Sum(), rows[0].checksum)
			}
			rows = append(rows, demoRow{mode, n, rep, sum.Sum()})
			continue
		}
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "lock\tworkers\twall s\tspeedup\tMB/s\tlock wait s\thand-offs\t")
	base := map[pipeline.LockMode]time.Duration{}
	for _, r := range rows {
		if r.workers == 1 {
			base[r.mode] = r.rep.Wall
		}
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.2fx\t%.1f\t%.3f\t%d\t\n", r.mode, r.workers, r.rep.Wall.Seconds(),
			base[r.mode].Seconds()/r.rep.Wall.Seconds(), r.rep.MBps(), r.rep.LockWait.Seconds(), r.rep.Handoffs)
	}
	tw.Flush()
	if chain.Reducer() == nil {
		fmt.Fprintf(w, "\nEvery run wrote the same output bytes (checksum %016x).\n", rows[0].checksum)
	}
	fmt.Fprintln(w, "\nfree: kernel workers compute side by side, so time falls as workers are added (up to the number of cores).")
	fmt.Fprintln(w, "gil:  one global lock is held while any kernel computes, as CPython's GIL is: extra workers only wait for it")
	fmt.Fprintln(w, "      (unless the kernel releases it, as sleep does for I/O). processes: parallel, but each chunk is copied to a worker process and back.")
	return nil
}

// memSource serves regions of an in-memory array.
type memSource struct{ a *chunk.Array }

// ReadRegion copies region r into dst.
func (m *memSource) ReadRegion(_ context.Context, r chunk.Region, dst *chunk.Array) error {
	dst.CopyFrom(m.a.Sub(r))
	return nil
}

// checksumSink keeps no data, only a checksum of every region written and
// where it lies, independent of the order the regions arrive in, so that
// the demo can show each lock mode computed the same bytes. Each region's
// CRC-64 (of its position and its rows) is XORed in, so the checksum is
// the same in every run and on every machine that computes the same bytes.
type checksumSink struct {
	mu  sync.Mutex
	sum uint64
}

var crcTable = crc64.MakeTable(crc64.ECMA)

func newChecksumSink() *checksumSink { return &checksumSink{} }

// WriteRegion folds the region's position and bytes into the checksum.
func (s *checksumSink) WriteRegion(_ context.Context, a *chunk.Array) error {
	h := crc64.New(crcTable)
	fmt.Fprint(h, a.Rect)
	size := a.DType.Size()
	for r := 0; r < a.Rect.Rows(); r++ {
		start := r * a.Stride * size
		h.Write(a.Data[start : start+a.Rect.Cols()*size])
	}
	v := h.Sum64()
	s.mu.Lock()
	s.sum ^= v
	s.mu.Unlock()
	return nil
}

// Sum returns the checksum of everything written so far.
func (s *checksumSink) Sum() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sum
}
