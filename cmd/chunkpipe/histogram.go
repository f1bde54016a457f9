package main

import (
	"fmt"
	"math"
	"strings"

	"chunkpipe/kernels"
	"chunkpipe/pipeline"
)

// setHistogramRange gives a histogram without an explicit MIN:MAX the data's
// range, measured by a first stats pass over the same chain, as numpy's
// histogram takes the data's min and max.
func setHistogramRange(g *globals, job pipeline.Job, cfg pipeline.Config, params kernels.Params) error {
	rs, ok := job.Chain.Reducer().(kernels.RangeSetter)
	if !ok || !rs.NeedsRange() {
		return nil
	}
	names := append(chainNames(job.Chain), "stats")
	statsChain, err := kernels.ParseChain(strings.Join(names, ","), params)
	if err != nil {
		return err
	}
	job.Chain, job.Sink = statsChain, nil
	rep, err := pipeline.Run(g.ctx, job, cfg)
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
