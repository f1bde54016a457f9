package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"chunkpipe/chunk"
)

// tiles lays a grid with chunk shape ch (rounded up to multiples of f, as
// the pipeline does) over shape and returns the chunk regions in
// row-major order.
func tiles(shape, ch chunk.Shape, f int) []chunk.Region {
	ch.Rows = (ch.Rows + f - 1) / f * f
	ch.Cols = (ch.Cols + f - 1) / f * f
	g, _ := chunk.NewGrid(shape, ch)
	var out []chunk.Region
	for n := 0; n < g.Len(); n++ {
		out = append(out, g.Region(g.Index(n)))
	}
	return out
}

// chunked runs c over every chunk of the grid, each reading a strided
// view of InputRegion from the whole input and writing a strided view of
// the whole output, with one Scratch reused across chunks.
func chunked(t *testing.T, c *Chain, in *chunk.Array, ch chunk.Shape) *chunk.Array {
	t.Helper()
	shape := in.Rect.Shape()
	out := chunk.NewArray(c.OutDType(in.DType), c.OutputShape(shape).Bounds())
	// Fill with a sentinel so unwritten elements are caught.
	for i := range out.Data {
		out.Data[i] = 0xA5
	}
	s := NewScratch()
	for _, r := range tiles(shape, ch, c.Factor()) {
		o := c.OutputRegion(r)
		if o.Empty() {
			continue
		}
		src := in.Sub(c.InputRegion(o, shape))
		if err := c.Apply(out.Sub(o), src, shape, NoPace, s); err != nil {
			t.Fatalf("%v chunk %v: %v", c, r, err)
		}
	}
	return out
}

var propKernels = []string{"calibrate", "bt", "reflectance", "blur:1", "blur:3", "blur:5", "blur:7",
	"blur:5:nearest", "blur:3:none", "blur:3:constant:2.5", "median:3", "median:5", "coarsen:2", "coarsen:3", "coarsen:4", "noop"}

func randChain(rng *rand.Rand) string {
	n := 1 + rng.IntN(4)
	var items []string
	if rng.IntN(2) == 0 {
		items = append(items, "calibrate")
	}
	for len(items) < n {
		k := propKernels[1+rng.IntN(len(propKernels)-1)]
		if strings.HasPrefix(k, "coarsen") && strings.Count(strings.Join(items, ","), "coarsen") >= 2 {
			continue
		}
		items = append(items, k)
	}
	return strings.Join(items, ",")
}

func randShape(rng *rand.Rand, max int) chunk.Shape {
	pick := func() int {
		if rng.IntN(4) == 0 {
			return 1 + rng.IntN(8)
		}
		return 1 + rng.IntN(max)
	}
	return chunk.Shape{Rows: pick(), Cols: pick()}
}

// randInput returns raw int16 counts for chains that start with
// calibrate, and wild float32 data otherwise.
func randInput(t *testing.T, rng *rand.Rand, chain string, sh chunk.Shape) *chunk.Array {
	if strings.HasPrefix(chain, "calibrate") {
		return i16Array(t, sh.Bounds(), randCounts(rng, sh.Len(), 0, 4094))
	}
	return f32Array(t, sh.Bounds(), randFloat32s(rng, sh.Len(), true)...)
}

var propParams = func() Params {
	p := withPlanck(nil)
	p.SetFloat("kappa0", 0.0015057, SourceFile)
	return p
}()

// TestChunkingBitIdentical is the central property: for random shapes,
// chunkings and chains, tiling the input with Chain.Apply per chunk gives
// the same bits as one Apply over the whole array.
func TestChunkingBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	fixed := []struct {
		chain string
		shape chunk.Shape
	}{
		{"calibrate,coarsen:2,blur:5,coarsen:3", chunk.Shape{Rows: 97, Cols: 131}},
		{"blur:7,median:5", chunk.Shape{Rows: 3, Cols: 2}}, // halo wider than the array
		{"blur:7:nearest,blur:5:none", chunk.Shape{Rows: 1, Cols: 1}},
		{"calibrate,bt,blur:5,coarsen:4", chunk.Shape{Rows: 300, Cols: 300}},
		{"coarsen:4,blur:3", chunk.Shape{Rows: 3, Cols: 9}}, // empty output
	}
	iters := 60
	if testing.Short() {
		iters = 15
	}
	for it := 0; it < len(fixed)+iters; it++ {
		var text string
		var sh chunk.Shape
		if it < len(fixed) {
			text, sh = fixed[it].chain, fixed[it].shape
		} else {
			text, sh = randChain(rng), randShape(rng, 300)
			if strings.Contains(text, "median:5") && sh.Len() > 150*150 {
				sh = chunk.Shape{Rows: sh.Rows/2 + 1, Cols: sh.Cols/2 + 1}
			}
		}
		c := mustChain(t, text, propParams)
		in := randInput(t, rng, text, sh)
		want := whole(t, c, in)
		for k := 0; k < 3; k++ {
			ch := chunk.Shape{Rows: 1 + rng.IntN(sh.Rows), Cols: 1 + rng.IntN(sh.Cols)}
			if k == 0 {
				ch = chunk.Shape{Rows: 1, Cols: 1}
				if sh.Len() > 5000 {
					ch = chunk.Shape{Rows: 1 + rng.IntN(7), Cols: 1 + rng.IntN(7)}
				}
			}
			got := chunked(t, c, in, ch)
			if !sameBits(t, fmt.Sprintf("%s on %v, chunks %v", text, sh, ch), got, want) {
				break
			}
		}
	}
}

// reduce runs a reducer chain per chunk and merges the partials in chunk
// order.
func reduce(t *testing.T, c *Chain, in *chunk.Array, ch chunk.Shape) Result {
	t.Helper()
	shape := in.Rect.Shape()
	total := c.Reducer().NewPartial()
	s := NewScratch()
	for _, r := range tiles(shape, ch, c.Factor()) {
		o := c.OutputRegion(r)
		part := c.Reducer().NewPartial()
		if err := c.Reduce(part, o, in.Sub(c.InputRegion(o, shape)), shape, NoPace, s); err != nil {
			t.Fatalf("%v chunk %v: %v", c, r, err)
		}
		total.Merge(part)
	}
	return total.Result()
}

func sameResult(t *testing.T, what string, got, want Result) bool {
	t.Helper()
	ok := len(got.Values) == len(want.Values) && len(got.Counts) == len(want.Counts) && len(got.Edges) == len(want.Edges)
	for k, w := range want.Values {
		if math.Float64bits(got.Values[k]) != math.Float64bits(w) {
			ok = false
		}
	}
	for i := range want.Counts {
		ok = ok && got.Counts[i] == want.Counts[i]
	}
	for i := range want.Edges {
		ok = ok && math.Float64bits(got.Edges[i]) == math.Float64bits(want.Edges[i])
	}
	if !ok {
		t.Errorf("%s: %+v, want %+v", what, got, want)
	}
	return ok
}

// TestReductionChunkingBitIdentical checks that merged partials have the
// same bits for any chunking, and for a tree-shaped merge order.
func TestReductionChunkingBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 5))
	for it := 0; it < 25; it++ {
		var items []string
		if rng.IntN(2) == 0 {
			items = append(items, "calibrate")
		}
		if rng.IntN(2) == 0 {
			items = append(items, []string{"blur:3", "coarsen:2", "bt", "median:3"}[rng.IntN(4)])
		}
		items = append(items, []string{"stats", "histogram:16:-50:250", "histogram:7:0:1"}[rng.IntN(3)])
		text := strings.Join(items, ",")
		c := mustChain(t, text, withPlanck(nil))
		sh := randShape(rng, 200)
		in := randInput(t, rng, text, sh)
		want := reduce(t, c, in, sh)
		for k := 0; k < 3; k++ {
			ch := chunk.Shape{Rows: 1 + rng.IntN(sh.Rows), Cols: 1 + rng.IntN(sh.Cols)}
			if !sameResult(t, fmt.Sprintf("%s on %v, chunks %v", text, sh, ch), reduce(t, c, in, ch), want) {
				break
			}
		}
		// Tree merge: pairs of partials, then pairs of those.
		ch := chunk.Shape{Rows: 1 + rng.IntN(sh.Rows), Cols: 1 + rng.IntN(sh.Cols)}
		var parts []Partial
		for _, r := range tiles(sh, ch, c.Factor()) {
			o := c.OutputRegion(r)
			p := c.Reducer().NewPartial()
			if err := c.Reduce(p, o, in.Sub(c.InputRegion(o, sh)), sh, NoPace, nil); err != nil {
				t.Fatal(err)
			}
			parts = append(parts, p)
		}
		for len(parts) > 1 {
			var next []Partial
			for i := 0; i < len(parts); i += 2 {
				if i+1 < len(parts) {
					parts[i+1].Merge(parts[i]) // reversed operand order too
					next = append(next, parts[i+1])
				} else {
					next = append(next, parts[i])
				}
			}
			parts = next
		}
		sameResult(t, text+" tree merge", parts[0].Result(), want)
	}
}
