package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"chunkpipe/chunk"
)

// TestFusedTableSameBits checks that a chain whose calibrate is folded
// together with the pointwise kernels after it into one table gives the
// bits of running the kernels one by one, for every 8- and 16-bit dtype,
// with and without _Unsigned, and with a stencil after the fused part.
func TestFusedTableSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	r := chunk.Rect(0, 0, 37, 41)
	for _, dt := range []chunk.DType{chunk.Int8, chunk.Uint8, chunk.Int16, chunk.Uint16} {
		for _, unsigned := range []bool{false, true} {
			for _, rest := range []string{"bt", "bt,blur:3", "bt,coarsen:2"} {
				t.Run(fmt.Sprintf("%v/unsigned=%v/%s", dt, unsigned, rest), func(t *testing.T) {
					p := withPlanck(nil)
					if dt.Size() == 1 {
						p.SetFloat("scale_factor", 0.5, SourceDefault)
						p.SetFloat("add_offset", 3, SourceDefault)
					}
					if unsigned {
						p.SetText("_Unsigned", "true", SourceDefault)
					}
					src := chunk.NewArray(dt, r)
					for i := range src.Data {
						src.Data[i] = byte(rng.Uint32())
					}
					fusedChain := mustChain(t, "calibrate,"+rest, p)
					if fusedChain.fusedN != 2 {
						t.Fatalf("fusedN = %d, want 2", fusedChain.fusedN)
					}
					got := whole(t, fusedChain, src)
					// Unfused: calibrate alone, then the rest on its float32 output.
					rad := whole(t, mustChain(t, "calibrate", p), src)
					want := whole(t, mustChain(t, rest, p), rad)
					sameBits(t, "fused vs unfused", got, want)
				})
			}
		}
	}
}
