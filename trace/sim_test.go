package trace_test

import (
	"fmt"
	"time"

	"chunkpipe/pipeline"
)

// simTick is the simulator's time step; a kernel computes one row per tick.
const simTick = 100 * time.Microsecond

// simConfig describes a simulated run; durations are in ticks.
type simConfig struct {
	Workers, Chunks      int
	Read, Compute, Write int // ticks per chunk
	GIL                  bool
	Interval             int // gil switch interval in ticks; 0: hold for a whole chunk
}

// simWorker is one simulated kernel worker.
type simWorker struct {
	name         string
	chunk        int // -1: idle
	rowsLeft     int
	waitSince    int // when it joined the lock queue
	computeSince int
	heldSince    int
	holding      bool
}

// simulate plays a run the way the pipeline schedules it, tick by tick: one
// reader reads chunks in order; kernel workers take ready chunks in order
// and compute them a row per tick, under a FIFO lock that a holder yields
// at a row boundary once it has held it for Interval ticks and someone
// waits (the pipeline's gil and pacer); one writer writes finished chunks in
// the order they finish. It returns the spans the pipeline would record.
func simulate(cfg simConfig) []pipeline.Span {
	at := func(t int) time.Duration { return time.Duration(t) * simTick }
	var spans []pipeline.Span
	rec := func(worker, kind string, chunk, t0, t1 int) {
		spans = append(spans, pipeline.Span{Worker: worker, Kind: kind, Chunk: chunk, Start: at(t0), End: at(t1)})
	}
	ready := make([]int, cfg.Chunks)
	for c := range ready {
		ready[c] = (c + 1) * cfg.Read
		rec("read-0", pipeline.StageRead, c, c*cfg.Read, (c+1)*cfg.Read)
	}
	ws := make([]*simWorker, cfg.Workers)
	for i := range ws {
		ws[i] = &simWorker{name: fmt.Sprintf("kernel-%d", i), chunk: -1}
	}
	var queue []*simWorker
	holder := (*simWorker)(nil)
	next, computed := 0, 0
	var finished []int // chunk numbers in finishing order, with finish ticks
	var finishedAt []int
	for t := 0; computed < cfg.Chunks; t++ {
		for _, w := range ws {
			if w.chunk < 0 && next < cfg.Chunks && ready[next] <= t {
				w.chunk, w.rowsLeft = next, cfg.Compute
				next++
				if cfg.GIL {
					w.waitSince = t
					queue = append(queue, w)
				} else {
					w.computeSince = t
				}
			}
		}
		if cfg.GIL && holder == nil && len(queue) > 0 {
			holder, queue = queue[0], queue[1:]
			rec(holder.name, pipeline.StageLock, holder.chunk, holder.waitSince, t)
			holder.holding, holder.heldSince, holder.computeSince = true, t, t
		}
		for _, w := range ws {
			if w.chunk < 0 || (cfg.GIL && !w.holding) {
				continue
			}
			w.rowsLeft--
			switch {
			case w.rowsLeft == 0:
				rec(w.name, pipeline.StageCompute, w.chunk, w.computeSince, t+1)
				finished, finishedAt = append(finished, w.chunk), append(finishedAt, t+1)
				computed++
				w.chunk, w.holding = -1, false
				if holder == w {
					holder = nil
				}
			case cfg.GIL && cfg.Interval > 0 && t+1-w.heldSince >= cfg.Interval && len(queue) > 0:
				rec(w.name, pipeline.StageCompute, w.chunk, w.computeSince, t+1)
				w.holding, holder = false, nil
				w.waitSince = t + 1
				queue = append(queue, w)
			}
		}
	}
	free := 0
	for i, c := range finished {
		t0 := max(free, finishedAt[i])
		free = t0 + cfg.Write
		rec("write-0", pipeline.StageWrite, c, t0, free)
	}
	return spans
}
