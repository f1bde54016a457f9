package cluster

import (
	"fmt"
	"io"
	"sort"
	"time"

	"chunkpipe/kernels"
)

// Report is a cluster run's outcome, aggregated over its workers.
type Report struct {
	Job     string          `json:"job"`
	Input   string          `json:"input"`
	Output  string          `json:"output,omitempty"`
	Chain   string          `json:"chain"`
	Chunks  int             `json:"chunks"`
	Tasks   int             `json:"tasks"`
	Wall    time.Duration   `json:"wall_ns"`
	InBytes int64           `json:"in_bytes"`
	Result  *kernels.Result `json:"result,omitempty"`
	// Redeliveries counts result records of tasks delivered more than
	// once; Duplicates the records of chunks already done (ignored);
	// Retries the records of failed attempts that were tried again.
	Redeliveries int            `json:"redeliveries"`
	Duplicates   int            `json:"duplicates"`
	Retries      int            `json:"retries"`
	Workers      []WorkerReport `json:"workers"`
	// Spans are a traced run's spans by process (Options.Trace).
	Spans []ProcessSpans `json:"-"`
}

// WorkerReport is one worker's share of a run.
type WorkerReport struct {
	Name         string        `json:"name"`
	Tasks        int           `json:"tasks"`
	Chunks       int           `json:"chunks"`
	Busy         time.Duration `json:"busy_ns"`
	Redeliveries int           `json:"redeliveries"`
}

// Summarize writes a human-readable summary: totals, then a line per
// worker.
func (r *Report) Summarize(w io.Writer) {
	mbps := 0.0
	if r.Wall > 0 {
		mbps = float64(r.InBytes) / 1e6 / r.Wall.Seconds()
	}
	fmt.Fprintf(w, "cluster job %s: %s -> %s [%s]\n", r.Job, r.Input, r.outputText(), r.Chain)
	fmt.Fprintf(w, "  %d chunks in %d tasks, %v wall, %.1f MB/s read; %d redelivered, %d duplicate results, %d retried\n",
		r.Chunks, r.Tasks, r.Wall.Round(time.Millisecond), mbps, r.Redeliveries, r.Duplicates, r.Retries)
	for _, wr := range r.Workers {
		util := 0.0
		if r.Wall > 0 {
			util = 100 * wr.Busy.Seconds() / r.Wall.Seconds()
		}
		fmt.Fprintf(w, "  worker %-24s %5d chunks %5d tasks  busy %-10v (%3.0f%% of wall)  %d redelivered\n",
			wr.Name, wr.Chunks, wr.Tasks, wr.Busy.Round(time.Millisecond), util, wr.Redeliveries)
	}
}

func (r *Report) outputText() string {
	if r.Output == "" {
		return "(reduction)"
	}
	return r.Output
}

// add counts a done task's record for its worker.
func (r *Report) add(byName map[string]*WorkerReport, res *result) {
	wr := byName[res.Worker]
	if wr == nil {
		wr = &WorkerReport{Name: res.Worker}
		byName[res.Worker] = wr
	}
	wr.Tasks++
	wr.Chunks += res.Count
	wr.Busy += time.Duration(res.BusyNs)
	if res.Delivery > 1 {
		wr.Redeliveries++
		r.Redeliveries++
	}
	r.InBytes += res.InBytes
}

// finishWorkers sorts the per-worker reports into r.
func (r *Report) finishWorkers(byName map[string]*WorkerReport) {
	for _, wr := range byName {
		r.Workers = append(r.Workers, *wr)
	}
	sort.Slice(r.Workers, func(i, j int) bool { return r.Workers[i].Name < r.Workers[j].Name })
}
