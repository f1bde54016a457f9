package pipeline

import (
	"fmt"
	"io"
	"sort"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

// WorkerStats is what one worker did during a run.
type WorkerStats struct {
	Stage    string        `json:"stage"` // StageRead, StageKernel or StageWrite
	ID       int           `json:"id"`
	Chunks   int           `json:"chunks"`
	Busy     time.Duration `json:"busy_ns"`      // reading, computing or writing
	LockWait time.Duration `json:"lock_wait_ns"` // waiting for the gil
	LockHeld time.Duration `json:"lock_held_ns"` // holding the gil
	Handoffs int           `json:"handoffs"`     // times this worker took the gil from another
	Yields   int           `json:"yields"`       // times it gave the gil up mid-chunk
	// BytesCopied and CopyTime count processes mode's copies of chunks to
	// worker processes and back, and the time spent on them.
	BytesCopied int64         `json:"bytes_copied"`
	CopyTime    time.Duration `json:"copy_ns"`
}

// Span is one stretch of time a worker spent on one chunk in one stage.
type Span struct {
	Worker string        `json:"worker"` // e.g. "kernel-1"
	Kind   string        `json:"kind"`   // StageRead, StageLock, StageCompute, StageWrite ...
	Chunk  int           `json:"chunk"`  // row-major chunk number
	Start  time.Duration `json:"start_ns"`
	End    time.Duration `json:"end_ns"`
}

// Report summarizes a run.
type Report struct {
	Input        string          `json:"input"`
	Grid         chunk.Grid      `json:"-"`
	GridText     string          `json:"grid"`
	Lock         string          `json:"lock"`
	Workers      int             `json:"workers"`
	ReadWorkers  int             `json:"read_workers"`
	WriteWorkers int             `json:"write_workers"`
	Chunks       int             `json:"chunks"`
	InBytes      int64           `json:"in_bytes"`
	OutBytes     int64           `json:"out_bytes"`
	Wall         time.Duration   `json:"wall_ns"`
	Read         time.Duration   `json:"read_busy_ns"`
	Compute      time.Duration   `json:"compute_busy_ns"`
	Write        time.Duration   `json:"write_busy_ns"`
	LockWait     time.Duration   `json:"lock_wait_ns"`
	Handoffs     int             `json:"handoffs"`
	BytesCopied  int64           `json:"bytes_copied"`
	CopyTime     time.Duration   `json:"copy_ns"`
	GILModel     string          `json:"gil_model,omitempty"`
	Switch       time.Duration   `json:"switch_interval_ns,omitempty"`
	PeakInFlight int             `json:"peak_in_flight"`
	InFlight     int             `json:"in_flight_limit"`
	WorkerStats  []WorkerStats   `json:"worker_stats"`
	Result       *kernels.Result `json:"result,omitempty"`
	PeakRSS      int64           `json:"peak_rss_bytes,omitempty"` // the process's peak resident set, filled in by the caller
	Err          string          `json:"error,omitempty"`          // why the job failed (batches)
	Spans        []Span          `json:"-"`
}

// MBps returns the input throughput in MB/s (10^6 bytes per second).
func (r *Report) MBps() float64 {
	if r.Wall <= 0 {
		return 0
	}
	return float64(r.InBytes) / 1e6 / r.Wall.Seconds()
}

// Utilisation returns the kernel workers' busy time as a fraction of
// Workers x Wall.
func (r *Report) Utilisation() float64 {
	if r.Wall <= 0 || r.Workers == 0 {
		return 0
	}
	return r.Compute.Seconds() / (float64(r.Workers) * r.Wall.Seconds())
}

// Summarize writes a human-readable summary of the run.
func (r *Report) Summarize(w io.Writer) {
	grid := ""
	if r.GridText != "" {
		grid = " (" + r.GridText + ")"
	}
	fmt.Fprintf(w, "%s: %d chunks%s, lock %s, %d kernel / %d read / %d write workers\n",
		r.Input, r.Chunks, grid, r.Lock, r.Workers, r.ReadWorkers, r.WriteWorkers)
	fmt.Fprintf(w, "wall %.3fs, %.1f MB/s of input (%s in, %s out), peak %d of %d chunks in flight",
		r.Wall.Seconds(), r.MBps(), chunk.FormatBytes(r.InBytes), chunk.FormatBytes(r.OutBytes), r.PeakInFlight, r.InFlight)
	if r.PeakRSS > 0 {
		fmt.Fprintf(w, ", peak RSS %s", chunk.FormatBytes(r.PeakRSS))
	}
	fmt.Fprintln(w)
	if r.BytesCopied > 0 {
		fmt.Fprintf(w, "processes: %s copied to and from worker processes, %.3fs spent copying\n", chunk.FormatBytes(r.BytesCopied), r.CopyTime.Seconds())
	}
	fmt.Fprintf(w, "busy: read %.3fs, compute %.3fs (utilisation %.0f%%), write %.3fs; waiting for the lock %.3fs, %d hand-offs\n",
		r.Read.Seconds(), r.Compute.Seconds(), 100*r.Utilisation(), r.Write.Seconds(), r.LockWait.Seconds(), r.Handoffs)
}

func (r *Report) finish(workers []*worker) {
	for _, w := range workers {
		r.WorkerStats = append(r.WorkerStats, w.stats)
		switch w.stats.Stage {
		case StageRead:
			r.Read += w.stats.Busy
		case StageKernel:
			r.Compute += w.stats.Busy
			r.LockWait += w.stats.LockWait
			r.Handoffs += w.stats.Handoffs
			r.BytesCopied += w.stats.BytesCopied
			r.CopyTime += w.stats.CopyTime
		case StageWrite:
			r.Write += w.stats.Busy
		}
		r.Spans = append(r.Spans, w.spans...)
	}
	sort.Slice(r.Spans, func(i, j int) bool { return r.Spans[i].Start < r.Spans[j].Start })
}
