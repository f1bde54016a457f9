package cluster

import (
	"encoding/json"
	"fmt"
	"testing"

	"chunkpipe/chunk"
)

// TestJobCacheKeepsJobInUse opens more jobs than the worker keeps: each
// new job stays cached (it is the most recent), the least recently used
// idle ones are closed, and a job in use is never evicted.
func TestJobCacheKeepsJobInUse(t *testing.T) {
	in := synthInput(t, t.TempDir(), 64, ".npy", nil)
	g, _ := chunk.NewGrid(chunk.Shape{Rows: 64, Cols: 64}, chunk.Shape{Rows: 32, Cols: 32})
	raw, err := json.Marshal(&spec{Input: Input{Path: in}, Chain: "stats", Grid: g})
	if err != nil {
		t.Fatal(err)
	}
	w := &worker{jobs: map[string]*jobEntry{}}
	held, err := w.job(&task{Job: "held"}, raw) // in use throughout
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 * maxCachedJobs {
		id := fmt.Sprintf("job%d", i)
		e, err := w.job(&task{Job: id}, raw)
		if err != nil {
			t.Fatal(err)
		}
		w.release(e)
		if w.jobs[id] != e {
			t.Fatalf("job %s was evicted as it was opened", id)
		}
		if w.jobs["held"] != held {
			t.Fatal("a job in use was evicted")
		}
		if len(w.jobs) > maxCachedJobs+1 {
			t.Fatalf("%d jobs cached, want at most %d", len(w.jobs), maxCachedJobs+1)
		}
	}
	w.release(held)
	w.closeJobs()
}
