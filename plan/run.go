package plan

import (
	"context"
	"errors"
	"fmt"
	"math"

	"chunkpipe/kernels"
	"chunkpipe/pipeline"
)

// Run executes the plan's jobs through one worker pool, calling onChunk
// (may be nil) as chunks finish, and returns the run's totals (for a plan
// of one job, with that job's figures, as [pipeline.Run] reports them).
//
// A histogram without explicit limits first gets the data's range from a
// stats pass over the same chain. Each job that succeeds has its writer
// committed (and a reduction's result written to ResultPath); every other
// writer is aborted. Failures of single jobs are in their Err and Report;
// the error returned is the run's: a plan that could not start (a chunk
// larger than the memory limit), a cancelled context, and for a plan that
// is not a batch its one job's error.
func (p *Plan) Run(ctx context.Context, onChunk func(done, total int, inBytes int64)) (*pipeline.Report, error) {
	var jobs []pipeline.Job
	var planned []*Job
	for _, j := range p.Jobs {
		if j.Err != nil {
			continue
		}
		if err := setHistogramRange(ctx, j, p.Config); err != nil {
			j.Err = err
			j.abort()
			continue
		}
		jobs = append(jobs, j.Job)
		planned = append(planned, j)
	}
	if len(jobs) == 0 {
		p.abortAll()
		if !p.Batch && len(p.Jobs) == 1 {
			return nil, p.Jobs[0].Err
		}
		return nil, nil
	}
	cfg := p.Config
	cfg.OnChunk = onChunk
	if !p.Batch {
		cfg.FailFast = true
	}
	b, err := pipeline.RunBatch(ctx, jobs, cfg)
	if b == nil || ctx.Err() != nil {
		// Nothing ran (the plan could not start) or the run was cancelled:
		// no output may appear.
		p.abortAll()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err == nil {
			err = errors.New("plan: the run did not start")
		}
		return nil, err
	}
	for i, j := range planned {
		rep := b.Jobs[i]
		j.Report = rep
		if rep.Err != "" {
			j.Err = errors.New(rep.Err)
			if !p.Batch {
				j.Err = err // the error itself, with its chunk and cause
			}
			j.abort()
			continue
		}
		j.Err = j.commit(p.req.Overwrite)
	}
	total := b.Total
	if !p.Batch && len(planned) == 1 {
		j := b.Jobs[0]
		total.Input, total.Grid, total.GridText, total.Chunks, total.Result = j.Input, j.Grid, j.GridText, j.Chunks, j.Result
		total.InBytes, total.OutBytes = j.InBytes, j.OutBytes
		return total, planned[0].Err
	}
	return total, nil
}

// commit commits the job's writer, or writes its reduction's result.
func (j *Job) commit(overwrite bool) error {
	if j.Writer != nil {
		j.done = true
		return j.Writer.Commit()
	}
	if j.ResultPath != "" && j.Report != nil && j.Report.Result != nil {
		return WriteResult(j.ResultPath, overwrite, j.Report.Result)
	}
	return nil
}

// abortAll aborts every writer not yet committed.
func (p *Plan) abortAll() {
	for _, j := range p.Jobs {
		j.abort()
	}
}

// setHistogramRange gives a histogram without an explicit MIN:MAX the data's
// range, measured by a first stats pass over the same chain, as numpy's
// histogram takes the data's min and max.
func setHistogramRange(ctx context.Context, j *Job, cfg pipeline.Config) error {
	rs, ok := j.Chain.Reducer().(kernels.RangeSetter)
	if !ok || !rs.NeedsRange() {
		return nil
	}
	// The same kernel objects ending in stats: a band-math kernel has no
	// text to parse again.
	statsChain, err := kernels.NewChain(kernels.Stats{}, j.Chain.Kernels()...)
	if err != nil {
		return err
	}
	job := j.Job
	job.Chain, job.Sink = statsChain, nil
	cfg.OnChunk = nil
	rep, err := pipeline.Run(ctx, job, cfg)
	if err != nil {
		return err
	}
	lo, hi := rep.Result.Values["min"], rep.Result.Values["max"]
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return fmt.Errorf("histogram: the data has no finite values to take a range from; give histogram:BINS:MIN:MAX")
	}
	rs.SetRange(lo, hi)
	return nil
}
