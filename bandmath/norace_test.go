//go:build !race

package bandmath

// raceEnabled reports whether the race detector is on.
const raceEnabled = false
