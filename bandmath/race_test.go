//go:build race

package bandmath

// raceEnabled reports whether the race detector is on: it makes sync.Pool
// drop items at random, so allocation counts are checked without it.
const raceEnabled = true
