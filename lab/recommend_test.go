package lab_test

import (
	"math"
	"strings"
	"testing"

	"chunkpipe/lab"
)

func TestRecommend(t *testing.T) {
	tests := []struct {
		name    string
		samples []lab.Sample
		auto    string
		ok      bool
		best    lab.Point
		gain    float64
		text    string
	}{
		{
			name: "beats auto at the largest worker count",
			samples: []lab.Sample{
				smp(1, "free", "256", 1), // fastest overall, but at 1 worker
				smp(4, "free", "256", 30), smp(4, "free", "512", 20), smp(4, "free", "auto", 25),
				smp(4, "gil", "512", 5), // faster, but not free
			},
			auto: "auto", ok: true, best: lab.Point{Workers: 4, Lock: "free", Chunks: "512"}, gain: 1.25,
			text: "with lock free at 4 workers: use chunks 512 (median 0.020s, 0.0 MB/s), 1.25x faster than auto (20% less time)",
		},
		{
			name:    "auto is best",
			samples: []lab.Sample{smp(2, "free", "256", 30), smp(2, "free", "auto", 20)},
			auto:    "auto", ok: true, best: lab.Point{Workers: 2, Lock: "free", Chunks: "auto"}, gain: 1,
			text: "chunks auto is already the fastest",
		},
		{
			name: "auto failed",
			samples: []lab.Sample{
				smp(2, "free", "256", 30), failed(2, "free", "auto", "boom"),
			},
			auto: "auto", ok: true, best: lab.Point{Workers: 2, Lock: "free", Chunks: "256"}, gain: 0,
			text: "auto was not measured there",
		},
		{
			name: "largest worker count whose runs succeeded",
			samples: []lab.Sample{
				smp(2, "free", "512", 30), smp(2, "free", "auto", 60), failed(8, "free", "512", "oom"),
			},
			auto: "auto", ok: true, best: lab.Point{Workers: 2, Lock: "free", Chunks: "512"}, gain: 2,
		},
		{
			name:    "no free runs: first lock mode",
			samples: []lab.Sample{smp(2, "gil", "256", 10), smp(2, "gil", "auto", 12), smp(2, "processes", "256", 1)},
			auto:    "auto", ok: true, best: lab.Point{Workers: 2, Lock: "gil", Chunks: "256"}, gain: 1.2,
		},
		{
			name: "tie goes to the first row",
			samples: []lab.Sample{
				smp(2, "free", "256", 10), smp(2, "free", "512", 10),
			},
			auto: "auto", ok: true, best: lab.Point{Workers: 2, Lock: "free", Chunks: "256"},
		},
		{
			name:    "nothing succeeded",
			samples: []lab.Sample{failed(1, "free", "256", "x")},
			auto:    "auto",
			text:    "no successful runs",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows := lab.Summarize(tc.samples)
			best, gain, ok := lab.Recommend(rows, tc.auto)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if best.Point != tc.best {
				t.Errorf("best %v, want %v", best.Point, tc.best)
			}
			if math.Abs(gain-tc.gain) > 1e-12 {
				t.Errorf("gain %g, want %g", gain, tc.gain)
			}
			if text := lab.RecommendText(rows, tc.auto); !strings.Contains(text, tc.text) {
				t.Errorf("text %q lacks %q", text, tc.text)
			}
		})
	}
}

func TestRecommendFor(t *testing.T) {
	rows := lab.Summarize([]lab.Sample{
		smp(4, "free", "512", 20), smp(4, "gil", "256", 90), smp(4, "gil", "auto", 99),
	})
	best, gain, ok := lab.RecommendFor(rows, "gil", "auto")
	if !ok || best.Chunks != "256" || math.Abs(gain-1.1) > 1e-12 {
		t.Errorf("best %v gain %g ok %v; want gil 256, 1.1", best.Point, gain, ok)
	}
	if _, _, ok := lab.RecommendFor(rows, "processes", "auto"); ok {
		t.Error("ok for a lock mode with no rows")
	}
}
