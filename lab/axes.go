package lab

import (
	"fmt"
	"strconv"
	"strings"
)

// Lock mode names a sweep accepts.
const (
	LockFree      = "free"
	LockGIL       = "gil"
	LockProcesses = "processes"
)

// KnownLocks returns the lock mode names a sweep accepts, in the order
// reports list them.
func KnownLocks() []string { return []string{LockFree, LockGIL, LockProcesses} }

// Point is one crossing of a sweep's axes.
type Point struct {
	Workers int    `json:"workers"` // kernel workers
	Lock    string `json:"lock"`    // "free", "gil" or "processes"
	Chunks  string `json:"chunks"`  // a chunk spec, as the run understands it
}

// String formats the point as "lock=gil/workers=4/chunks=512", the way
// benchmark names spell it.
func (p Point) String() string {
	return fmt.Sprintf("lock=%s/workers=%d/chunks=%s", p.Lock, p.Workers, p.Chunks)
}

// Axes are the values a sweep crosses, and how often it runs each point.
type Axes struct {
	Workers []int    // kernel worker counts, each positive
	Locks   []string // lock mode names (see KnownLocks)
	Chunks  []string // chunk specs, passed to the run function unparsed
	Repeat  int      // runs per point; 0 means 1
}

// ParseAxes parses comma-separated axis lists such as "1,2,4",
// "free,gil,processes" and "256,512,1024,auto". Spaces around items are
// ignored and lock names are case-insensitive. Every list must have at
// least one item, with no empty or repeated items; workers must be positive
// integers, locks known names, and repeat at least 1. Chunk specs are not
// parsed here: a spec the input cannot take fails that point's runs, not
// the sweep.
func ParseAxes(workers, locks, chunks string, repeat int) (Axes, error) {
	var a Axes
	ws, err := splitList("workers", workers)
	if err != nil {
		return Axes{}, err
	}
	for _, s := range ws {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return Axes{}, fmt.Errorf("lab: workers %q is not a positive integer", s)
		}
		a.Workers = append(a.Workers, n)
	}
	ls, err := splitList("locks", strings.ToLower(locks))
	if err != nil {
		return Axes{}, err
	}
	for _, l := range ls {
		if !known(l) {
			return Axes{}, fmt.Errorf("lab: unknown lock mode %q (want %s)", l, strings.Join(KnownLocks(), ", "))
		}
	}
	a.Locks = ls
	if a.Chunks, err = splitList("chunks", chunks); err != nil {
		return Axes{}, err
	}
	if repeat < 1 {
		return Axes{}, fmt.Errorf("lab: repeat %d: want at least 1", repeat)
	}
	a.Repeat = repeat
	return a, nil
}

// splitList splits a comma-separated list, rejecting empty lists and empty
// or repeated items.
func splitList(axis, s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("lab: no %s given", axis)
	}
	parts := strings.Split(s, ",")
	seen := make(map[string]bool, len(parts))
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			return nil, fmt.Errorf("lab: empty item in %s list %q", axis, s)
		}
		if seen[p] {
			return nil, fmt.Errorf("lab: %s %q listed twice", axis, p)
		}
		seen[p] = true
		parts[i] = p
	}
	return parts, nil
}

// known reports whether l is a known lock mode name.
func known(l string) bool {
	for _, k := range KnownLocks() {
		if l == k {
			return true
		}
	}
	return false
}

// Points returns every crossing of the axes: locks outermost, then chunk
// specs, then worker counts, each in the order given. Summaries keep this
// order, so a table reads as one block of worker counts per lock and chunk
// spec.
func (a Axes) Points() []Point {
	pts := make([]Point, 0, len(a.Locks)*len(a.Chunks)*len(a.Workers))
	for _, l := range a.Locks {
		for _, c := range a.Chunks {
			for _, w := range a.Workers {
				pts = append(pts, Point{Workers: w, Lock: l, Chunks: c})
			}
		}
	}
	return pts
}
