package chunk

import "testing"

// DTypes lists every valid type once, in order, each with a size.
func TestDTypes(t *testing.T) {
	ts := DTypes()
	if len(ts) != 10 || ts[0] != Int8 || ts[len(ts)-1] != Float64 {
		t.Fatalf("DTypes() = %v", ts)
	}
	for i, d := range ts {
		if d.Size() == 0 || (i > 0 && d <= ts[i-1]) {
			t.Errorf("DTypes()[%d] = %v", i, d)
		}
	}
}
