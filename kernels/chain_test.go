package kernels

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"chunkpipe/chunk"
)

func TestChainGeometry(t *testing.T) {
	in := chunk.Shape{Rows: 100, Cols: 90}
	cases := []struct {
		chain    string
		out      chunk.Region
		inRegion chunk.Region
		outShape chunk.Shape
	}{
		{"calibrate", chunk.Rect(10, 10, 20, 20), chunk.Rect(10, 10, 20, 20), in},
		{"blur:5", chunk.Rect(10, 10, 20, 20), chunk.Rect(8, 8, 22, 22), in},
		{"blur:5", chunk.Rect(0, 0, 5, 5), chunk.Rect(0, 0, 7, 7), in},
		{"blur:301", chunk.Rect(0, 0, 5, 5), chunk.Rect(0, 0, 100, 90), in}, // halo wider than the array
		{"coarsen:2,blur:3", chunk.Rect(1, 1, 3, 3), chunk.Rect(0, 0, 8, 8), chunk.Shape{Rows: 50, Cols: 45}},
		{"calibrate,coarsen:2,blur:5,coarsen:3", chunk.Rect(2, 2, 4, 4), chunk.Rect(8, 8, 28, 28), chunk.Shape{Rows: 16, Cols: 15}},
		{"", chunk.Rect(3, 4, 5, 6), chunk.Rect(3, 4, 5, 6), in},
	}
	for _, c := range cases {
		ch := mustChain(t, c.chain, nil)
		if got := ch.InputRegion(c.out, in); got != c.inRegion {
			t.Errorf("%q: InputRegion(%v) = %v, want %v", c.chain, c.out, got, c.inRegion)
		}
		if got := ch.OutputShape(in); got != c.outShape {
			t.Errorf("%q: OutputShape = %v, want %v", c.chain, got, c.outShape)
		}
	}
	ch := mustChain(t, "coarsen:2,coarsen:3", nil)
	if got := ch.OutputRegion(chunk.Rect(6, 12, 12, 19)); got != chunk.Rect(1, 2, 2, 3) {
		t.Errorf("OutputRegion = %v", got)
	}
	if ch.OutDType(chunk.Int16) != chunk.Float32 || mustChain(t, "", nil).OutDType(chunk.Int16) != chunk.Int16 {
		t.Error("OutDType")
	}
}

func TestChainApplyErrors(t *testing.T) {
	ch := mustChain(t, "calibrate,blur:3", nil)
	shape := chunk.Shape{Rows: 10, Cols: 10}
	src := chunk.NewArray(chunk.Int16, shape.Bounds())
	cases := []struct {
		name string
		dst  *chunk.Array
		src  *chunk.Array
	}{
		{"wrong dtype", chunk.NewArray(chunk.Float64, chunk.Rect(0, 0, 2, 2)), src},
		{"outside output", chunk.NewArray(chunk.Float32, chunk.Rect(8, 8, 11, 11)), src},
		{"src too small", chunk.NewArray(chunk.Float32, chunk.Rect(4, 4, 6, 6)), src.Sub(chunk.Rect(4, 4, 6, 6))},
	}
	for _, c := range cases {
		if err := ch.Apply(c.dst, c.src, shape, NoPace, nil); err == nil {
			t.Errorf("%s: Apply succeeded", c.name)
		}
	}
	if err := ch.Reduce(Stats{}.NewPartial(), shape.Bounds(), src, shape, NoPace, nil); err == nil {
		t.Error("Reduce on a chain without reducer succeeded")
	}
	if _, err := NewChain(nil, nil); err == nil {
		t.Error("NewChain with a nil kernel succeeded")
	}
}

// TestChainEmpty checks the empty chain copies any dtype, and reduces the
// stored values cast to float32.
func TestChainEmpty(t *testing.T) {
	shape := chunk.Shape{Rows: 3, Cols: 4}
	src := i16Array(t, shape.Bounds(), []int16{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -12})
	ch := mustChain(t, "", nil)
	dst := chunk.NewArray(chunk.Int16, chunk.Rect(1, 1, 3, 3))
	if err := ch.Apply(dst, src, shape, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := chunk.Elems[int16](dst); got[0] != 6 || got[3] != 11 {
		t.Errorf("copy = %v", got)
	}
	st := mustChain(t, "stats", nil)
	p := Stats{}.NewPartial()
	if err := st.Reduce(p, shape.Bounds(), src, shape, nil, nil); err != nil {
		t.Fatal(err)
	}
	if r := p.Result(); r.Values["sum"] != 54 || r.Values["min"] != -12 {
		t.Errorf("stats of raw = %v", r.Values)
	}
}

// TestChainLeavesSourceAlone checks that in-place stages never write into
// the caller's source, float32 or not.
func TestChainLeavesSourceAlone(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	shape := chunk.Shape{Rows: 20, Cols: 30}
	for _, text := range []string{"bt", "bt,bt,noop", "noop", "calibrate,bt", "blur:3,bt"} {
		src := f32Array(t, shape.Bounds(), randFloat32s(rng, shape.Len(), true)...)
		before := bytes.Clone(src.Data)
		whole(t, mustChain(t, text, withPlanck(nil)), src)
		if !bytes.Equal(before, src.Data) {
			t.Errorf("%s modified its source", text)
		}
	}
}

// TestChainNoAllocs checks that a reused Scratch makes Apply and Reduce
// allocation-free for an interior chunk.
func TestChainNoAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	shape := chunk.Shape{Rows: 256, Cols: 256}
	src := i16Array(t, shape.Bounds(), randCounts(rng, shape.Len(), 800, 3000))
	out := chunk.Rect(32, 32, 64, 64)
	for _, text := range []string{"calibrate,bt,blur:5,median:3,coarsen:2,noop", "calibrate,reflectance,stats", "blur:3,histogram:8:0:100"} {
		p := withPlanck(nil)
		p.SetFloat("kappa0", 0.5, SourceFlag)
		ch := mustChain(t, text, p)
		s := NewScratch()
		o := out.Shrink(1)
		if ch.Factor() > 1 {
			o = ch.OutputRegion(out)
		}
		in := src.Sub(ch.InputRegion(o, shape))
		var run func()
		if ch.Reducer() != nil {
			part := ch.Reducer().NewPartial()
			run = func() {
				if err := ch.Reduce(part, o, in, shape, NoPace, s); err != nil {
					t.Fatal(err)
				}
			}
		} else {
			dst := chunk.NewArray(chunk.Float32, o)
			run = func() {
				if err := ch.Apply(dst, in, shape, NoPace, s); err != nil {
					t.Fatal(err)
				}
			}
		}
		run()
		if n := testing.AllocsPerRun(5, run); n != 0 {
			t.Errorf("%s: %v allocations per chunk", text, n)
		}
	}
}

// InputRegion agrees with the planned region Apply reads, and allocates
// nothing.
func TestInputRegionMatchesPlan(t *testing.T) {
	for _, text := range []string{"", "calibrate", "calibrate,blur:5", "calibrate,coarsen:2,blur:5,coarsen:3", "blur:9,median:3,coarsen:4"} {
		c, err := ParseChain(text, nil)
		if err != nil {
			t.Fatal(err)
		}
		in := chunk.Shape{Rows: 97, Cols: 131}
		outB := c.OutputShape(in).Bounds()
		for r0 := 0; r0 < outB.Row1; r0 += 7 {
			for c0 := 0; c0 < outB.Col1; c0 += 11 {
				out := chunk.Rect(r0, c0, min(r0+9, outB.Row1), min(c0+13, outB.Col1))
				var s Scratch
				if got, want := c.InputRegion(out, in), c.plan(out, in, &s).read[0]; got != want {
					t.Fatalf("%q %v: InputRegion %v, plan %v", text, out, got, want)
				}
			}
		}
		if n := testing.AllocsPerRun(100, func() { c.InputRegion(chunk.Rect(3, 3, 20, 20), in) }); n != 0 {
			t.Errorf("%q: InputRegion allocates %v times", text, n)
		}
	}
}
