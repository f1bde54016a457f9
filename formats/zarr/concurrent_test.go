package zarr

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// TestConcurrentReads reads random regions of one Reader from many
// goroutines (run under -race) and checks each against the source data.
func TestConcurrentReads(t *testing.T) {
	for _, compress := range []string{"zstd", "zlib", "blosc"} {
		t.Run(compress, func(t *testing.T) {
			t.Parallel()
			shape := chunk.Shape{Rows: 120, Cols: 90}
			src := randomArray(chunk.Float32, shape.Bounds(), 11)
			path := filepath.Join(t.TempDir(), "c.zarr")
			writeStore(t, path, src, chunk.Shape{Rows: 32, Cols: 25}, map[string]string{"compress": compress}, nil)
			r, err := Open(path, formats.OpenOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := arrayBytes(src)
			var wg sync.WaitGroup
			errs := make(chan error, 8)
			for g := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rng := rand.New(rand.NewPCG(uint64(g), 3))
					for range 50 {
						r0, c0 := rng.IntN(shape.Rows), rng.IntN(shape.Cols)
						reg := chunk.Rect(r0, c0, r0+1+rng.IntN(shape.Rows-r0), c0+1+rng.IntN(shape.Cols-c0))
						dst := chunk.NewArray(chunk.Float32, reg)
						if err := r.ReadRegion(context.Background(), reg, dst); err != nil {
							errs <- err
							return
						}
						if d := diff(arrayBytes(dst), subBytes(want, shape.Cols, 4, reg), 4, reg.Cols()); d != "" {
							errs <- fmt.Errorf("region %v: %s", reg, d)
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}
