package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"chunkpipe/formats"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
)

// expandInputs expands glob patterns among the inputs; a pattern that
// matches nothing is an error, a plain path is kept as it is.
func expandInputs(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if !strings.ContainsAny(a, "*?[") {
			out = append(out, a)
			continue
		}
		if formats.IsURL(a) {
			m, err := globURL(a)
			if err != nil {
				return nil, err
			}
			out = append(out, m...)
			continue
		}
		m, err := filepath.Glob(a)
		if err != nil {
			return nil, usage(fmt.Errorf("bad pattern %q: %v", a, err))
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("no file matches %q", a)
		}
		sort.Strings(m)
		out = append(out, m...)
	}
	return out, nil
}

// outputName fills a batch output pattern for one input: {stem} is the file
// name without its extension, {name} the file name, {dir} its directory and
// {band} its ABI band (c07) when it has one.
func outputName(pattern, input, band string) string {
	base := filepath.Base(input)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	if band == "" {
		band = stem
	}
	return strings.NewReplacer("{stem}", stem, "{name}", base, "{dir}", filepath.Dir(input), "{band}", band).Replace(pattern)
}

// batchItem is one file of a batch.
type batchItem struct {
	path   string
	output string
	reader formats.Reader
	writer formats.Writer
	job    pipeline.Job
	err    error // why the file could not even start
}

// runBatch processes many inputs through one worker pool, each into its own
// output, with one progress display over all chunks and a summary line per
// file. A failed file does not stop the others unless --fail-fast; the exit
// status is 1 when any failed.
func (c *runCmd) runBatch(g *globals, paths []string) error {
	if c.Output == "" || !strings.Contains(c.Output, "{") {
		return usage(errors.New("a batch needs an output pattern such as -o 'out/{stem}_bt.tif' ({stem}, {name}, {band}, {dir})"))
	}
	cfg, err := c.config()
	if err != nil {
		return err
	}
	c.writersFor(&cfg, c.Output)
	cfg.FailFast = c.FailFast
	items := make([]*batchItem, len(paths))
	seen := map[string]string{}
	var jobs []pipeline.Job
	var jobItems []*batchItem
	var totalIn int64
	var totalChunks int
	for i, p := range paths {
		it := &batchItem{path: p}
		items[i] = it
		it.err = c.prepare(it)
		if it.err == nil {
			if prev, dup := seen[it.output]; dup {
				it.err = fmt.Errorf("output %s is also the output of %s; make the -o pattern unique", it.output, prev)
			}
			seen[it.output] = p
		}
		if it.err != nil {
			if it.writer != nil {
				it.writer.Abort()
			}
			if c.FailFast {
				closeItems(items)
				return fmt.Errorf("%s: %w", p, it.err)
			}
			continue
		}
		jobs = append(jobs, it.job)
		jobItems = append(jobItems, it)
		totalIn += int64(it.job.Shape.Len()) * int64(it.job.DType.Size())
		totalChunks += it.job.Grid.Len()
	}
	defer closeItems(items)
	prog := newProgress(c.Progress, fmt.Sprintf("batch of %d", len(paths)), totalChunks, totalIn)
	cfg.OnChunk = prog.chunkDone
	var b *pipeline.Batch
	if len(jobs) > 0 {
		b, err = pipeline.RunBatch(g.ctx, jobs, cfg)
	}
	prog.finish()
	if g.ctx.Err() != nil {
		for _, it := range jobItems {
			it.writer.Abort()
		}
		return g.ctx.Err()
	}
	failed := 0
	reports := map[*batchItem]*pipeline.Report{}
	for i, it := range jobItems {
		rep := b.Jobs[i]
		reports[it] = rep
		if rep.Err != "" {
			it.err = errors.New(rep.Err)
			it.writer.Abort()
			continue
		}
		if err := it.writer.Commit(); err != nil {
			it.err = err
		}
	}
	for _, it := range items {
		if it.err != nil {
			failed++
			fmt.Fprintf(os.Stderr, "FAILED %s: %v\n", it.path, it.err)
			continue
		}
		rep := reports[it]
		fmt.Fprintf(os.Stderr, "ok     %s -> %s: %d chunks, %.1f MB in, %.2fs%s\n", it.path, it.output, rep.Chunks, float64(rep.InBytes)/1e6, rep.Wall.Seconds(), remoteSuffix(it.reader))
	}
	if b != nil && c.Stats == "text" {
		b.Total.Summarize(os.Stderr)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files failed", failed, len(paths))
	}
	return nil
}

// prepare opens one batch input and creates its output.
func (c *runCmd) prepare(it *batchItem) error {
	r, err := c.open(it.path)
	if err != nil {
		return err
	}
	it.reader = r
	info := r.Info()
	params, err := c.params(r)
	if err != nil {
		return err
	}
	chain, err := kernels.ParseChain(c.Kernels, params)
	if err != nil {
		return err
	}
	if chain.Reducer() != nil {
		return errors.New("batches write one output per file; reductions are not supported in a batch")
	}
	band := ""
	if s, ok := r.(formats.ScalarReader); ok {
		band = bandOf(info, s.Scalars())
	}
	it.output = outputName(c.Output, it.path, band)
	grid, err := c.grid(info, chain, it.output)
	if err != nil {
		return err
	}
	spec, err := c.outputSpec(info, chain, it.output)
	if err != nil {
		return err
	}
	w, err := formats.Create(spec)
	if err != nil {
		return err
	}
	it.writer = w
	it.job = pipeline.Job{Input: inputName(info), Output: it.output, Source: r, Shape: info.Shape, DType: info.DType,
		Chain: chain, Params: params, Grid: grid, Sink: w}
	return nil
}

func closeItems(items []*batchItem) {
	for _, it := range items {
		if it != nil && it.reader != nil {
			it.reader.Close()
		}
	}
}
