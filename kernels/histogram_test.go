package kernels

import (
	"math"
	"testing"

	"chunkpipe/chunk"
)

func TestHistogramBins(t *testing.T) {
	h, err := NewHistogram(4, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	p := h.NewPartial()
	vals := []float32{0, 0.25, 0.2499999, 0.5, 0.75, 1, 1.0000001, -0.0000001, nan32, inf32, -inf32, 0.99}
	p.Add(f32Array(t, chunk.Rect(0, 0, 2, 6), vals...), NoPace)
	r := p.Result()
	// numpy.histogram(vals, 4, (0, 1)): [0,.25) [.25,.5) [.5,.75) [.75,1]
	want := []int64{2, 1, 1, 3}
	for i, w := range want {
		if r.Counts[i] != w {
			t.Errorf("bin %d = %d, want %d (counts %v)", i, r.Counts[i], w, r.Counts)
		}
	}
	wantV := map[string]float64{"count": 7, "nan_count": 1, "below": 2, "above": 2}
	for k, w := range wantV {
		if r.Values[k] != w {
			t.Errorf("%s = %v, want %v", k, r.Values[k], w)
		}
	}
	if len(r.Edges) != 5 || r.Edges[0] != 0 || r.Edges[2] != 0.5 || r.Edges[4] != 1 {
		t.Errorf("edges %v", r.Edges)
	}
	if r.Name != "histogram:4:0:1" {
		t.Errorf("name %q", r.Name)
	}
}

// TestHistogramEdgeValues checks that every value sits between its bin's
// edges (the correction steps numpy applies after the division).
func TestHistogramEdgeValues(t *testing.T) {
	h, _ := NewHistogram(10, -3.3, 7.1)
	r := h.NewPartial()
	var vals []float32
	for _, e := range []float64{-3.3, -2.26, -1.22, -0.18, 0.86, 1.9, 2.94, 3.98, 5.02, 6.06, 7.1} {
		x := float32(e)
		vals = append(vals, x, math.Nextafter32(x, -10), math.Nextafter32(x, 10))
	}
	r.Add(f32Array(t, chunk.Rect(0, 0, 1, len(vals)), vals...), NoPace)
	res := r.Result()
	edges := res.Edges
	// Recount by brute force against the edges.
	want := make([]int64, 10)
	var below, above int64
	for _, x32 := range vals {
		x := float64(x32)
		switch {
		case x < edges[0]:
			below++
		case x > edges[10]:
			above++
		case x == edges[10]:
			want[9]++
		default:
			for i := 0; i < 10; i++ {
				if x >= edges[i] && x < edges[i+1] {
					want[i]++
				}
			}
		}
	}
	for i := range want {
		if res.Counts[i] != want[i] {
			t.Errorf("bin %d = %d, want %d", i, res.Counts[i], want[i])
		}
	}
	if res.Values["below"] != float64(below) || res.Values["above"] != float64(above) {
		t.Errorf("below %v above %v, want %d %d", res.Values["below"], res.Values["above"], below, above)
	}
}

func TestHistogramRangeSetter(t *testing.T) {
	h, err := NewHistogramAuto(3)
	if err != nil {
		t.Fatal(err)
	}
	var rs RangeSetter = h
	if !rs.NeedsRange() || h.Name() != "histogram:3" {
		t.Fatalf("NeedsRange %v name %q", rs.NeedsRange(), h.Name())
	}
	early := h.NewPartial()
	early.Add(f32Array(t, chunk.Rect(0, 0, 1, 3), 1, nan32, 2), NoPace)
	if r := early.Result(); r.Values["unbinned"] != 2 || r.Values["nan_count"] != 1 {
		t.Errorf("partial before SetRange: %v", r.Values)
	}
	rs.SetRange(5, 5)
	if rs.NeedsRange() || h.Name() != "histogram:3:4.5:5.5" {
		t.Errorf("after SetRange(5,5): NeedsRange %v name %q", rs.NeedsRange(), h.Name())
	}
	rs.SetRange(math.NaN(), math.NaN())
	if h.Name() != "histogram:3:0:1" {
		t.Errorf("after SetRange(NaN,NaN): %q", h.Name())
	}
	rs.SetRange(2, -1)
	if h.Name() != "histogram:3:-1:2" {
		t.Errorf("after SetRange(2,-1): %q", h.Name())
	}
}

func TestHistogramMergeMismatchPanics(t *testing.T) {
	a, _ := NewHistogram(4, 0, 1)
	b, _ := NewHistogram(5, 0, 1)
	defer func() {
		if recover() == nil {
			t.Error("merging different layouts did not panic")
		}
	}()
	a.NewPartial().Merge(b.NewPartial())
}
