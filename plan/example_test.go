package plan_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"chunkpipe/chunk"
	"chunkpipe/plan"
)

// A request for the statistics of a raw 64x48 int16 file of sevens in strips of 16 rows: Build
// opens it and lays the grid, Run runs the job, Close releases the file.
func Example() {
	dir, _ := os.MkdirTemp("", "plan-example")
	defer os.RemoveAll(dir)
	raw := filepath.Join(dir, "sevens.raw")
	data := make([]byte, 64*48*2)
	for i := 0; i < len(data); i += 2 {
		data[i] = 7 // little-endian int16 7
	}
	os.WriteFile(raw, data, 0o644)

	strips := chunk.Spec{Kind: chunk.SpecShape, Rows: 16, Cols: chunk.Full}
	p, err := plan.Build(plan.Request{Inputs: []string{raw + ":int16:64x48"}, Kernels: "stats", Engine: plan.Engine{Chunks: strips}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	rep, err := p.Run(context.Background(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rep.Result
	fmt.Printf("%d job, %d chunks: count=%v min=%v max=%v\n", len(p.Jobs), p.Chunks(), r.Values["count"], r.Values["min"], r.Values["max"])
	// Output: 1 job, 4 chunks: count=3072 min=7 max=7
}
