//go:build goexperiment.simd && amd64

package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"chunkpipe/chunk"
)

// TestStreamStoreCopies checks that streamStore writes exactly what copy
// writes, and nothing outside dst[:len(src)], for every length up to a
// few cache lines past two blocks and every float32 alignment of dst and
// src within a cache line.
func TestStreamStoreCopies(t *testing.T) {
	const guard = 40
	buf := make([]float32, 512)
	src := make([]float32, 512)
	for i := range src {
		src[i] = float32(i) + 0.5
	}
	for n := 0; n <= 80; n++ {
		for dOff := range 16 {
			for _, sOff := range []int{0, 1, 7, 15} {
				for i := range buf {
					buf[i] = -1
				}
				dst := buf[guard+dOff:]
				streamStore(dst, src[sOff:sOff+n])
				storeFence()
				for i := range buf {
					want := float32(-1)
					if j := i - guard - dOff; j >= 0 && j < n {
						want = src[sOff+j]
					}
					if buf[i] != want {
						t.Fatalf("n=%d dst offset %d src offset %d: buf[%d] = %v, want %v", n, dOff, sOff, i, buf[i], want)
					}
				}
			}
		}
	}
}

// TestSIMDCalibrateStreamsLargeOutputs checks the streaming path of
// calibrate's vector loop (taken for outputs over streamStoreMinBytes)
// against the portable loop, bit for bit, writing into a view whose
// rows start at every float32 offset within a cache line, so the
// streamed middle, the ordinary head and tail, and the row ends all
// occur. Values outside the view must stay untouched.
func TestSIMDCalibrateStreamsLargeOutputs(t *testing.T) {
	needSIMD(t)
	const cols = 1037 // rows start at every offset modulo 16 floats
	rows := streamStoreMinBytes/(4*cols) + 2
	out := chunk.Rect(0, 3, rows, 3+cols)
	if 4*out.Len() <= streamStoreMinBytes {
		t.Fatalf("%v is too small to stream", out)
	}
	k, err := ParseKernel("calibrate", simdParams())
	if err != nil {
		t.Fatal(err)
	}
	src := simdInput(t, rand.New(rand.NewPCG(15, 2)), out, true)
	outer := chunk.Rect(0, 0, rows, cols+7)
	got := chunk.NewArray(chunk.Float32, outer)
	for i := range got.Float32s() {
		got.Float32s()[i] = -12345
	}
	want := chunk.NewArray(chunk.Float32, out)
	if err := k.Apply(got.Sub(out), src, NoPace); err != nil {
		t.Fatal(err)
	}
	portable(func() { err = k.Apply(want, src, NoPace) })
	if err != nil {
		t.Fatal(err)
	}
	for r := range rows {
		for c := range cols + 7 {
			g := got.Float32s()[got.Offset(r, c)]
			w := float32(-12345)
			if out.Contains(chunk.Rect(r, c, r+1, c+1)) {
				w = want.Float32s()[want.Offset(r, c)]
			}
			if math.Float32bits(g) != math.Float32bits(w) {
				t.Fatalf("(%d, %d): got %v (%#x), want %v (%#x)", r, c, g, math.Float32bits(g), w, math.Float32bits(w))
			}
		}
	}
}
