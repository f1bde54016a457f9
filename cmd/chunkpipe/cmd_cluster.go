package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"chunkpipe/cluster"
	"chunkpipe/pipeline"
	"chunkpipe/plan"
	"chunkpipe/trace"
)

// clusterFlags are run's flags for running on a NATS JetStream cluster.
type clusterFlags struct {
	Cluster       string        `help:"Run on a cluster: embedded:N (a JetStream server on 127.0.0.1 and N worker processes of this binary) or nats://host:port (workers started with 'chunkpipe worker --connect URL'). Outputs .zarr, .npy, .nc, .tif (COG too), or stats/histogram; single inputs, batches, band math, --stack." placeholder:"embedded:N|URL"`
	AckWait       time.Duration `help:"Cluster: how long a task may go unacknowledged (no heartbeat) before another worker gets it." default:"30s"`
	MaxDeliver    int           `help:"Cluster: deliveries of a task before its file fails." default:"5"`
	ChunksPerTask int           `help:"Cluster: chunks of one chunk row per task message." default:"1"`
}

// runCluster runs the request on the cluster --cluster names: the planner
// lays out the jobs (one, or a batch with one output per file) without
// creating writers, and the cluster's workers compute and store them.
func (c *runCmd) runCluster(g *globals, req plan.Request) error {
	if req.RGB != "" {
		return usage(errors.New("--cluster does not write RGB composites (PNG); run --rgb without --cluster"))
	}
	req.SpecOnly = true
	p, err := plan.Build(req)
	if err != nil {
		return asUsage(err)
	}
	defer p.Close()
	var jobs []cluster.Job
	for _, j := range p.Jobs {
		if j.Err != nil {
			continue
		}
		jobs = append(jobs, clusterJob(req, p, j))
	}
	url, stop, err := c.clusterURL()
	if err != nil {
		return err
	}
	defer stop()
	prog := newProgress(c.Progress, p.Label, p.Chunks(), p.InBytes())
	opts := cluster.Options{URL: url, AckWait: c.AckWait, MaxDeliver: c.MaxDeliver, ChunksPerTask: c.ChunksPerTask, OnChunk: prog.chunkDone,
		Trace: c.Trace != "" || c.Timeline != ""}
	if !p.Batch {
		rep, err := cluster.Run(g.ctx, jobs[0], opts)
		prog.finish()
		if err != nil {
			return err
		}
		if err := c.clusterTraces(rep.Input, rep.Wall, cluster.MergeSpans(rep)); err != nil {
			return err
		}
		if rep.Result != nil {
			if path := p.Jobs[0].ResultPath; path != "" {
				if err := plan.WriteResult(path, req.Overwrite, rep.Result); err != nil {
					return err
				}
			}
			fmt.Println(formatResult(rep.Result))
		}
		return c.clusterSummary(rep)
	}
	var res []cluster.BatchResult
	if len(jobs) > 0 {
		res, err = cluster.RunBatch(g.ctx, jobs, cluster.BatchOptions{Options: opts, FailFast: c.FailFast})
	}
	prog.finish()
	if g.ctx.Err() != nil {
		return g.ctx.Err()
	}
	if opts.Trace {
		var reps []*cluster.Report
		var wall time.Duration
		for _, r := range res {
			reps = append(reps, r.Report)
			if r.Report != nil {
				wall = max(wall, r.Report.Wall)
			}
		}
		if err := c.clusterTraces(p.Label, wall, cluster.MergeSpans(reps...)); err != nil {
			return err
		}
	}
	failed := 0
	for _, j := range p.Jobs {
		if j.Err != nil {
			failed++
			fmt.Fprintf(os.Stderr, "FAILED %s: %v\n", j.Path, j.Err)
		}
	}
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
		if err != nil {
			return fmt.Errorf("%d of %d files failed (%v)", failed, len(p.Jobs), err)
		}
		return fmt.Errorf("%d of %d files failed", failed, len(p.Jobs))
	}
	return err
}

// clusterJob describes a planned job for the cluster's workers, which open
// the input and gather its parameters themselves as the planner did. A job
// of band math, a stack (several planes) or a resampled input goes with
// its request (narrowed to its one input and output in a batch), which the
// workers plan again.
func clusterJob(req plan.Request, p *plan.Plan, j *plan.Job) cluster.Job {
	in := cluster.Input{Path: j.Path, Variable: req.Open.Variable, Raw: req.Open.Raw}
	if req.Open.MaskDQF {
		in.Mask, in.MaskMax = "DQF", int64(req.Open.MaskMax)
	}
	job := cluster.Job{Input: in, Chain: req.Kernels, Params: req.Params, Preset: req.Preset, Grid: j.Grid, Output: j.Spec}
	if req.Expr != "" || req.Stack || req.Resample.Area != "" || j.Planes > 1 {
		r := cluster.NewPlanRequest(req)
		if p.Batch {
			r.Inputs, r.Output = []string{j.Path}, ""
			if j.Spec != nil {
				r.Output = j.Spec.Path
			}
		}
		if job.Input.Path == "" {
			job.Input.Path = p.Label
		}
		job.Request = r
	}
	return job
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
	workers := c.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	each := max(1, workers/procs)
	lock := c.Lock.String()
	if c.Lock == pipeline.Processes {
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

// clusterTraces writes a cluster run's spans as --trace and --timeline
// ask: in the Chrome trace each process (the coordinator, each worker) is
// a pid and each of a worker's task slots a track in it; the timeline has
// a row per slot.
func (c *runCmd) clusterTraces(input string, wall time.Duration, procs []cluster.ProcessSpans) error {
	tp := make([]trace.Process, len(procs))
	var all []pipeline.Span
	slots := 0
	for i, p := range procs {
		tp[i] = trace.Process{Name: p.Name, Spans: p.Spans}
		all = append(all, p.Spans...)
		for _, s := range p.Spans {
			wall = max(wall, s.End) // a batch's axis starts before its jobs
		}
		if p.Name != cluster.CoordinatorName {
			slots += countTracks(p.Spans)
		}
	}
	if c.Trace != "" {
		meta := map[string]any{"input": input, "cluster": c.Cluster, "chain": traceChain(c), "wall_s": wall.Seconds(),
			"worker_processes": len(procs) - 1, "slots": slots}
		if err := writeAtomic(c.Trace, c.Overwrite, func(f *os.File) error { return trace.WriteChromeProcesses(f, tp, meta) }); err != nil {
			return err
		}
	}
	if c.Timeline != "" {
		title := fmt.Sprintf("%s: %s, cluster %s, %d worker processes, %d slots, %.2fs", input, traceChain(c), c.Cluster, len(procs)-1, slots, wall.Seconds())
		if err := writeAtomic(c.Timeline, c.Overwrite, func(f *os.File) error { return trace.DrawTimeline(f, all, title) }); err != nil {
			return err
		}
	}
	return nil
}

// countTracks counts the distinct workers (tracks) of spans.
func countTracks(spans []pipeline.Span) int {
	seen := map[string]bool{}
	for _, s := range spans {
		seen[s.Worker] = true
	}
	return len(seen)
}
