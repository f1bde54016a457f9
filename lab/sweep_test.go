package lab_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"chunkpipe/lab"
)

// fakeRun records the points it is asked to run, fails chunk spec "huge",
// and reports a wall time derived from the point.
type fakeRun struct {
	calls  []lab.Point
	cancel context.CancelFunc // called at run number cancelAt (1-based)
	at     int
}

func (f *fakeRun) run(ctx context.Context, p lab.Point) (lab.Sample, error) {
	f.calls = append(f.calls, p)
	if f.cancel != nil && len(f.calls) == f.at {
		f.cancel()
		return lab.Sample{}, ctx.Err()
	}
	if p.Chunks == "huge" {
		return lab.Sample{}, errors.New("chunk spec 1000000 exceeds the input")
	}
	return lab.Sample{Wall: time.Duration(p.Workers) * time.Millisecond, MBps: 1}, nil
}

func TestSweepInterleaves(t *testing.T) {
	axes := lab.Axes{Workers: []int{1, 2}, Locks: []string{"free", "gil"}, Chunks: []string{"256"}, Repeat: 3}
	f := &fakeRun{}
	var progress [][2]int
	samples, err := lab.Sweep(context.Background(), axes, f.run, func(done, total int) {
		progress = append(progress, [2]int{done, total})
	})
	if err != nil {
		t.Fatal(err)
	}
	pts := axes.Points()
	if len(samples) != 3*len(pts) || len(f.calls) != 3*len(pts) {
		t.Fatalf("%d samples from %d calls, want %d", len(samples), len(f.calls), 3*len(pts))
	}
	for i, s := range samples {
		// Repeat r of every point comes before repeat r+1 of any.
		if want := pts[i%len(pts)]; s.Point != want || f.calls[i] != want {
			t.Errorf("run %d: sample %v, call %v; want %v", i, s.Point, f.calls[i], want)
		}
	}
	for i, p := range progress {
		if p != [2]int{i + 1, 12} {
			t.Errorf("progress call %d = %v, want [%d 12]", i, p, i+1)
		}
	}
	if len(progress) != 12 {
		t.Errorf("%d progress calls, want 12", len(progress))
	}
}

func TestSweepErrors(t *testing.T) {
	tests := []struct {
		name     string
		axes     lab.Axes
		cancelAt int // 0: never
		samples  int
		failed   int
		wantErr  string
	}{
		{
			name:    "failed runs are recorded and the sweep goes on",
			axes:    lab.Axes{Workers: []int{1, 2}, Locks: []string{"free"}, Chunks: []string{"huge", "256"}, Repeat: 2},
			samples: 8, failed: 4,
		},
		{
			name:    "zero repeat runs once",
			axes:    lab.Axes{Workers: []int{1}, Locks: []string{"gil"}, Chunks: []string{"auto"}},
			samples: 1,
		},
		{
			name:     "cancelled mid-run",
			axes:     lab.Axes{Workers: []int{1, 2}, Locks: []string{"free"}, Chunks: []string{"256"}, Repeat: 3},
			cancelAt: 3, samples: 2,
			wantErr: "lab: sweep stopped after 2 of 6 runs: context canceled",
		},
		{
			name:    "no points",
			axes:    lab.Axes{Workers: []int{1}, Chunks: []string{"256"}},
			wantErr: "lab: the axes have no points",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			f := &fakeRun{}
			if tc.cancelAt > 0 {
				f.cancel, f.at = cancel, tc.cancelAt
			}
			samples, err := lab.Sweep(ctx, tc.axes, f.run, nil)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if tc.cancelAt > 0 {
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err %v does not wrap context.Canceled", err)
				}
				if len(f.calls) != tc.cancelAt {
					t.Errorf("%d runs after cancelling at run %d", len(f.calls), tc.cancelAt)
				}
			}
			if len(samples) != tc.samples {
				t.Fatalf("%d samples, want %d", len(samples), tc.samples)
			}
			failed := 0
			for _, s := range samples {
				if s.Err != "" {
					failed++
					if s.Chunks != "huge" || !strings.Contains(s.Err, "exceeds the input") {
						t.Errorf("unexpected failure %+v", s)
					}
				}
			}
			if failed != tc.failed {
				t.Errorf("%d failed samples, want %d", failed, tc.failed)
			}
		})
	}
}

func TestSweepCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := &fakeRun{}
	axes := lab.Axes{Workers: []int{1}, Locks: []string{"free"}, Chunks: []string{"256"}}
	samples, err := lab.Sweep(ctx, axes, f.run, nil)
	if !errors.Is(err, context.Canceled) || len(samples) != 0 || len(f.calls) != 0 {
		t.Errorf("err %v, %d samples, %d calls; want cancelled with no runs", err, len(samples), len(f.calls))
	}
}

func ExampleSweep() {
	axes, _ := lab.ParseAxes("1,2", "free,gil", "512", 2)
	run := func(ctx context.Context, p lab.Point) (lab.Sample, error) {
		wall := 100 * time.Millisecond / time.Duration(p.Workers) // free scales...
		if p.Lock == "gil" {
			wall = 100 * time.Millisecond // ...the gil does not
		}
		return lab.Sample{Wall: wall}, nil
	}
	samples, _ := lab.Sweep(context.Background(), axes, run, nil)
	for _, r := range lab.Summarize(samples) {
		fmt.Printf("%-4s %d workers: %v, speedup %.1f\n", r.Lock, r.Workers, r.Wall, r.Speedup)
	}
	// Output:
	// free 1 workers: 100ms, speedup 1.0
	// free 2 workers: 50ms, speedup 2.0
	// gil  1 workers: 100ms, speedup 1.0
	// gil  2 workers: 100ms, speedup 1.0
}
