package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"chunkpipe/chunk"
)

// TestCoarsenTableSameBits checks coarsen's table path (applyTable: raw
// 16-bit counts looked up and averaged in one pass) against the portable
// apply on the looked-up float32 values, bit for bit, with the vector
// paths on and off (the same in builds without them), for factors 1 to 5,
// on a table of moderate values and on one of wild values (NaN, ±Inf, ±0,
// subnormals, 1e30), at several widths and column offsets of a strided
// input.
func TestCoarsenTableSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 5))
	defer simdOn.Store(true)
	for _, wild := range []bool{false, true} {
		tab := randFloat32s(rng, 1<<16, wild)
		for n := 1; n <= 5; n++ {
			k, err := NewCoarsen(n)
			if err != nil {
				t.Fatal(err)
			}
			for _, cols := range []int{1, 7, 8, 9, 17, 40} {
				for _, c0 := range []int{0, 3} {
					out := chunk.Rect(1, c0, 4, c0+cols)
					in := out.Scale(n).Grow(1)
					raw := i16Array(t, in, randCounts(rng, in.Len(), -32768, 32767))
					vals := make([]float32, in.Len())
					for i, x := range chunk.Elems[int16](raw) {
						vals[i] = tab[uint16(x)]
					}
					rad := f32Array(t, in, vals...)
					want := chunk.NewArray(chunk.Float32, out)
					simdOn.Store(false)
					if err := k.Apply(want, rad, NoPace); err != nil {
						t.Fatal(err)
					}
					for _, on := range []bool{false, true} {
						simdOn.Store(on)
						got := chunk.NewArray(chunk.Float32, out)
						if err := k.applyTable(got, raw, tab, NoPace, NewScratch()); err != nil {
							t.Fatal(err)
						}
						if !sameBits(t, fmt.Sprintf("coarsen:%d wild=%v vector=%v over %v", n, wild, on, out), got, want) {
							return
						}
					}
				}
			}
		}
	}
}
