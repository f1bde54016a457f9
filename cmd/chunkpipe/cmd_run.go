package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
	"chunkpipe/plan"
)

// runCmd is `chunkpipe run`: flags, parsed into a [plan.Request], and the
// printing of what the plan's run reports.
type runCmd struct {
	Inputs []string `arg:"" optional:"" name:"input" help:"Input file(s) or glob patterns (.nc, .h5, .tif, .zarr, .npy, raw as PATH:DTYPE:ROWSxCOLS). Several inputs make a batch: one output each, named by the -o pattern."`
	Band   []string `group:"input" name:"band" help:"A named input for band math, NAME=PATH (e.g. c07=scan_C07.nc); repeatable. Inputs given as plain paths are named by their ABI band (c07)." placeholder:"NAME=PATH"`
	inputFlags
	Kernels string `group:"kernels" short:"k" help:"Comma-separated kernel chain, e.g. calibrate,bt or calibrate,blur:5,stats (see 'chunkpipe kernels'). Empty: convert unchanged."`
	Expr    string `group:"kernels" help:"Band math over named inputs, e.g. 'bt(c07) - bt(c14)' or '(c03 - c02) / (c03 + c02)'."`
	RGB     string `group:"kernels" name:"rgb" help:"RGB composite to a PNG: a recipe name (fire_temperature, dust, ...) or three expressions 'R,G,B'."`
	Grid    string `group:"kernels" help:"Target grid of band math: coarsest, finest, or an input's name." default:"coarsest"`
	engineFlags
	Output     string   `group:"output" short:"o" help:"Output file; the extension picks the format (.npy .raw .nc .tif .zarr .png; .json for reductions). In a batch a pattern with {stem}, {name}, {band} or {dir}, e.g. 'out/{stem}_bt.tif'."`
	Overwrite  bool     `group:"output" help:"Replace an existing output (also --trace, --timeline and --cpuprofile files; never an input)."`
	Opt        []string `group:"output" help:"Writer option KEY=VALUE (e.g. compress=zstd, cog=true, max-size=1024); repeatable." placeholder:"K=V"`
	FailFast   bool     `group:"output" help:"Stop a batch at the first failed file (default: finish the others)."`
	Stack      bool     `group:"output" help:"Write the inputs as the bands of one multi-band output (.tif): several inputs of one shape and type, each one band (or all bands of a multi-band GeoTIFF without --var). The kernels run on each band with that input's constants. One multi-band input written to a .tif keeps all its bands without --stack."`
	Progress   string   `group:"diagnostics" help:"Progress display." enum:"auto,bar,log,none" default:"auto"`
	Stats      string   `group:"diagnostics" help:"Run summary: text (stderr), json (stdout), or none." enum:"text,json,none" default:"text"`
	Trace      string   `group:"diagnostics" help:"Write a Chrome trace (chrome://tracing, Perfetto) of every worker's read, lock-wait, compute and write spans." placeholder:"FILE.json"`
	Timeline   string   `group:"diagnostics" help:"Draw the same spans as a PNG timeline, one row per worker." placeholder:"FILE.png"`
	CPUProfile string   `group:"diagnostics" name:"cpuprofile" help:"Write a Go CPU profile of the run (go tool pprof)." placeholder:"FILE"`
	clusterFlags
	resampleFlags
}

// Run executes the command: one input, a batch of inputs, or band math.
func (c *runCmd) Run(g *globals) error {
	c.ctx = g.ctx
	req, err := c.request()
	if err != nil {
		return err
	}
	if err := c.checkDiagnostics(req); err != nil {
		return err
	}
	if c.Cluster != "" {
		return c.runCluster(g, req)
	}
	if c.CPUProfile != "" {
		prof, err := formats.CreateAtomic(c.CPUProfile, c.Overwrite)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(prof.File); err != nil {
			prof.Abort()
			return err
		}
		err = c.run(g, req)
		pprof.StopCPUProfile()
		if err != nil {
			prof.Abort()
			return err
		}
		return prof.Commit()
	}
	return c.run(g, req)
}

// request turns the flags into a plan request.
func (c *runCmd) request() (plan.Request, error) {
	in, err := c.options()
	if err != nil {
		return plan.Request{}, err
	}
	eng, err := c.engine()
	if err != nil {
		return plan.Request{}, err
	}
	opts, err := plan.ParseWriterOptions(c.Opt)
	if err != nil {
		return plan.Request{}, err
	}
	req := plan.Request{Output: c.Output, Kernels: c.Kernels, Params: c.Param, Preset: c.Preset, Open: in, Expr: c.Expr, RGB: c.RGB,
		Grid: c.Grid, Engine: eng, WriterOptions: opts, Overwrite: c.Overwrite, FailFast: c.FailFast, Stack: c.Stack, Resample: c.resampling(),
		Trace: c.Trace != "" || c.Timeline != ""}
	for _, b := range c.Band {
		name, path, ok := strings.Cut(b, "=")
		if !ok || strings.TrimSpace(name) == "" || strings.TrimSpace(path) == "" {
			return req, usage(fmt.Errorf("--band %q: want NAME=PATH", b))
		}
		req.Bands = append(req.Bands, plan.Band{Name: strings.TrimSpace(name), Path: strings.TrimSpace(path)})
	}
	if req.Inputs, err = plan.ExpandInputs(c.Inputs); err != nil {
		return req, err
	}
	return req, nil
}

// checkDiagnostics applies the output's rules to the --trace, --timeline
// and --cpuprofile files, before anything runs: an existing file only with
// --overwrite, never an input, never the output or one another.
func (c *runCmd) checkDiagnostics(req plan.Request) error {
	inputs := append([]string(nil), req.Inputs...)
	for _, b := range req.Bands {
		inputs = append(inputs, b.Path)
	}
	seen := map[string]string{}
	if req.Output != "" {
		seen[filepath.Clean(req.Output)] = "-o"
	}
	for _, d := range []struct{ flag, path string }{{"--trace", c.Trace}, {"--timeline", c.Timeline}, {"--cpuprofile", c.CPUProfile}} {
		if d.path == "" {
			continue
		}
		clean := filepath.Clean(d.path)
		if prev, dup := seen[clean]; dup {
			return usage(fmt.Errorf("%s %s is also the %s file", d.flag, d.path, prev))
		}
		seen[clean] = d.flag
		if err := plan.CheckTarget(d.path, c.Overwrite, inputs...); err != nil {
			return fmt.Errorf("%s: %w", d.flag, err)
		}
	}
	return nil
}

// run plans the request, runs it with progress, and reports.
func (c *runCmd) run(g *globals, req plan.Request) error {
	p, err := plan.Build(req)
	if err != nil {
		return asUsage(err)
	}
	defer p.Close()
	for _, n := range p.Notes {
		fmt.Fprintln(os.Stderr, "chunkpipe:", n)
	}
	for _, j := range p.Jobs {
		if j.Err == nil {
			warnManyChunks(os.Stderr, c.Chunks.String(), j.Grid)
		}
	}
	prog := newProgress(c.Progress, p.Label, p.Chunks(), p.InBytes())
	rep, err := p.Run(g.ctx, prog.chunkDone)
	prog.finish()
	if p.Batch {
		return c.reportBatch(p, rep, err)
	}
	if err != nil {
		return err
	}
	if rep.Result != nil {
		fmt.Println(formatResult(rep.Result))
	}
	if err := writeTraces(c.Trace, c.Timeline, c.Overwrite, rep, traceChain(c)); err != nil {
		return err
	}
	rep.PeakRSS = processPeakRSS()
	switch c.Stats {
	case "text":
		rep.Summarize(os.Stderr)
		for _, j := range p.Jobs {
			reportRemote(os.Stderr, c.Stats, j.Source)
		}
	case "json":
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return nil
}

// traceChain names the chain in traces: the kernels, the expression, or
// the RGB recipe.
func traceChain(c *runCmd) string {
	switch {
	case c.RGB != "":
		return "rgb " + c.RGB
	case c.Expr != "":
		return c.Expr
	}
	return c.Kernels
}

// reportBatch prints a line per file and the summary; the exit status is
// 1 when any file failed.
func (c *runCmd) reportBatch(p *plan.Plan, total *pipeline.Report, err error) error {
	if err != nil {
		return err
	}
	for _, j := range p.Jobs {
		if j.Err != nil {
			fmt.Fprintf(os.Stderr, "FAILED %s: %v\n", j.Path, j.Err)
			continue
		}
		rep := j.Report
		fmt.Fprintf(os.Stderr, "ok     %s -> %s: %d chunks, %.1f MB in, %.2fs%s\n", j.Path, j.Output, rep.Chunks, float64(rep.InBytes)/1e6, rep.Wall.Seconds(), remoteSuffix(j.Source))
	}
	if total != nil {
		if err := writeTraces(c.Trace, c.Timeline, c.Overwrite, total, traceChain(c)); err != nil {
			return err
		}
		if c.Stats == "text" {
			total.Summarize(os.Stderr)
		}
	}
	if n := len(p.Failed()); n > 0 {
		return fmt.Errorf("%d of %d files failed", n, len(p.Jobs))
	}
	return nil
}

// formatResult renders a reduction's result as text.
func formatResult(r *kernels.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:", r.Name)
	for _, f := range r.Fields {
		fmt.Fprintf(&b, " %s=%.17g", f, r.Values[f])
	}
	if r.Edges != nil {
		b.WriteString("\nbin_lo bin_hi count")
		for i, n := range r.Counts {
			fmt.Fprintf(&b, "\n%.9g %.9g %d", r.Edges[i], r.Edges[i+1], n)
		}
	}
	return b.String()
}

// asUsage maps the planner's request errors to usage errors (exit 2).
func asUsage(err error) error {
	var re *plan.RequestError
	if errors.As(err, &re) {
		return usage(err)
	}
	return err
}

// engineFlags are the flags that shape a run's execution.
type engineFlags struct {
	Chunks         chunk.Spec        `group:"engine" help:"Chunk spec: auto, N, RxC, -1/full for a whole axis (-1x512), or a size such as 64MiB." default:"auto"`
	Workers        int               `group:"engine" short:"w" help:"Kernel workers (default: number of CPUs; more than can be used are lowered, with a note)."`
	ReadWorkers    int               `group:"engine" help:"Read and decode workers (default: --workers)."`
	WriteWorkers   int               `group:"engine" help:"Write workers, which also compress tiles and chunks (default: --workers)."`
	Lock           pipeline.LockMode `group:"engine" help:"Lock mode: free (kernel workers in parallel), gil (one global lock, as CPython's) or processes (worker processes, chunks copied there and back)." default:"free"`
	SwitchInterval time.Duration     `group:"engine" help:"gil: how long a holder keeps the lock before yielding to a waiting worker at a row boundary (0: a whole chunk)." default:"5ms"`
	GILModel       string            `group:"engine" name:"gil-model" help:"gil: what holds the lock: python (kernel compute, as pure-Python code) or numpy (only per-task glue; kernels release it as numpy's C loops do)." enum:"python,numpy" default:"python"`
	GlueCost       time.Duration     `group:"engine" help:"gil numpy model: lock-holding glue per task (a chunk is one task per kernel plus read and store)." default:"200us"`
	MemLimit       string            `group:"engine" help:"Bound the bytes of chunks in flight, e.g. 512MiB; auto chunking picks chunks small enough to fit."`
}

// engine turns the flags into the planner's engine settings.
func (e *engineFlags) engine() (plan.Engine, error) {
	model, err := pipeline.ParseGILModel(e.GILModel)
	if err != nil {
		return plan.Engine{}, usage(err)
	}
	eng := plan.Engine{Chunks: e.Chunks, Workers: e.Workers, ReadWorkers: e.ReadWorkers, WriteWorkers: e.WriteWorkers,
		Lock: e.Lock, SwitchInterval: e.SwitchInterval, GILModel: model, GlueCost: e.GlueCost}
	if e.MemLimit != "" {
		n, err := chunk.ParseBytes(e.MemLimit)
		if err != nil {
			return eng, usage(fmt.Errorf("--mem-limit: %v", err))
		}
		eng.MemLimit = n
	}
	return eng, nil
}
