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
	Cluster       string        `help:"Run on a cluster: embedded:N (a JetStream server on 127.0.0.1 and N worker processes of this binary) or nats://host:port (workers started with 'chunkpipe worker --connect URL'). Single inputs, .zarr/.npy outputs or stats/histogram." placeholder:"embedded:N|URL"`
	AckWait       time.Duration `help:"Cluster: how long a task may go unacknowledged (no heartbeat) before another worker gets it." default:"30s"`
	MaxDeliver    int           `help:"Cluster: deliveries of a task before its job fails." default:"5"`
	ChunksPerTask int           `help:"Cluster: chunks of one chunk row per task message." default:"1"`
}

// runCluster runs one input on the cluster --cluster names.
func (c *runCmd) runCluster(g *globals) error {
	if c.Expr != "" || c.RGB != "" || len(c.Band) > 0 {
		return usage(errors.New("--cluster does not run band math or RGB composites yet"))
	}
	paths, err := expandInputs(c.Inputs)
	if err != nil {
		return err
	}
	if len(paths) != 1 || strings.Contains(c.Output, "{") {
		return usage(errors.New("--cluster runs one input at a time for now (no batch)"))
	}
	in, err := c.open(paths[0])
	if err != nil {
		return err
	}
	info := in.Info()
	params, err := c.params(in)
	in.Close()
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
	job := cluster.Job{Input: cluster.Input{Path: paths[0], Variable: c.Var}, Chain: c.Kernels, Params: c.Param, Grid: grid}
	if c.MaskDQF >= 0 {
		job.Input.Mask, job.Input.MaskMax = "DQF", int64(c.MaskDQF)
	}
	if c.DType != "" {
		t, _ := chunk.ParseDType(c.DType) // c.open checked it
		s, _ := formats.ParseShape(c.Shape)
		job.Input.Raw = formats.RawSpec{DType: t, Shape: s, BigEndian: c.ByteOrder == "big"}
	}
	if chain.Reducer() == nil {
		if c.Output == "" {
			return usage(errors.New("run needs -o OUTPUT (only chains ending in stats or histogram print their result)"))
		}
		spec, err := c.outputSpec(info, chain, c.Output)
		if err != nil {
			return err
		}
		job.Output = &spec
	} else if c.Output != "" {
		if err := formats.CheckTarget(c.Output, c.Overwrite); err != nil {
			return err
		}
	}
	url := c.Cluster
	if n, ok := strings.CutPrefix(c.Cluster, "embedded:"); ok {
		procs, err := strconv.Atoi(n)
		if err != nil || procs < 1 {
			return usage(fmt.Errorf("--cluster %s: want embedded:N with N >= 1", c.Cluster))
		}
		each := max(1, c.workers()/procs)
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		local, err := cluster.StartLocal(cluster.LocalConfig{Processes: procs, Command: func(u string) []string {
			return []string{exe, "worker", "--connect", u, "--workers", strconv.Itoa(each), "--lock", strings.Replace(c.Lock, "processes", "free", 1)}
		}})
		if err != nil {
			return err
		}
		defer local.Close()
		url = local.URL()
	} else if !strings.Contains(url, "://") {
		return usage(fmt.Errorf("--cluster %q: want embedded:N or nats://host:port", c.Cluster))
	}
	prog := newProgress(c.Progress, filepath.Base(info.Path), grid.Len(), int64(info.Shape.Len())*int64(info.DType.Size()))
	rep, err := cluster.Run(g.ctx, job, cluster.Options{URL: url, AckWait: c.AckWait, MaxDeliver: c.MaxDeliver,
		ChunksPerTask: c.ChunksPerTask, OnChunk: prog.chunkDone})
	prog.finish()
	if err != nil {
		return err
	}
	if rep.Result != nil {
		if err := c.writeResult(&pipeline.Report{Result: rep.Result}); err != nil {
			return err
		}
	}
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
