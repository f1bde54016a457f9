package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/cluster"
	"chunkpipe/formats"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
)

// clusterFlags are run's flags for running on a NATS JetStream cluster.
type clusterFlags struct {
	Cluster       string        `help:"Run on a cluster: embedded:N (a JetStream server on 127.0.0.1 and N worker processes of this binary) or nats://host:port (workers started with 'chunkpipe worker --connect URL'). Outputs .zarr or .npy, or stats/histogram; single inputs or batches." placeholder:"embedded:N|URL"`
	AckWait       time.Duration `help:"Cluster: how long a task may go unacknowledged (no heartbeat) before another worker gets it." default:"30s"`
	MaxDeliver    int           `help:"Cluster: deliveries of a task before its file fails." default:"5"`
	ChunksPerTask int           `help:"Cluster: chunks of one chunk row per task message." default:"1"`
}

// runCluster runs the inputs on the cluster --cluster names: one job, or
// a batch with one output per file.
func (c *runCmd) runCluster(g *globals) error {
	if c.Expr != "" || c.RGB != "" || len(c.Band) > 0 {
		return usage(errors.New("--cluster does not run band math or RGB composites yet"))
	}
	paths, err := expandInputs(c.Inputs)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usage(errors.New("run needs an INPUT"))
	}
	batch := len(paths) > 1 || strings.Contains(c.Output, "{")
	if batch && !strings.Contains(c.Output, "{") {
		return usage(errors.New("a batch needs an output pattern such as -o 'out/{stem}_bt.zarr' ({stem}, {name}, {band}, {dir})"))
	}
	var jobs []cluster.Job
	var totalIn int64
	var totalChunks int
	for _, p := range paths {
		job, inBytes, err := c.clusterJob(p, batch)
		if err != nil {
			if batch {
				return fmt.Errorf("%s: %w", p, err)
			}
			return err
		}
		jobs = append(jobs, job)
		totalIn += inBytes
		totalChunks += job.Grid.Len()
	}
	url, stop, err := c.clusterURL()
	if err != nil {
		return err
	}
	defer stop()
	label := filepath.Base(paths[0])
	if batch {
		label = fmt.Sprintf("batch of %d", len(paths))
	}
	prog := newProgress(c.Progress, label, totalChunks, totalIn)
	opts := cluster.Options{URL: url, AckWait: c.AckWait, MaxDeliver: c.MaxDeliver, ChunksPerTask: c.ChunksPerTask, OnChunk: prog.chunkDone}
	if !batch {
		rep, err := cluster.Run(g.ctx, jobs[0], opts)
		prog.finish()
		if err != nil {
			return err
		}
		if rep.Result != nil {
			if err := c.writeResult(&pipeline.Report{Result: rep.Result}); err != nil {
				return err
			}
		}
		return c.clusterSummary(rep)
	}
	res, err := cluster.RunBatch(g.ctx, jobs, cluster.BatchOptions{Options: opts, FailFast: c.FailFast})
	prog.finish()
	if g.ctx.Err() != nil {
		return g.ctx.Err()
	}
	failed := 0
	for _, r := range res {
		if r.Err != nil {
			failed++
			fmt.Fprintf(os.Stderr, "FAILED %s: %v\n", r.Job.Input.Path, r.Err)
			continue
		}
		fmt.Fprintf(os.Stderr, "ok     %s -> %s: %d chunks, %.1f MB in, %.2fs\n", r.Job.Input.Path, r.Report.Output, r.Report.Chunks, float64(r.Report.InBytes)/1e6, r.Report.Wall.Seconds())
		if c.Stats == "text" {
			r.Report.Summarize(os.Stderr)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files failed (%v)", failed, len(paths), err)
	}
	return nil
}

// clusterJob describes one input as a cluster job, with its input bytes.
func (c *runCmd) clusterJob(path string, batch bool) (cluster.Job, int64, error) {
	in, err := c.open(path)
	if err != nil {
		return cluster.Job{}, 0, err
	}
	defer in.Close()
	info := in.Info()
	params, err := c.params(in)
	if err != nil {
		return cluster.Job{}, 0, err
	}
	chain, err := kernels.ParseChain(c.Kernels, params)
	if err != nil {
		return cluster.Job{}, 0, usage(err)
	}
	output := c.Output
	if batch {
		if chain.Reducer() != nil {
			return cluster.Job{}, 0, errors.New("batches write one output per file; reductions are not supported in a batch")
		}
		band := ""
		if s, ok := in.(formats.ScalarReader); ok {
			band = bandOf(info, s.Scalars())
		}
		output = outputName(c.Output, path, band)
	}
	gridOut := output
	if chain.Reducer() != nil {
		gridOut = ""
	}
	grid, err := c.grid(info, chain, gridOut)
	if err != nil {
		return cluster.Job{}, 0, err
	}
	job := cluster.Job{Input: cluster.Input{Path: path, Variable: c.Var}, Chain: c.Kernels, Params: c.Param, Grid: grid}
	if c.MaskDQF >= 0 {
		job.Input.Mask, job.Input.MaskMax = "DQF", int64(c.MaskDQF)
	}
	if c.DType != "" {
		t, _ := chunk.ParseDType(c.DType) // c.open checked both
		s, _ := formats.ParseShape(c.Shape)
		job.Input.Raw = formats.RawSpec{DType: t, Shape: s, BigEndian: c.ByteOrder == "big"}
	}
	if chain.Reducer() == nil {
		if output == "" {
			return cluster.Job{}, 0, usage(errors.New("run needs -o OUTPUT (only chains ending in stats or histogram print their result)"))
		}
		spec, err := c.outputSpec(info, chain, output)
		if err != nil {
			return cluster.Job{}, 0, err
		}
		job.Output = &spec
	} else if output != "" {
		if err := formats.CheckTarget(output, c.Overwrite); err != nil {
			return cluster.Job{}, 0, err
		}
	}
	return job, int64(info.Shape.Len()) * int64(info.DType.Size()), nil
}

// clusterURL returns the server to use: --cluster's URL, or a started
// embedded cluster that stop ends.
func (c *runCmd) clusterURL() (url string, stop func(), err error) {
	n, ok := strings.CutPrefix(c.Cluster, "embedded:")
	if !ok {
		if !strings.Contains(c.Cluster, "://") {
			return "", nil, usage(fmt.Errorf("--cluster %q: want embedded:N or nats://host:port", c.Cluster))
		}
		return c.Cluster, func() {}, nil
	}
	procs, err := strconv.Atoi(n)
	if err != nil || procs < 1 {
		return "", nil, usage(fmt.Errorf("--cluster %s: want embedded:N with N >= 1", c.Cluster))
	}
	each := max(1, c.workers()/procs)
	lock := c.Lock
	if lock == "processes" {
		lock = "free" // the worker processes are the processes
	}
	exe, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	local, err := cluster.StartLocal(cluster.LocalConfig{Processes: procs, Command: func(u string) []string {
		return []string{exe, "worker", "--connect", u, "--workers", strconv.Itoa(each), "--lock", lock}
	}})
	if err != nil {
		return "", nil, err
	}
	return local.URL(), func() { local.Close() }, nil
}

// clusterSummary prints a cluster run's summary as --stats says.
func (c *runCmd) clusterSummary(rep *cluster.Report) error {
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
