package kernels

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"chunkpipe/chunk"
)

// FuzzParseChain parses arbitrary chain text with arbitrary CF parameters
// (scale_factor, add_offset, _FillValue, valid_range, _Unsigned, any of
// which may be NaN, infinite or text) and, when the chain is accepted and
// cheap enough, applies it to a small array of an arbitrary stored dtype
// filled with the fuzzer's bytes.
//
// Nothing may panic. Errors carry the "kernels: " prefix. A calibrate
// kernel must never be built from a non-finite scale_factor or add_offset.
// An accepted chain must apply to a whole array without error, produce an
// output of OutputShape, and a reducer must return a result.
func FuzzParseChain(f *testing.F) {
	for _, s := range []string{"calibrate", "calibrate,bt", "calibrate,blur:5,coarsen:4,stats", "calibrate,median:3:nearest",
		"blur:3:constant:nan", "histogram:16", "histogram:8:0:10", "calibrate,histogram:4:-1:1", "coarsen:2,blur:1:none",
		"abi", "reflectance", "noop", "primes", "stats,calibrate", "blur:4", "median:", "blur:5:wrap", ",", "calibrate,,bt",
		"CALIBRATE , BT", "coarsen:0", "histogram:0", "histogram:3:5:5", "sleep:0"} {
		f.Add(s, 0.04572892, -1.6443, 1023.0, 0.0, 1022.0, "true", "", uint8(4), []byte{1, 2, 3, 250, 255, 0, 7})
	}
	f.Add("calibrate", math.NaN(), 0.0, 0.0, 0.0, 0.0, "", "", uint8(3), []byte{})
	f.Add("calibrate", 1.0, math.Inf(1), 0.0, 0.0, 0.0, "", "", uint8(9), []byte{0xff})
	f.Add("calibrate", 1e39, 0.0, 0.0, 5.0, -5.0, "TRUE", "", uint8(2), []byte{0x80})
	f.Add("calibrate,bt", 1.0, 0.0, 0.0, 0.0, 0.0, "", "nan", uint8(10), []byte{0x7f, 0xc0, 0, 0})
	f.Fuzz(func(t *testing.T, text string, scale, offset, fill, lo, hi float64, unsigned, scaleText string, dt uint8, data []byte) {
		p := Params{}
		p.SetFloat("scale_factor", scale, SourceFile)
		p.SetFloat("add_offset", offset, SourceFile)
		p.SetFloat("_FillValue", fill, SourceFile)
		p.SetFloats("valid_range", []float64{lo, hi}, SourceFile)
		p.SetText("_Unsigned", unsigned, SourceFile)
		p.SetFloat("planck_fk1", 1e4, SourceDefault)
		p.SetFloat("planck_fk2", 1e3, SourceDefault)
		p.SetFloat("planck_bc1", 0.1, SourceDefault)
		p.SetFloat("planck_bc2", 1, SourceDefault)
		p.SetFloat("kappa0", 0.0015, SourceDefault)
		if scaleText != "" {
			if err := p.Set("scale_factor="+scaleText, SourceFlag); err != nil {
				if !strings.HasPrefix(err.Error(), "kernels: ") || !strings.Contains(err.Error(), "scale_factor") {
					t.Errorf("Set error %q lacks the package prefix or the name", err)
				}
				return
			}
		}
		c, err := ParseChain(text, p)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "kernels: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			return
		}
		halo, factor := 0, 1
		for _, k := range c.Kernels() {
			if k == nil {
				t.Fatalf("chain %q has a nil kernel", text)
			}
			if cal, ok := k.(*Calibrate); ok {
				if math.IsNaN(float64(cal.scale)) || math.IsInf(float64(cal.scale), 0) ||
					math.IsNaN(float64(cal.offset)) || math.IsInf(float64(cal.offset), 0) {
					t.Fatalf("calibrate built with scale %v offset %v", cal.scale, cal.offset)
				}
			}
			if s, ok := k.(Sleep); ok && s.D > 0 {
				return // sleeps are valid but would slow the fuzzer
			}
			halo += k.Halo() * factor
			factor *= k.Factor()
		}
		if halo > 16 || factor > 16 {
			return // valid, but too costly to apply on every input
		}
		typ := chunk.DType(1 + int(dt)%10)
		if typ.Size() <= 0 {
			t.Fatalf("dtype %d has size %d", typ, typ.Size())
		}
		in := chunk.Shape{Rows: 13, Cols: 11}
		src := chunk.NewArray(typ, in.Bounds())
		if len(data) > 0 {
			for i := range src.Data {
				src.Data[i] = data[i%len(data)]
			}
			if typ == chunk.Float32 && len(data) >= 4 {
				binary.LittleEndian.PutUint32(src.Data, math.Float32bits(float32(math.NaN())))
			}
		}
		if r := c.Reducer(); r != nil {
			if rs, ok := r.(RangeSetter); ok && rs.NeedsRange() {
				rs.SetRange(-1, 1)
			}
			part := r.NewPartial()
			if err := c.Reduce(part, c.OutputShape(in).Bounds(), src, in, nil, nil); err != nil {
				t.Fatalf("chain %q: Reduce over %v %v: %v", text, typ, in, err)
			}
			if res := part.Result(); res.Name == "" {
				t.Fatalf("chain %q: result without a name: %+v", text, res)
			}
			return
		}
		out := c.OutputShape(in)
		dst := chunk.NewArray(c.OutDType(typ), out.Bounds())
		if err := c.Apply(dst, src, in, nil, nil); err != nil {
			t.Fatalf("chain %q on %v %v: %v", text, typ, in, err)
		}
	})
}
