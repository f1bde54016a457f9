package plan_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/plan"
)

// A histogram without limits gets the data's range from a first stats
// pass, and a reduction's result goes to its JSON file on success.
func TestHistogramRangeAndResult(t *testing.T) {
	in := granule(t, filepath.Join(t.TempDir(), "scan.nc"), chunk.Shape{Rows: 96, Cols: 128})
	stats := run(t, plan.Request{Inputs: []string{in}, Kernels: "calibrate,stats"})
	res := filepath.Join(mkdir(t, "out"), "hist.json")
	p := build(t, plan.Request{Inputs: []string{in}, Kernels: "calibrate,histogram:16", Output: res})
	rep, err := p.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	st := stats.Jobs[0].Report.Result
	h := rep.Result
	if h == nil || len(h.Edges) != 17 {
		t.Fatalf("histogram result %+v, want 16 bins", h)
	}
	if h.Edges[0] != st.Values["min"] || h.Edges[16] != st.Values["max"] {
		t.Errorf("histogram range [%v, %v], want the data's [%v, %v]", h.Edges[0], h.Edges[16], st.Values["min"], st.Values["max"])
	}
	var n int64
	for _, c := range h.Counts {
		n += c
	}
	if n != int64(st.Values["count"]) {
		t.Errorf("histogram counts %d values, stats %v", n, st.Values["count"])
	}
	b, err := os.ReadFile(res)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Name   string    `json:"name"`
		Edges  []float64 `json:"edges"`
		Counts []int64   `json:"counts"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.Name != h.Name || len(doc.Counts) != 16 {
		t.Errorf("result file %s: %+v, %v", b, doc, err)
	}
}

// A histogram without limits after band math takes its range from the
// expression's values too: the range pass reuses the chain's kernels
// (a band-math kernel has no text to parse again), and agrees with the
// same expression written out and ended in stats.
func TestHistogramRangeAfterBandMath(t *testing.T) {
	in := granule(t, filepath.Join(t.TempDir(), "scan.nc"), chunk.Shape{Rows: 80, Cols: 96})
	bands := []plan.Band{{Name: "a", Path: in}}
	stats := run(t, plan.Request{Bands: bands, Expr: "calibrate(a) * 2", Kernels: "stats", Output: filepath.Join(mkdir(t, "s"), "s.json")})
	hist := run(t, plan.Request{Bands: bands, Expr: "calibrate(a) * 2", Kernels: "histogram:8", Output: filepath.Join(mkdir(t, "h"), "h.json")})
	st, h := stats.Jobs[0].Report.Result, hist.Jobs[0].Report.Result
	if h == nil || len(h.Edges) != 9 || h.Edges[0] != st.Values["min"] || h.Edges[8] != st.Values["max"] {
		t.Fatalf("histogram %+v, want 8 bins over the stats' [%v, %v]", h, st.Values["min"], st.Values["max"])
	}
}
