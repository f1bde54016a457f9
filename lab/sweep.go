package lab

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Sample is the outcome of one run of one point.
type Sample struct {
	Point
	Wall        time.Duration `json:"wall_ns"`       // wall-clock time of the run
	MBps        float64       `json:"mbps"`          // input throughput, 10^6 bytes per second
	PeakRSS     int64         `json:"peak_rss"`      // peak resident set size, bytes
	LockWait    time.Duration `json:"lock_wait_ns"`  // kernel workers' total wait for the lock
	BytesCopied int64         `json:"bytes_copied"`  // bytes copied between processes or buffers
	Err         string        `json:"err,omitempty"` // why the run failed; "" if it did not
}

// RunFunc runs one point once. It fills in the sample's measurements; Sweep
// sets the sample's Point itself.
type RunFunc func(ctx context.Context, p Point) (Sample, error)

// Sweep runs every point of axes Repeat times (once if Repeat is 0) through
// run and returns all the samples, in the order they ran. The repeats are
// interleaved: repeat r of every point, in [Axes.Points] order, runs before
// repeat r+1 of any, so slow spells of the machine spread over the points.
//
// A run that returns an error is recorded as a sample with Err set (its
// measurements are kept as run returned them) and the sweep goes on: one
// point failing, say a chunk spec bigger than the input, does not lose the
// others. When ctx is cancelled the sweep stops before the next run (or
// discards the run that was cancelled) and returns the samples so far with
// an error wrapping ctx.Err().
//
// progress, when not nil, is called after every run with the number of runs
// done and the total, from the calling goroutine.
func Sweep(ctx context.Context, axes Axes, run RunFunc, progress func(done, total int)) ([]Sample, error) {
	pts := axes.Points()
	if len(pts) == 0 {
		return nil, errors.New("lab: the axes have no points")
	}
	repeat := max(axes.Repeat, 1)
	total := repeat * len(pts)
	samples := make([]Sample, 0, total)
	for r := 0; r < repeat; r++ {
		for _, p := range pts {
			if err := ctx.Err(); err != nil {
				return samples, fmt.Errorf("lab: sweep stopped after %d of %d runs: %w", len(samples), total, err)
			}
			s, err := run(ctx, p)
			if err != nil {
				if cerr := ctx.Err(); cerr != nil {
					return samples, fmt.Errorf("lab: sweep stopped after %d of %d runs: %w", len(samples), total, cerr)
				}
				s.Err = err.Error()
			}
			s.Point = p
			samples = append(samples, s)
			if progress != nil {
				progress(len(samples), total)
			}
		}
	}
	return samples, nil
}
