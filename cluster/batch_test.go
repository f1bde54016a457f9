package cluster

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"chunkpipe/chunk"
)

// TestBatch runs a batch of three files, one with a corrupt chunk: the two
// good ones give the local run's results, the bad one fails alone with its
// chunk named.
func TestBatch(t *testing.T) {
	dir := t.TempDir()
	good := synthJob(t, dir)
	good.Chain = "blur:3,stats"
	abi := abiJob(t)
	abi.Chain = "calibrate,bt,stats"
	in := synthInput(t, t.TempDir(), 256, ".zarr", map[string]string{"compress": "zlib"})
	if err := writeFile(filepath.Join(in, "data", "0.1"), []byte("garbage")); err != nil {
		t.Fatal(err)
	}
	g, _ := chunk.NewGrid(chunk.Shape{Rows: 256, Cols: 256}, chunk.Shape{Rows: 128, Cols: 128})
	poison := Job{Input: Input{Path: in}, Chain: "stats", Grid: g}

	l := startLocal(t, 2, envNakDelay+"=20ms")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var counted atomic.Int64
	res, err := RunBatch(ctx, []Job{good, poison, abi}, BatchOptions{Options: Options{URL: l.URL(), MaxDeliver: 2, OnChunk: func(int, int, int64) { counted.Add(1) }}, Concurrent: 2})
	var cf *ChunkFailedError
	if !errors.As(err, &cf) || cf.Chunk != 1 || res[1].Err == nil {
		t.Fatalf("batch error %v, want the poisoned file's chunk 1", err)
	}
	for _, i := range []int{0, 2} {
		if res[i].Err != nil {
			t.Fatalf("%s: %v", res[i].Job.Input.Path, res[i].Err)
		}
		sameResult(t, localRun(t, res[i].Job).Result, res[i].Report.Result)
	}
	if n := int(counted.Load()); n < good.Grid.Len()+abi.Grid.Len() {
		t.Errorf("progress counted %d chunks, want at least %d", n, good.Grid.Len()+abi.Grid.Len())
	}
}
