package main

import (
	"fmt"
	"os"

	"chunkpipe/pipeline"
	"chunkpipe/trace"
)

// writeTraces writes the run's spans as a Chrome trace and as a timeline
// picture, when asked, each atomically and, like any output, over an
// existing file only when overwrite.
func writeTraces(tracePath, timelinePath string, overwrite bool, rep *pipeline.Report, chain string) error {
	if tracePath != "" {
		meta := map[string]any{"input": rep.Input, "lock": rep.Lock, "workers": rep.Workers, "grid": rep.GridText,
			"chain": chain, "wall_s": rep.Wall.Seconds(), "gil_model": rep.GILModel, "switch_interval_ns": rep.Switch.Nanoseconds()}
		if err := writeAtomic(tracePath, overwrite, func(f *os.File) error { return trace.WriteChrome(f, rep.Spans, meta) }); err != nil {
			return err
		}
	}
	if timelinePath != "" {
		title := fmt.Sprintf("%s: %s, lock %s, %d workers, %s, %.2fs", rep.Input, chain, rep.Lock, rep.Workers, rep.GridText, rep.Wall.Seconds())
		if err := writeAtomic(timelinePath, overwrite, func(f *os.File) error { return trace.DrawTimeline(f, rep.Spans, title) }); err != nil {
			return err
		}
	}
	return nil
}
