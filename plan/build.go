package plan

import (
	"errors"
	"fmt"
	"path/filepath"

	"chunkpipe/bandmath"
	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
	"chunkpipe/resample"
)

// Plan is a request turned into jobs, with the open readers and the
// created (uncommitted) writers behind them. Run it once with [Plan.Run];
// always [Plan.Close] it.
type Plan struct {
	// Jobs are the planned jobs in input order. In a batch a job whose
	// input could not be opened or output created has Err set and does
	// not run.
	Jobs []*Job
	// Config is the pipeline configuration every job runs under.
	Config pipeline.Config
	// Batch is true when each input has its own output from a pattern.
	Batch bool
	// Label names the run in progress displays: the input file's name,
	// "batch of N" or "bands".
	Label string
	// Notes are adjustments the planner made to the request (worker
	// counts lowered), for the caller to show.
	Notes []string

	req     Request
	readers []formats.Reader
	// commonGrid is the resampling grid band-math and stacked inputs
	// share: the first one's footprint.
	commonGrid *resample.Grid
}

// Job is one planned pipeline job and the files behind it.
type Job struct {
	pipeline.Job
	// Path is the input file ("" for band math).
	Path string
	// Writer receives the output; nil for a reduction, or when the
	// request is SpecOnly.
	Writer formats.Writer
	// Spec describes the output (nil for a reduction).
	Spec *formats.CreateSpec
	// ResultPath, for a reduction, is where its result is written as JSON
	// ("" for nowhere).
	ResultPath string
	// InBytes is the input's size in bytes, for progress displays.
	InBytes int64
	// Err says why the job could not be planned, or after [Plan.Run] why
	// it failed.
	Err error
	// Report is the job's report after [Plan.Run] (nil if it did not run).
	Report *pipeline.Report

	done bool // the writer was committed or aborted
}

// Build opens the request's inputs, reads their kernel parameters, parses
// the chain, lays the grids and creates the writers. An error in the
// request is a [*RequestError]. In a batch (without FailFast) a file that
// cannot be prepared becomes a job with Err set; any other failure closes
// what was opened and returns the error.
func Build(req Request) (*Plan, error) {
	p := &Plan{req: req}
	cfg, err := p.config()
	if err != nil {
		return nil, err
	}
	p.Config = cfg
	switch {
	case req.Expr != "" || req.RGB != "":
		err = p.buildBands()
	case len(req.Bands) > 0:
		err = bad(errors.New("--band inputs need --expr or --rgb"))
	case len(req.Inputs) == 0:
		err = bad(errors.New("run needs an INPUT (or --band inputs with --expr or --rgb)"))
	case p.stacks():
		err = p.buildStack()
	case len(req.Inputs) > 1 || isPattern(req.Output):
		err = p.buildBatch()
	default:
		var j *Job
		if j, err = p.planFile(req.Inputs[0], req.Output, false); err == nil {
			p.Jobs, p.Label = []*Job{j}, filepath.Base(j.Path)
		}
	}
	if err != nil {
		p.Close()
		return nil, err
	}
	p.capWorkers()
	return p, nil
}

// config turns the engine settings into a pipeline configuration, the
// kernel workers capped at [MaxWorkersPerCPU] per CPU.
func (p *Plan) config() (pipeline.Config, error) {
	e := &p.req.Engine
	if e.Workers < 0 || e.ReadWorkers < 0 || e.WriteWorkers < 0 {
		return pipeline.Config{}, bad(errors.New("worker counts must be positive"))
	}
	if e.SwitchInterval < 0 || e.GlueCost < 0 {
		return pipeline.Config{}, bad(errors.New("--switch-interval and --glue-cost must not be negative"))
	}
	for _, w := range []struct {
		n    *int
		flag string
	}{{&e.Workers, "--workers"}, {&e.ReadWorkers, "--read-workers"}, {&e.WriteWorkers, "--write-workers"}} {
		if note := capWorkers(w.n, w.flag, -1); note != "" {
			p.Notes = append(p.Notes, note)
		}
	}
	cfg := pipeline.Config{Workers: e.Workers, ReadWorkers: e.ReadWorkers, WriteWorkers: e.WriteWorkers,
		Lock: e.Lock, SwitchInterval: e.SwitchInterval, GILModel: e.GILModel, GlueCost: e.GlueCost,
		MemLimit: e.MemLimit, FailFast: p.req.FailFast, Trace: p.req.Trace}
	// Formats stored row after row get one writer by default: their writes
	// are copies into the page cache that a second writer only slows down.
	if e.WriteWorkers == 0 && p.req.Output != "" {
		if f, err := formats.ForOutput(p.req.Output); err == nil && f.RowMajor {
			cfg.WriteWorkers = 1
		}
	}
	return cfg, nil
}

// capWorkers lowers worker counts beyond what the planned chunks can use.
func (p *Plan) capWorkers() {
	chunks := p.Chunks()
	for _, w := range []struct {
		n    *int
		flag string
	}{{&p.Config.Workers, "--workers"}, {&p.Config.ReadWorkers, "--read-workers"}, {&p.Config.WriteWorkers, "--write-workers"}} {
		if note := capWorkers(w.n, w.flag, chunks); note != "" {
			p.Notes = append(p.Notes, note)
		}
	}
}

// Chunks returns the number of chunks of the jobs that will run.
func (p *Plan) Chunks() int {
	n := 0
	for _, j := range p.Jobs {
		if j.Err == nil {
			n += j.Grid.Len()
		}
	}
	return n
}

// InBytes returns the input bytes of the jobs that will run.
func (p *Plan) InBytes() int64 {
	var n int64
	for _, j := range p.Jobs {
		if j.Err == nil {
			n += j.InBytes
		}
	}
	return n
}

// Failed returns the jobs that could not be planned or failed.
func (p *Plan) Failed() []*Job {
	var out []*Job
	for _, j := range p.Jobs {
		if j.Err != nil {
			out = append(out, j)
		}
	}
	return out
}

// buildBatch plans one job per input, each writing to its output pattern.
func (p *Plan) buildBatch() error {
	req := &p.req
	if req.Output == "" || !isPattern(req.Output) {
		return bad(errors.New("a batch needs an output pattern such as -o 'out/{stem}_bt.tif' ({stem}, {name}, {band}, {dir})"))
	}
	p.Batch, p.Label = true, fmt.Sprintf("batch of %d", len(req.Inputs))
	seen := map[string]string{}
	for _, path := range req.Inputs {
		j, err := p.planFile(path, req.Output, true)
		if err == nil {
			if prev, dup := seen[j.Output]; dup {
				err = fmt.Errorf("output %s is also the output of %s; make the -o pattern unique", j.Output, prev)
				j.abort()
			}
			seen[j.Output] = path
		}
		if err != nil {
			if req.FailFast {
				return fmt.Errorf("%s: %w", path, err)
			}
			j = &Job{Path: path, Err: err, done: true}
		}
		p.Jobs = append(p.Jobs, j)
	}
	return nil
}

// planFile plans the job of one input file writing to output (a pattern
// when batch).
func (p *Plan) planFile(path, output string, batch bool) (*Job, error) {
	req := &p.req
	r, err := Open(path, req.Open)
	if err != nil {
		return nil, err
	}
	if r, err = p.resampled(r, false); err != nil {
		return nil, err
	}
	p.readers = append(p.readers, r)
	info := r.Info()
	params, err := ReadParams(r, req.Preset, req.Params)
	if err != nil {
		return nil, err
	}
	chain, err := kernels.ParseChain(req.Kernels, params)
	if err != nil {
		return nil, bad(fmt.Errorf("%s: %w", inputName(info), err))
	}
	red := chain.Reducer() != nil
	if batch {
		if red {
			return nil, errors.New("batches write one output per file; reductions are not supported in a batch")
		}
		band := ""
		if s, ok := r.(formats.ScalarReader); ok {
			band, _ = bandmath.BandName(info, s.Scalars())
		}
		output = OutputName(output, path, band)
	}
	gridOut := output
	if red {
		gridOut = ""
	}
	grid, err := Grid(info, req.Engine, chain.Factor(), RowMajor(gridOut, info))
	if err != nil {
		return nil, err
	}
	j := &Job{Path: path, InBytes: int64(info.Shape.Len()) * int64(info.DType.Size()),
		Job: pipeline.Job{Input: inputName(info), Output: output, Source: r, Shape: info.Shape, DType: info.DType,
			Chain: chain, Params: params, Grid: grid}}
	if red {
		if output != "" {
			if err := CheckTarget(output, req.Overwrite, req.Inputs...); err != nil {
				return nil, err
			}
			j.ResultPath = output
		}
		return j, nil
	}
	if output == "" {
		return nil, bad(errors.New("run needs -o OUTPUT (only chains ending in stats or histogram print their result)"))
	}
	o := fileOutput(info, chain, grid, output)
	o.history = fmt.Sprintf("chunkpipe run %s --kernels %q", info.Path, req.Kernels)
	if err := p.create(j, o); err != nil {
		return nil, err
	}
	return j, nil
}

// fileOutput describes the output of a chain over one input file.
func fileOutput(info formats.Info, chain *kernels.Chain, grid chunk.Grid, path string) output {
	return output{path: path, info: info, shape: info.Shape, inType: info.DType, chain: chain, grid: grid,
		variable: variableName(info), quantity: quantityOf(info), keep: len(chain.Kernels()) == 0}
}

// create checks the output target and creates the job's writer.
func (p *Plan) create(j *Job, o output) error {
	if err := CheckTarget(o.path, p.req.Overwrite, p.inputs()...); err != nil {
		return err
	}
	spec := o.spec(&p.req)
	j.Spec = &spec
	if p.req.SpecOnly {
		return nil
	}
	w, err := formats.Create(spec)
	if err != nil {
		return err
	}
	j.Writer, j.Sink = w, w
	return nil
}

// inputs returns every input path of the request.
func (p *Plan) inputs() []string {
	in := append([]string(nil), p.req.Inputs...)
	for _, b := range p.req.Bands {
		in = append(in, b.Path)
	}
	return in
}

// abort aborts the job's writer unless it was committed or aborted.
func (j *Job) abort() {
	if j.Writer != nil && !j.done {
		j.Writer.Abort()
	}
	j.done = true
}

// Close aborts every writer that was not committed and closes the inputs.
// It is safe to call more than once.
func (p *Plan) Close() {
	for _, j := range p.Jobs {
		j.abort()
	}
	for _, r := range p.readers {
		r.Close()
	}
	p.readers = nil
}
