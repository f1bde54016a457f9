package kernels

import (
	"fmt"
	"math"
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

// TestCoarsenSpecialBlocks averages blocks built to catch a vector path
// that skips NaN values differently from the portable loop (by adding +0)
// or adds in another order: all -0 (the mean is +0), -0 and NaN, all NaN,
// +Inf and -Inf, a sum that cancels only in row-major order, subnormals,
// one valid value. Each kind sits at every position of the 8-block
// vectors and in the scalar tail; the vector and portable paths must
// give the same bits, and the expected means where they are known.
func TestCoarsenSpecialBlocks(t *testing.T) {
	negZero := float32(math.Copysign(0, -1))
	kinds := []struct {
		name string
		val  func(k, nn int) float32 // the block's k-th value in row-major order, of nn
		want float32                 // the expected mean, where bits is true
		bits bool
	}{
		{"all -0", func(k, nn int) float32 { return negZero }, 0, true},
		{"-0 and NaN", func(k, nn int) float32 { return [2]float32{nan32, negZero}[k%2] }, 0, true},
		{"all NaN", func(k, nn int) float32 { return nan32 }, mean32(0, 0), true},
		{"+Inf -Inf", func(k, nn int) float32 { return [3]float32{inf32, -inf32, nan32}[min(k, 2)] }, 0, false},
		{"cancels in order", func(k, nn int) float32 {
			return [4]float32{1e30, 1, -1e30, 1}[k%4] * float32(1-k/4%2*2)
		}, 0, false},
		{"subnormal", func(k, nn int) float32 { return math.SmallestNonzeroFloat32 * float32(k+1) }, 0, false},
		{"one valid", func(k, nn int) float32 {
			if k == nn-1 {
				return 3
			}
			return nan32
		}, 3, true},
	}
	defer simdOn.Store(true)
	for _, n := range []int{2, 4} {
		k, err := NewCoarsen(n)
		if err != nil {
			t.Fatal(err)
		}
		const blocks = 19 // two vectors of 8 and a tail of 3
		for kind := range kinds {
			out := chunk.Rect(0, 0, 1, blocks)
			src := chunk.NewArray(chunk.Float32, out.Scale(n))
			v := src.Float32s()
			kindOf := func(j int) int { return (kind + j) % len(kinds) }
			for j := range blocks {
				for e := range n * n {
					v[(e/n)*blocks*n+j*n+e%n] = kinds[kindOf(j)].val(e, n*n)
				}
			}
			var res [2]*chunk.Array
			for i, on := range []bool{false, true} {
				simdOn.Store(on)
				res[i] = chunk.NewArray(chunk.Float32, out)
				if err := k.Apply(res[i], src, NoPace); err != nil {
					t.Fatal(err)
				}
			}
			sameBits(t, fmt.Sprintf("coarsen:%d, kinds from %q: vector vs portable", n, kinds[kind].name), res[1], res[0])
			for j, got := range res[1].Float32s() {
				kd := kinds[kindOf(j)]
				if kd.bits && math.Float32bits(got) != math.Float32bits(kd.want) {
					t.Errorf("coarsen:%d block %d (%s): %v (%#08x), want %v (%#08x)", n, j, kd.name, got, math.Float32bits(got), kd.want, math.Float32bits(kd.want))
				}
			}
		}
	}
}
