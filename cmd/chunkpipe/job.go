package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
)

// engineFlags are the flags that shape a run's execution.
type engineFlags struct {
	Chunks         string        `help:"Chunk spec: auto, N, RxC, -1/full for a whole axis (-1x512), or a size such as 64MiB." default:"auto"`
	Workers        int           `short:"w" help:"Kernel workers (default: number of CPUs)."`
	ReadWorkers    int           `help:"Read and decode workers (default: --workers)."`
	WriteWorkers   int           `help:"Write workers, which also compress tiles and chunks (default: --workers)."`
	Lock           string        `help:"Lock mode: free (kernel workers in parallel), gil (one global lock, as CPython's) or processes (worker processes, chunks copied there and back)." enum:"free,gil,processes" default:"free"`
	SwitchInterval time.Duration `help:"gil: how long a holder keeps the lock before yielding to a waiting worker at a row boundary (0: a whole chunk)." default:"5ms"`
	GILModel       string        `name:"gil-model" help:"gil: what holds the lock: python (kernel compute, as pure-Python code) or numpy (only per-task glue; kernels release it as numpy's C loops do)." enum:"python,numpy" default:"python"`
	GlueCost       time.Duration `help:"gil numpy model: lock-holding glue per task (a chunk is one task per kernel plus read and store)." default:"200us"`
	MemLimit       string        `help:"Bound the bytes of chunks in flight, e.g. 512MiB."`
}

// config turns the flags into a pipeline configuration.
func (e *engineFlags) config() (pipeline.Config, error) {
	mode, err := pipeline.ParseLockMode(e.Lock)
	if err != nil {
		return pipeline.Config{}, usage(err)
	}
	if e.Workers < 0 || e.ReadWorkers < 0 || e.WriteWorkers < 0 {
		return pipeline.Config{}, usage(fmt.Errorf("worker counts must be positive"))
	}
	model, err := pipeline.ParseGILModel(e.GILModel)
	if err != nil {
		return pipeline.Config{}, usage(err)
	}
	if e.SwitchInterval < 0 || e.GlueCost < 0 {
		return pipeline.Config{}, usage(fmt.Errorf("--switch-interval and --glue-cost must not be negative"))
	}
	cfg := pipeline.Config{Workers: e.Workers, ReadWorkers: e.ReadWorkers, WriteWorkers: e.WriteWorkers,
		Lock: mode, SwitchInterval: e.SwitchInterval, GILModel: model, GlueCost: e.GlueCost}
	if e.MemLimit != "" {
		n, err := chunk.ParseBytes(e.MemLimit)
		if err != nil {
			return cfg, usage(fmt.Errorf("--mem-limit: %v", err))
		}
		cfg.MemLimit = n
	}
	return cfg, nil
}

// writersFor sets the default write workers for an output: one for formats
// stored row after row, whose writes are copies into the page cache that a
// second writer only slows down; the pipeline's default (one per kernel
// worker, as they compress) for the others.
func (e *engineFlags) writersFor(cfg *pipeline.Config, output string) {
	if e.WriteWorkers > 0 || output == "" {
		return
	}
	if f, err := formats.ForOutput(output); err == nil && f.RowMajor {
		cfg.WriteWorkers = 1
	}
}

// workers returns the effective kernel worker count.
func (e *engineFlags) workers() int {
	if e.Workers > 0 {
		return e.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// grid resolves the chunk spec over an input for a chain whose result goes
// to output ("" for a reduction).
func (e *engineFlags) grid(info formats.Info, chain *kernels.Chain, output string) (chunk.Grid, error) {
	return e.resolve(info, chain.Factor(), rowStrips(info, output))
}

// gridFor resolves the chunk spec for a chain of elementwise kernels
// writing to output.
func (e *engineFlags) gridFor(info formats.Info, output string) (chunk.Grid, error) {
	return e.resolve(info, 1, rowStrips(info, output))
}

// rowStrips says whether auto should choose full-width strips: when the
// output is stored row after row (.npy, raw, NetCDF classic), or for a
// reduction (no output) over such an input.
func rowStrips(info formats.Info, output string) bool {
	if output != "" {
		f, err := formats.ForOutput(output)
		return err == nil && f.RowMajor
	}
	f, ok := formats.Lookup(info.Format)
	return ok && f.RowMajor
}

func (e *engineFlags) resolve(info formats.Info, factor int, strips bool) (chunk.Grid, error) {
	spec, err := chunk.ParseSpec(e.Chunks)
	if err != nil {
		return chunk.Grid{}, usage(err)
	}
	g, err := spec.Resolve(chunk.Layout{Shape: info.Shape, ElemBytes: 4, Storage: info.Storage,
		Workers: e.workers(), Multiple: factor, RowStrips: strips})
	if err != nil {
		return chunk.Grid{}, usage(err)
	}
	warnManyChunks(os.Stderr, e.Chunks, g)
	return g, nil
}

// outputAttrs describes a chain's output for the writers: units and
// long_name after the last kernel that sets them, and a NaN fill value for
// floating-point results.
func outputAttrs(in formats.Info, chain *kernels.Chain, outType chunk.DType) formats.Attrs {
	var a formats.Attrs
	units, _ := in.Attrs.String("units")
	long, _ := in.Attrs.String("long_name")
	names := chainNames(chain)
	for _, n := range names {
		switch strings.SplitN(n, ":", 2)[0] {
		case "calibrate":
			if long == "" || strings.Contains(strings.ToLower(long), "count") {
				long = "calibrated " + strings.TrimSpace(long)
			}
		case "reflectance":
			units, long = "1", "reflectance factor"
		case "bt":
			units, long = "K", "brightness temperature"
		}
	}
	if len(names) == 0 {
		// Unchanged data: keep the input's attributes as they are.
		return append(a, in.Attrs...)
	}
	if long != "" {
		a = a.Set("long_name", strings.TrimSpace(long))
	}
	if units != "" {
		a = a.Set("units", units)
	}
	if outType.IsFloat() {
		a = a.Set("_FillValue", nanValue())
	}
	return a
}

func chainNames(c *kernels.Chain) []string {
	var out []string
	for _, k := range c.Kernels() {
		out = append(out, k.Name())
	}
	return out
}
