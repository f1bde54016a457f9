package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"chunkpipe/chunk"
)

// progress reports chunks and bytes done: a redrawn bar on a terminal,
// plain log lines at a modest interval otherwise, or nothing.
type progress struct {
	mu       sync.Mutex
	bar      *progressbar.ProgressBar
	log      io.Writer
	every    time.Duration
	last     time.Time
	start    time.Time
	total    int
	totalIn  int64
	doneIn   int64
	label    string
	finished bool
}

// newProgress makes a reporter for mode auto, bar, log or none over total
// chunks and totalIn input bytes.
func newProgress(mode, label string, total int, totalIn int64) *progress {
	p := &progress{total: total, totalIn: totalIn, start: time.Now(), label: label, every: 2 * time.Second}
	if mode == "auto" {
		mode = "log"
		if term.IsTerminal(int(os.Stderr.Fd())) {
			mode = "bar"
		}
	}
	switch mode {
	case "bar":
		p.bar = progressbar.NewOptions64(totalIn,
			progressbar.OptionSetWriter(os.Stderr),
			progressbar.OptionSetDescription(fmt.Sprintf("%s 0/%d chunks", label, total)),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish(),
		)
	case "log":
		p.log = os.Stderr
	}
	return p
}

// chunkDone is the pipeline's OnChunk hook.
func (p *progress) chunkDone(done, total int, inBytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.doneIn += inBytes
	switch {
	case p.bar != nil:
		p.bar.Describe(fmt.Sprintf("%s %d/%d chunks", p.label, done, total))
		p.bar.Add64(inBytes)
	case p.log != nil:
		now := time.Now()
		if now.Sub(p.last) < p.every && done != total {
			return
		}
		if p.last.IsZero() && done != total {
			p.last = p.start
			if now.Sub(p.start) < p.every {
				return
			}
		}
		if done == total && now.Sub(p.start) < p.every {
			return // a run this short needs no progress line
		}
		p.last = now
		el := now.Sub(p.start).Seconds()
		rate := float64(p.doneIn) / 1e6 / max(el, 1e-9)
		eta := "?"
		if p.doneIn > 0 {
			eta = fmt.Sprintf("%.0fs", el*float64(p.totalIn-p.doneIn)/float64(p.doneIn))
		}
		fmt.Fprintf(p.log, "%s: %d/%d chunks (%.0f%%), %s of %s, %.1f MB/s, ETA %s\n", p.label, done, total,
			100*float64(done)/float64(max(total, 1)), chunk.FormatBytes(p.doneIn), chunk.FormatBytes(p.totalIn), rate, eta)
	}
}

// finish removes the bar.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil && !p.finished {
		p.bar.Finish()
		p.bar.Exit()
	}
	p.finished = true
}
