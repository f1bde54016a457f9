package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"chunkpipe/chunk"
)

// Reducing calibrated 8- and 16-bit data by counting raw values gives the
// same bits as folding every calibrated pixel.
func TestReduceByCountsSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 7))
	for _, dt := range []chunk.DType{chunk.Int16, chunk.Uint16, chunk.Int8, chunk.Uint8} {
		for _, chainText := range []string{"calibrate,stats", "calibrate,bt,stats", "calibrate,histogram:50:30:140", "calibrate,reflectance,histogram:20:0:1"} {
			p := Params{}
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
