package trace_test

import (
	"math"
	"reflect"
	"testing"
	"time"

	"chunkpipe/pipeline"
	"chunkpipe/trace"
)

// cs is a hand-made compute span.
func cs(worker string, chunk int, start, end float64) pipeline.Span {
	return pipeline.Span{Worker: worker, Kind: pipeline.StageCompute, Chunk: chunk, Start: ms(start), End: ms(end)}
}

// wait is a hand-made lock-wait span.
func wait(worker string, chunk int, start, end float64) pipeline.Span {
	return pipeline.Span{Worker: worker, Kind: pipeline.StageLock, Chunk: chunk, Start: ms(start), End: ms(end)}
}

func TestLockAnalysis(t *testing.T) {
	tests := []struct {
		name       string
		spans      []pipeline.Span
		shares     map[string]float64
		handoffs   []time.Duration
		midChunk   int
		ratePerSec float64
	}{
		{
			name:   "no spans",
			shares: map[string]float64{},
		},
		{
			name:   "one worker never hands off",
			spans:  []pipeline.Span{cs("kernel-0", 0, 0, 5), cs("kernel-0", 1, 5, 10)},
			shares: map[string]float64{"kernel-0": 1},
		},
		{
			name: "chunk boundaries only (interval 0)",
			spans: []pipeline.Span{
				cs("kernel-0", 0, 0, 10), wait("kernel-1", 1, 0, 10),
				cs("kernel-1", 1, 10, 20), wait("kernel-0", 2, 10, 20),
				cs("kernel-0", 2, 20, 30),
				{Worker: "read-0", Kind: pipeline.StageRead, Chunk: 3, Start: 0, End: ms(30)},
			},
			shares:     map[string]float64{"kernel-0": 2.0 / 3, "kernel-1": 1.0 / 3},
			handoffs:   []time.Duration{ms(10), ms(20)},
			ratePerSec: 2 / 0.030,
		},
		{
			name: "mid-chunk yields (interval 5 ms)",
			spans: []pipeline.Span{
				cs("kernel-0", 0, 0, 5), cs("kernel-1", 1, 5, 10),
				cs("kernel-0", 0, 10, 15), cs("kernel-1", 1, 15, 17), // kernel-1 finishes chunk 1
				cs("kernel-0", 0, 17, 19), // kernel-0 finishes chunk 0
				cs("kernel-1", 2, 19, 20),
			},
			shares:     map[string]float64{"kernel-0": 12.0 / 20, "kernel-1": 8.0 / 20},
			handoffs:   []time.Duration{ms(5), ms(10), ms(15), ms(17), ms(19)},
			midChunk:   3, // at 5 and 10 (chunks 0 and 1 resumed later), at 15 (chunk 0 resumed at 17)
			ratePerSec: 5 / 0.020,
		},
		{
			name: "unordered input",
			spans: []pipeline.Span{
				cs("kernel-1", 1, 5, 10), cs("kernel-0", 0, 10, 15), cs("kernel-0", 0, 0, 5),
			},
			shares:     map[string]float64{"kernel-0": 10.0 / 15, "kernel-1": 5.0 / 15},
			handoffs:   []time.Duration{ms(5), ms(10)},
			midChunk:   1, // at 5: kernel-0 resumes chunk 0 at 10
			ratePerSec: 2 / 0.015,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			shares := trace.LockShares(tc.spans)
			if len(shares) != len(tc.shares) {
				t.Errorf("shares = %v, want %v", shares, tc.shares)
			}
			for w, want := range tc.shares {
				if math.Abs(shares[w]-want) > 1e-9 {
					t.Errorf("share of %s = %g, want %g", w, shares[w], want)
				}
			}
			if got := trace.Handoffs(tc.spans); !reflect.DeepEqual(got, tc.handoffs) {
				t.Errorf("handoffs = %v, want %v", got, tc.handoffs)
			}
			if got := trace.MidChunkHandoffs(tc.spans); got != tc.midChunk {
				t.Errorf("mid-chunk handoffs = %d, want %d", got, tc.midChunk)
			}
			if got := trace.HandoffRate(tc.spans); math.Abs(got-tc.ratePerSec) > 1e-6*max(1, tc.ratePerSec) {
				t.Errorf("handoff rate = %g/s, want %g/s", got, tc.ratePerSec)
			}
		})
	}
}

// TestLockAnalysisOnSimulatedGIL checks the helpers against the scheduling a
// gil produces, the claims the pipeline's own tests make of real runs.
func TestLockAnalysisOnSimulatedGIL(t *testing.T) {
	const interval = 50 // ticks: 5 ms
	tests := []struct {
		name          string
		cfg           simConfig
		minRate       float64 // hand-offs per second
		maxRate       float64
		wantMidChunk  bool
		minShare      float64
		maxShare      float64
		wantNoOverlap bool
	}{
		{
			name:    "gil, 5 ms interval",
			cfg:     simConfig{Workers: 2, Chunks: 8, Read: 1, Compute: 120, Write: 1, GIL: true, Interval: interval},
			minRate: 0.8 / 5e-3, maxRate: 1.2 / 5e-3, wantMidChunk: true,
			minShare: 0.4, maxShare: 0.6, wantNoOverlap: true,
		},
		{
			name:    "gil, interval 0",
			cfg:     simConfig{Workers: 2, Chunks: 8, Read: 1, Compute: 120, Write: 1, GIL: true},
			minRate: 0.8 / 12e-3, maxRate: 1.2 / 12e-3, // one per 12 ms chunk
			minShare: 0.4, maxShare: 0.6, wantNoOverlap: true,
		},
		{
			name:     "free",
			cfg:      simConfig{Workers: 4, Chunks: 16, Read: 1, Compute: 120, Write: 1},
			minShare: 0.2, maxShare: 0.3, maxRate: math.Inf(1),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spans := simulate(tc.cfg)
			rate := trace.HandoffRate(spans)
			if rate < tc.minRate || rate > tc.maxRate {
				t.Errorf("hand-off rate %.1f/s, want %.1f..%.1f", rate, tc.minRate, tc.maxRate)
			}
			mid := trace.MidChunkHandoffs(spans)
			if tc.wantMidChunk && mid*2 < len(trace.Handoffs(spans)) {
				t.Errorf("%d of %d hand-offs mid-chunk, want most", mid, len(trace.Handoffs(spans)))
			}
			if !tc.wantMidChunk && tc.cfg.GIL && mid != 0 {
				t.Errorf("%d mid-chunk hand-offs with interval 0, want none", mid)
			}
			shares := trace.LockShares(spans)
			if len(shares) != tc.cfg.Workers {
				t.Errorf("shares for %d workers, want %d", len(shares), tc.cfg.Workers)
			}
			for w, s := range shares {
				if s < tc.minShare || s > tc.maxShare {
					t.Errorf("%s held the lock %.0f%% of the time, want %.0f..%.0f%%", w, 100*s, 100*tc.minShare, 100*tc.maxShare)
				}
			}
			if tc.wantNoOverlap {
				var prev pipeline.Span
				for _, s := range sortSpans(spans) {
					if s.Kind != pipeline.StageCompute {
						continue
					}
					if s.Start < prev.End {
						t.Fatalf("simulated gil computes two chunks at once: %+v and %+v", prev, s)
					}
					prev = s
				}
			}
		})
	}
}
