package main

import (
	"errors"

	"chunkpipe/cluster"
	"chunkpipe/pipeline"
)

// clusterWorkerCmd is `chunkpipe worker`: serve a cluster's tasks.
type clusterWorkerCmd struct {
	Connect string `required:"" help:"NATS server with JetStream to take tasks from, e.g. nats://host:4222." placeholder:"URL"`
	Workers int    `short:"w" help:"Tasks run at once (default: number of CPUs)."`
	Lock    string `help:"Lock mode: free (tasks compute in parallel) or gil (one chain at a time in this process)." enum:"free,gil" default:"free"`
	Name    string `help:"Name in the coordinator's run summary (default: host:pid)."`
}

// Run serves tasks until interrupted. Inputs are read, and outputs
// written, by path: this machine must see them where the coordinator does.
func (c *clusterWorkerCmd) Run(g *globals) error {
	mode, err := pipeline.ParseLockMode(c.Lock)
	if err != nil {
		return usage(err)
	}
	if c.Workers < 0 {
		return usage(errors.New("--workers must be positive"))
	}
	err = cluster.Serve(g.ctx, cluster.WorkerConfig{URL: c.Connect, Workers: c.Workers, Lock: mode, Name: c.Name})
	if g.ctx.Err() != nil {
		return nil // stopped by a signal: unacknowledged tasks go to other workers
	}
	return err
}
