package lab

import "fmt"

// Recommend picks the chunk spec to use: among the successful rows of lock
// mode "free" (or, when no free run succeeded, of the first lock mode in
// rows) at that mode's largest worker count, the one with the lowest median
// wall time. gainOverAuto is how much faster it is than the chunk spec
// named auto at the same lock mode and worker count,
//
//	gainOverAuto = median wall(auto) / median wall(best)
//
// so 1.25 means auto takes 25% longer, and 1 means auto is the best. It is
// 0 when auto has no successful run there. ok is false when there is no
// successful row to choose from. See [RecommendFor] to name the lock mode.
func Recommend(rows []Row, auto string) (best Row, gainOverAuto float64, ok bool) {
	lock := ""
	for _, r := range rows {
		if r.N == 0 {
			continue
		}
		if r.Lock == LockFree {
			lock = LockFree
			break
		}
		if lock == "" {
			lock = r.Lock
		}
	}
	return RecommendFor(rows, lock, auto)
}

// RecommendFor is [Recommend] for the given lock mode. Ties go to the row
// that comes first.
func RecommendFor(rows []Row, lock, auto string) (best Row, gainOverAuto float64, ok bool) {
	w := maxWorkers(rows, lock)
	var autoRow Row
	for _, r := range rows {
		if r.Lock != lock || r.Workers != w || r.N == 0 {
			continue
		}
		if !ok || r.Wall < best.Wall {
			best, ok = r, true
		}
		if r.Chunks == auto {
			autoRow = r
		}
	}
	if !ok {
		return Row{}, 0, false
	}
	if autoRow.N > 0 && best.Wall > 0 {
		gainOverAuto = float64(autoRow.Wall) / float64(best.Wall)
	}
	return best, gainOverAuto, true
}

// RecommendText runs [Recommend] and says what it found in one sentence,
// for the end of a bench report.
func RecommendText(rows []Row, auto string) string {
	best, gain, ok := Recommend(rows, auto)
	if !ok {
		return "no successful runs to recommend a chunk spec from"
	}
	at := fmt.Sprintf("with lock %s at %d workers", best.Lock, best.Workers)
	what := fmt.Sprintf("median %.3fs, %.1f MB/s", best.Wall.Seconds(), best.MBps)
	switch {
	case best.Chunks == auto:
		return fmt.Sprintf("%s: chunks %s is already the fastest (%s)", at, auto, what)
	case gain == 0:
		return fmt.Sprintf("%s: use chunks %s (%s); %s was not measured there", at, best.Chunks, what, auto)
	case gain < 1.005:
		return fmt.Sprintf("%s: chunks %s (%s) is as fast as %s (within 0.5%%)", at, best.Chunks, what, auto)
	}
	return fmt.Sprintf("%s: use chunks %s (%s), %.2fx faster than %s (%.0f%% less time)",
		at, best.Chunks, what, gain, auto, 100*(1-1/gain))
}
