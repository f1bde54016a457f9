package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
)

// runCmd is `chunkpipe run`.
type runCmd struct {
	Inputs     []string `arg:"" optional:"" name:"input" help:"Input file(s) or glob patterns (.nc, .h5, .tif, .zarr, .npy, raw as PATH:DTYPE:ROWSxCOLS). Several inputs make a batch: one output each, named by the -o pattern."`
	Output     string   `short:"o" help:"Output file; the extension picks the format (.npy .raw .nc .tif .zarr .png; .json for reductions). In a batch a pattern with {stem}, {name}, {band} or {dir}, e.g. 'out/{stem}_bt.tif'."`
	Band       []string `name:"band" help:"A named input for band math, NAME=PATH (e.g. c07=scan_C07.nc); repeatable. Inputs given as plain paths are named by their ABI band (c07)." placeholder:"NAME=PATH"`
	Expr       string   `help:"Band math over named inputs, e.g. 'bt(c07) - bt(c14)' or '(c03 - c02) / (c03 + c02)'."`
	RGB        string   `name:"rgb" help:"RGB composite to a PNG: a recipe name (fire_temperature, dust, ...) or three expressions 'R,G,B'."`
	Grid       string   `help:"Target grid of band math: coarsest, finest, or an input's name." default:"coarsest"`
	FailFast   bool     `help:"Stop a batch at the first failed file (default: finish the others)."`
	Kernels    string   `short:"k" help:"Comma-separated kernel chain, e.g. calibrate,bt or calibrate,blur:5,stats (see 'chunkpipe kernels'). Empty: convert unchanged."`
	Overwrite  bool     `help:"Replace an existing output."`
	Opt        []string `help:"Writer option KEY=VALUE (e.g. compress=zstd, cog=true, max-size=1024); repeatable." placeholder:"K=V"`
	Progress   string   `help:"Progress display." enum:"auto,bar,log,none" default:"auto"`
	Stats      string   `help:"Run summary: text (stderr), json (stdout), or none." enum:"text,json,none" default:"text"`
	Trace      string   `help:"Write a Chrome trace (chrome://tracing, Perfetto) of every worker's read, lock-wait, compute and write spans." placeholder:"FILE.json"`
	Timeline   string   `help:"Draw the same spans as a PNG timeline, one row per worker." placeholder:"FILE.png"`
	CPUProfile string   `name:"cpuprofile" help:"Write a Go CPU profile of the run (go tool pprof)." placeholder:"FILE"`
	inputFlags
	engineFlags
}

// Run executes the command: one input, a batch of inputs, or band math.
func (c *runCmd) Run(g *globals) error {
	c.ctx = g.ctx
	if c.CPUProfile != "" {
		f, err := os.Create(c.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if c.Expr != "" || c.RGB != "" {
		return c.runBands(g)
	}
	if len(c.Band) > 0 {
		return usage(errors.New("--band inputs need --expr or --rgb"))
	}
	paths, err := expandInputs(c.Inputs)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usage(errors.New("run needs an INPUT (or --band inputs with --expr or --rgb)"))
	}
	if len(paths) > 1 || strings.Contains(c.Output, "{") {
		return c.runBatch(g, paths)
	}
	return c.runOne(g, paths[0])
}

// runOne processes a single input.
func (c *runCmd) runOne(g *globals, path string) error {
	in, err := c.open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	info := in.Info()
	params, err := c.params(in)
	if err != nil {
		return err
	}
	chain, err := kernels.ParseChain(c.Kernels, params)
	if err != nil {
		return usage(err)
	}
	out := c.Output
	if chain.Reducer() != nil {
		out = ""
	}
	grid, err := c.grid(info, chain, out)
	if err != nil {
		return err
	}
	cfg, err := c.config()
	if err != nil {
		return err
	}
	c.writersFor(&cfg, out)
	job := pipeline.Job{Input: inputName(info), Output: c.Output, Source: in, Shape: info.Shape, DType: info.DType, Chain: chain, Params: params, Grid: grid}

	var w formats.Writer
	if chain.Reducer() == nil {
		if c.Output == "" {
			return usage(errors.New("run needs -o OUTPUT (only chains ending in stats or histogram print their result)"))
		}
		spec, err := c.outputSpec(info, chain, c.Output)
		if err != nil {
			return err
		}
		if w, err = formats.Create(spec); err != nil {
			return err
		}
		job.Sink = w
	} else if c.Output != "" {
		if err := formats.CheckTarget(c.Output, c.Overwrite); err != nil {
			return err
		}
	}
	if err := setHistogramRange(g, job, cfg, params); err != nil {
		return err
	}

	err = c.execute(g, job, cfg, w, filepath.Base(info.Path), int64(info.Shape.Len())*int64(info.DType.Size()), c.Kernels)
	reportRemote(os.Stderr, c.Stats, in)
	return err
}

// execute runs one job with progress, commits or aborts its writer, and
// reports: the reduction's result, traces, and the run summary.
func (c *runCmd) execute(g *globals, job pipeline.Job, cfg pipeline.Config, w formats.Writer, label string, inBytes int64, chainName string) error {
	cfg.Trace = c.Trace != "" || c.Timeline != ""
	prog := newProgress(c.Progress, label, job.Grid.Len(), inBytes)
	cfg.OnChunk = prog.chunkDone
	rep, err := pipeline.Run(g.ctx, job, cfg)
	prog.finish()
	if err != nil {
		if w != nil {
			w.Abort()
		}
		return err
	}
	if w != nil {
		if err := w.Commit(); err != nil {
			return err
		}
	}
	if rep.Result != nil {
		if err := c.writeResult(rep); err != nil {
			return err
		}
	}
	if err := writeTraces(c.Trace, c.Timeline, rep, chainName); err != nil {
		return err
	}
	rep.PeakRSS = processPeakRSS()
	switch c.Stats {
	case "text":
		rep.Summarize(os.Stderr)
	case "json":
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return nil
}

// outputSpec describes the output the chain produces.
func (c *runCmd) outputSpec(info formats.Info, chain *kernels.Chain, output string) (formats.CreateSpec, error) {
	opts, err := c.writerOptions(output)
	if err != nil {
		return formats.CreateSpec{}, err
	}
	outType := chain.OutDType(info.DType)
	variable := "data"
	if info.Variable != "" {
		variable = strings.TrimPrefix(info.Variable[strings.LastIndex(info.Variable, "/")+1:], "band:")
	}
	if len(chain.Kernels()) > 0 {
		variable = strings.ReplaceAll(chain.Kernels()[len(chain.Kernels())-1].Name(), ":", "_")
	}
	src := info
	return formats.CreateSpec{
		Path: output, Shape: chain.OutputShape(info.Shape), DType: outType, Chunk: chunkOut(c, info, chain, output),
		Variable: variable, Attrs: outputAttrs(info, chain, outType),
		Global: formats.Attrs{{Name: "history", Value: fmt.Sprintf("%s chunkpipe run %s --kernels %q", time.Now().UTC().Format(time.RFC3339), info.Path, c.Kernels)}},
		Source: &src, Factor: chain.Factor(), Options: opts, Overwrite: c.Overwrite,
	}, nil
}

// chunkOut is the output chunk shape the compute grid produces.
func chunkOut(c *runCmd, info formats.Info, chain *kernels.Chain, output string) (s chunk.Shape) {
	g, err := c.grid(info, chain, output)
	if err != nil {
		return s
	}
	f := chain.Factor()
	return chunk.Shape{Rows: g.Chunk.Rows / f, Cols: g.Chunk.Cols / f}
}

// writeResult prints a reduction's result, and writes it as JSON to -o.
func (c *runCmd) writeResult(rep *pipeline.Report) error {
	res := rep.Result
	if c.Output != "" {
		af, err := formats.CreateAtomic(c.Output, c.Overwrite)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(af)
		enc.SetIndent("", "  ")
		if err := enc.Encode(jsonResult(res)); err != nil {
			af.Abort()
			return err
		}
		if err := af.Commit(); err != nil {
			return err
		}
	}
	fmt.Println(formatResult(res))
	return nil
}

// jsonResult replaces NaN and infinities, which JSON cannot hold, by null.
func jsonResult(r *kernels.Result) map[string]any {
	vals := map[string]any{}
	for k, v := range r.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			vals[k] = nil
		} else {
			vals[k] = v
		}
	}
	out := map[string]any{"name": r.Name, "values": vals}
	if r.Edges != nil {
		out["edges"], out["counts"] = r.Edges, r.Counts
	}
	return out
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

func nanValue() float64 { return math.NaN() }

// writerOptions parses --opt KEY=VALUE pairs; PNG quicklooks default to the
// automatic colormap (a perceptual one for brightness temperatures).
func (c *runCmd) writerOptions(output string) (map[string]string, error) {
	opts := map[string]string{}
	for _, kv := range c.Opt {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, usage(fmt.Errorf("--opt %q: want KEY=VALUE", kv))
		}
		opts[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if strings.EqualFold(filepath.Ext(output), ".png") && opts["colormap"] == "" {
		opts["colormap"] = "auto"
	}
	return opts, nil
}
