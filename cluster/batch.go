package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// BatchOptions configure [RunBatch].
type BatchOptions struct {
	Options
	// Concurrent bounds the jobs whose tasks are queued at once; 0: 16.
	// Their tasks share one work queue, so workers move from one file to
	// the next without waiting for a coordinator.
	Concurrent int
	// FailFast stops the batch at its first failed job; otherwise the
	// other jobs go on.
	FailFast bool
}

// BatchResult is one job's outcome in a batch.
type BatchResult struct {
	Job    Job
	Report *Report // nil when the job did not run
	Err    error
}

// RunBatch runs jobs on the cluster, one task per chunk (or per
// ChunksPerTask chunks) of each, and returns a result per job in the
// order given, with the jobs' errors joined. Options.OnChunk, when set,
// counts chunks over the whole batch and may be called from several
// goroutines at once.
func RunBatch(ctx context.Context, jobs []Job, opts BatchOptions) ([]BatchResult, error) {
	if opts.Concurrent <= 0 {
		opts.Concurrent = 16
	}
	if opts.Trace && opts.TraceStart.IsZero() {
		opts.TraceStart = time.Now()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	total := 0
	for _, j := range jobs {
		total += j.Grid.Len()
	}
	var done atomic.Int64
	results := make([]BatchResult, len(jobs))
	sem := make(chan struct{}, opts.Concurrent)
	var wg sync.WaitGroup
	for i, j := range jobs {
		results[i].Job = j
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			results[i].Err = ctx.Err()
			continue
		}
		o := opts.Options
		if opts.OnChunk != nil {
			o.OnChunk = func(_, _ int, inBytes int64) { opts.OnChunk(int(done.Add(1)), total, inBytes) }
		}
		wg.Go(func() {
			defer func() { <-sem }()
			rep, err := Run(ctx, j, o)
			results[i].Report, results[i].Err = rep, err
			if err != nil && opts.FailFast {
				cancel()
			}
		})
	}
	wg.Wait()
	var errs []error
	for _, r := range results {
		if r.Err != nil && !(opts.FailFast && errors.Is(r.Err, context.Canceled)) {
			errs = append(errs, fmt.Errorf("%s: %w", r.Job.Input.Path, r.Err))
		}
	}
	if len(errs) == 0 && ctx.Err() != nil {
		errs = append(errs, ctx.Err())
	}
	return results, errors.Join(errs...)
}
