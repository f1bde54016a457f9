package lab

import (
	"slices"
	"time"
)

// Row summarizes the samples of one point. Medians are over the successful
// runs only; a point whose runs all failed has N 0, zero measurements and
// the first failure in Err.
type Row struct {
	Point
	N           int           `json:"n"`             // successful runs
	Failed      int           `json:"failed"`        // failed runs
	Err         string        `json:"err,omitempty"` // the first failure's message
	Wall        time.Duration `json:"wall_ns"`       // median wall-clock time
	MinWall     time.Duration `json:"min_wall_ns"`   // fastest run
	MaxWall     time.Duration `json:"max_wall_ns"`   // slowest run
	MBps        float64       `json:"mbps"`          // median throughput, 10^6 bytes per second
	PeakRSS     int64         `json:"peak_rss"`      // median peak resident set size, bytes
	LockWait    time.Duration `json:"lock_wait_ns"`  // median total lock wait
	BytesCopied int64         `json:"bytes_copied"`  // median bytes copied
	Speedup     float64       `json:"speedup"`       // see Summarize; 0 if unknown
	Efficiency  float64       `json:"efficiency"`    // Speedup / Workers; 0 if unknown
}

// Summarize folds samples into one row per point, in the order each point
// first appears (for a [Sweep], the order of [Axes.Points]). Besides the
// medians it fills in, for a point p with a usable one-worker point of the
// same lock mode and chunk spec,
//
//	Speedup    = median wall(lock, chunks, 1 worker) / median wall(p)
//	Efficiency = Speedup / p.Workers
//
// Both are 0 when that one-worker point is missing or has no successful
// run, or p has none.
func Summarize(samples []Sample) []Row {
	var order []Point
	groups := make(map[Point][]Sample)
	for _, s := range samples {
		if _, ok := groups[s.Point]; !ok {
			order = append(order, s.Point)
		}
		groups[s.Point] = append(groups[s.Point], s)
	}
	rows := make([]Row, len(order))
	byPoint := make(map[Point]*Row, len(order))
	for i, p := range order {
		rows[i] = summarizePoint(p, groups[p])
		byPoint[p] = &rows[i]
	}
	for i := range rows {
		r := &rows[i]
		base, ok := byPoint[Point{Workers: 1, Lock: r.Lock, Chunks: r.Chunks}]
		if !ok || base.N == 0 || r.N == 0 || r.Wall <= 0 {
			continue
		}
		r.Speedup = float64(base.Wall) / float64(r.Wall)
		r.Efficiency = r.Speedup / float64(r.Workers)
	}
	return rows
}

// summarizePoint computes the medians of one point's samples.
func summarizePoint(p Point, samples []Sample) Row {
	r := Row{Point: p}
	var wall, wait []time.Duration
	var mbps []float64
	var rss, copied []int64
	for _, s := range samples {
		if s.Err != "" {
			if r.Failed == 0 {
				r.Err = s.Err
			}
			r.Failed++
			continue
		}
		r.N++
		wall = append(wall, s.Wall)
		wait = append(wait, s.LockWait)
		mbps = append(mbps, s.MBps)
		rss = append(rss, s.PeakRSS)
		copied = append(copied, s.BytesCopied)
	}
	if r.N == 0 {
		return r
	}
	r.Wall, r.LockWait = median(wall), median(wait)
	r.MinWall, r.MaxWall = slices.Min(wall), slices.Max(wall)
	r.MBps = median(mbps)
	r.PeakRSS, r.BytesCopied = median(rss), median(copied)
	return r
}

// number is what median works on.
type number interface {
	~int64 | ~float64
}

// median returns the middle value of xs, or the mean of the two middle
// values when len(xs) is even (rounded down for integers). It sorts
// a copy; xs must not be empty.
func median[T number](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	a, b := s[n/2-1], s[n/2]
	return a + (b-a)/2
}
