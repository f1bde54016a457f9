package kernels

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"chunkpipe/chunk"
)

// Reducing calibrated 8- and 16-bit data by counting raw values gives the
// same bits as folding every calibrated pixel.
func TestReduceByCountsSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 7))
	for _, dt := range []chunk.DType{chunk.Int16, chunk.Uint16, chunk.Int8, chunk.Uint8} {
		for _, chainText := range []string{"calibrate,stats", "calibrate,bt,stats", "calibrate,histogram:50:30:140", "calibrate,reflectance,histogram:20:0:1"} {
			p := withPlanck(nil)
			p.SetFloat("kappa0", 0.01, SourceDefault)
			if dt == chunk.Int16 && chainText == "calibrate,stats" {
				p.SetText("_Unsigned", "true", SourceDefault)
				p.SetFloat("_FillValue", 4095, SourceDefault)
			}
			c, err := ParseChain(chainText, p)
			if err != nil {
				t.Fatal(err)
			}
			shape := chunk.Shape{Rows: 300, Cols: 257}
			src := chunk.NewArray(dt, shape.Bounds())
			for i := range src.Data {
				src.Data[i] = byte(rng.IntN(256))
			}
			if dt.Size() == 2 {
				v := chunk.Elems[uint16](src)
				for i := range v {
					v[i] = uint16(rng.IntN(4096)) // ABI-like counts, with fills
				}
			}
			fast := c.Reducer().NewPartial()
			if done, err := c.reduceByCounts(fast, shape.Bounds(), src, NoPace, NewScratch()); !done || err != nil {
				t.Fatalf("%v %s: counting path not taken (%v)", dt, chainText, err)
			}
			slow := c.Reducer().NewPartial()
			res := chunk.NewArray(chunk.Float32, shape.Bounds())
			if err := c.Apply(res, src, shape, NoPace, NewScratch()); err != nil {
				t.Fatal(err)
			}
			slow.Add(res, NoPace)
			a, b := fast.Result(), slow.Result()
			for k, v := range b.Values {
				if math.Float64bits(a.Values[k]) != math.Float64bits(v) && !(math.IsNaN(v) && math.IsNaN(a.Values[k])) {
					t.Errorf("%v %s: %s = %v by counting, %v per pixel", dt, chainText, k, a.Values[k], v)
				}
			}
			for i := range b.Counts {
				if a.Counts[i] != b.Counts[i] {
					t.Errorf("%v %s: bin %d = %d by counting, %d per pixel", dt, chainText, i, a.Counts[i], b.Counts[i])
				}
			}
		}
	}
}

// Block means straight from raw counts through calibrate's table give the
// same bits as calibrating first (noop keeps the second chain on the
// ordinary path).
func TestCoarsenFromTableSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 3))
	for _, text := range []string{"calibrate,coarsen:4", "calibrate,bt,coarsen:3", "calibrate,coarsen:2,blur:3"} {
		fast, err := ParseChain(text, anchors(t))
		if err != nil {
			t.Fatal(err)
		}
		slow, err := ParseChain(strings.Replace(text, "calibrate,", "calibrate,noop,", 1), anchors(t))
		if err != nil {
			t.Fatal(err)
		}
		in := chunk.Shape{Rows: 97, Cols: 131}
		src := chunk.NewArray(chunk.Int16, in.Bounds())
		for i, v := range chunk.Elems[int16](src) {
			_ = v
			chunk.Elems[int16](src)[i] = int16(rng.IntN(3000)) - 1 // -1 is the default fill
		}
		out := fast.OutputShape(in).Bounds()
		a, b := chunk.NewArray(chunk.Float32, out), chunk.NewArray(chunk.Float32, out)
		if err := fast.Apply(a, src, in, NoPace, NewScratch()); err != nil {
			t.Fatal(err)
		}
		if err := slow.Apply(b, src, in, NoPace, NewScratch()); err != nil {
			t.Fatal(err)
		}
		for i := range a.Float32s() {
			if math.Float32bits(a.Float32s()[i]) != math.Float32bits(b.Float32s()[i]) {
				t.Fatalf("%s: element %d: %v from the table, %v calibrated first", text, i, a.Float32s()[i], b.Float32s()[i])
			}
		}
	}
}
