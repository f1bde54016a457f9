package counter

import (
	"runtime"
	"testing"
)

// Without a lock updates are lost (with 2+ cores, given enough increments);
// with a lock or an atomic add none are.
func TestLostUpdates(t *testing.T) {
	workers := max(2, runtime.GOMAXPROCS(0))
	for _, m := range []Method{Mutex, AtomicAdd} {
		r, err := Run(m, workers, 200000)
		if err != nil {
			t.Fatal(err)
		}
		if r.Lost != 0 || r.Got != r.Expected {
			t.Errorf("%s lost %d updates", m, r.Lost)
		}
	}
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("lost updates need two cores running at once")
	}
	var lost int64
	for try := 0; try < 5 && lost == 0; try++ {
		r, err := Run(LoadStore, workers, 500000)
		if err != nil {
			t.Fatal(err)
		}
		lost = r.Lost
		if r.Got > r.Expected || r.Got <= 0 {
			t.Fatalf("impossible count %d of %d", r.Got, r.Expected)
		}
	}
	if lost == 0 {
		t.Error("the load-then-store counter lost no update in 5 tries on a multi-core machine")
	}
	if _, err := Run("bogus", 1, 1); err == nil {
		t.Error("unknown method accepted")
	}
}
