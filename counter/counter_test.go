package counter

import (
	"runtime"
	"testing"
)

// Without a lock updates are lost, on one core or many (the racy worker
// yields between load and store every SwitchEvery increments, so the other
// worker's increments in between are overwritten); with a lock or an
// atomic add none are. Before the yield, a busy second core could leave
// the two workers running one after the other and losing nothing.
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
	for _, procs := range []int{1, workers} {
		prev := runtime.GOMAXPROCS(procs)
		r, err := Run(LoadStore, workers, 100000)
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		if r.Got > r.Expected || r.Got <= 0 {
			t.Fatalf("impossible count %d of %d", r.Got, r.Expected)
		}
		if r.Lost == 0 {
			t.Errorf("the load-then-store counter lost no update with GOMAXPROCS %d", procs)
		}
	}
	if _, err := Run("bogus", 1, 1); err == nil {
		t.Error("unknown method accepted")
	}
}
