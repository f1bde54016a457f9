package lab_test

import (
	"math"
	"testing"
	"time"

	"chunkpipe/lab"
)

// smp makes a sample of a point with the given wall time in milliseconds.
func smp(workers int, lock, chunks string, wallMs float64) lab.Sample {
	return lab.Sample{
		Point: lab.Point{Workers: workers, Lock: lock, Chunks: chunks},
		Wall:  time.Duration(wallMs * float64(time.Millisecond)),
	}
}

// with sets a sample's other measurements.
func with(s lab.Sample, mbps float64, rss int64, waitMs float64, copied int64) lab.Sample {
	s.MBps, s.PeakRSS, s.BytesCopied = mbps, rss, copied
	s.LockWait = time.Duration(waitMs * float64(time.Millisecond))
	return s
}

// failed makes a failed sample.
func failed(workers int, lock, chunks, msg string) lab.Sample {
	return lab.Sample{Point: lab.Point{Workers: workers, Lock: lock, Chunks: chunks}, Err: msg}
}

func TestSummarize(t *testing.T) {
	samples := []lab.Sample{
		// free/256: 1 worker median 100 (odd count), 4 workers median 30 (even).
		with(smp(1, "free", "256", 120), 10, 1000, 0, 7),
		with(smp(1, "free", "256", 100), 30, 3000, 0, 9),
		with(smp(1, "free", "256", 90), 20, 2000, 0, 8),
		with(smp(4, "free", "256", 20), 100, 4000, 1, 0),
		with(smp(4, "free", "256", 40), 60, 6000, 3, 1),
		failed(4, "free", "256", "out of memory"),
		// gil/256 has no one-worker point: no speedup.
		with(smp(2, "gil", "256", 50), 40, 10, 25, 0),
		// gil/auto failed everywhere.
		failed(1, "gil", "auto", "first"),
		failed(1, "gil", "auto", "second"),
		// free/512 has a one-worker point that failed: no speedup.
		failed(1, "free", "512", "chunk larger than input"),
		smp(2, "free", "512", 10),
	}
	rows := lab.Summarize(samples)
	type want struct {
		point               lab.Point
		n, failed           int
		err                 string
		wall, minW, maxW    time.Duration
		mbps                float64
		rss, copied         int64
		wait                time.Duration
		speedup, efficiency float64
	}
	ms := time.Millisecond
	wants := []want{
		{point: lab.Point{Workers: 1, Lock: "free", Chunks: "256"}, n: 3, wall: 100 * ms, minW: 90 * ms, maxW: 120 * ms,
			mbps: 20, rss: 2000, copied: 8, speedup: 1, efficiency: 1},
		{point: lab.Point{Workers: 4, Lock: "free", Chunks: "256"}, n: 2, failed: 1, err: "out of memory",
			wall: 30 * ms, minW: 20 * ms, maxW: 40 * ms, mbps: 80, rss: 5000, wait: 2 * ms, copied: 0,
			speedup: 100.0 / 30, efficiency: 100.0 / 30 / 4},
		{point: lab.Point{Workers: 2, Lock: "gil", Chunks: "256"}, n: 1, wall: 50 * ms, minW: 50 * ms, maxW: 50 * ms,
			mbps: 40, rss: 10, wait: 25 * ms},
		{point: lab.Point{Workers: 1, Lock: "gil", Chunks: "auto"}, failed: 2, err: "first"},
		{point: lab.Point{Workers: 1, Lock: "free", Chunks: "512"}, failed: 1, err: "chunk larger than input"},
		{point: lab.Point{Workers: 2, Lock: "free", Chunks: "512"}, n: 1, wall: 10 * ms, minW: 10 * ms, maxW: 10 * ms},
	}
	if len(rows) != len(wants) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(wants), rows)
	}
	for i, w := range wants {
		r := rows[i]
		if r.Point != w.point || r.N != w.n || r.Failed != w.failed || r.Err != w.err {
			t.Errorf("row %d: point %v n %d failed %d err %q; want %v %d %d %q", i, r.Point, r.N, r.Failed, r.Err, w.point, w.n, w.failed, w.err)
		}
		if r.Wall != w.wall || r.MinWall != w.minW || r.MaxWall != w.maxW {
			t.Errorf("row %d (%v): wall %v [%v, %v], want %v [%v, %v]", i, r.Point, r.Wall, r.MinWall, r.MaxWall, w.wall, w.minW, w.maxW)
		}
		if r.MBps != w.mbps || r.PeakRSS != w.rss || r.BytesCopied != w.copied || r.LockWait != w.wait {
			t.Errorf("row %d (%v): MB/s %g rss %d copied %d wait %v; want %g %d %d %v", i, r.Point, r.MBps, r.PeakRSS, r.BytesCopied, r.LockWait, w.mbps, w.rss, w.copied, w.wait)
		}
		if math.Abs(r.Speedup-w.speedup) > 1e-12 || math.Abs(r.Efficiency-w.efficiency) > 1e-12 {
			t.Errorf("row %d (%v): speedup %g efficiency %g, want %g %g", i, r.Point, r.Speedup, r.Efficiency, w.speedup, w.efficiency)
		}
	}
}

func TestSummarizeMedian(t *testing.T) {
	tests := []struct {
		name  string
		walls []float64 // ms
		want  time.Duration
	}{
		{"one", []float64{7}, 7 * time.Millisecond},
		{"odd, unsorted", []float64{9, 1, 5}, 5 * time.Millisecond},
		{"even, unsorted", []float64{4, 1, 3, 2}, 2500 * time.Microsecond},
		{"even, outlier", []float64{10, 11, 1000, 12}, 11500 * time.Microsecond},
		{"even, rounds down to the nanosecond", []float64{0.000001, 0.000002}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var samples []lab.Sample
			for _, w := range tc.walls {
				samples = append(samples, smp(1, "free", "auto", w))
			}
			rows := lab.Summarize(samples)
			if len(rows) != 1 || rows[0].Wall != tc.want {
				t.Fatalf("rows %+v, want one row with median %v", rows, tc.want)
			}
		})
	}
}
