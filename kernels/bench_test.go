package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"chunkpipe/chunk"
)

const benchN = 1024

var benchSink float32

// benchInput returns a 1024x1024 block with a 16-element margin of the
// given dtype: synthetic-granule counts, or their radiance for Float32.
func benchInput(dt chunk.DType) *chunk.Array {
	rng := rand.New(rand.NewPCG(1, 1))
	r := chunk.Rect(0, 0, benchN, benchN).Grow(16)
	a := chunk.NewArray(dt, r)
	for i := 0; i < r.Len(); i++ {
		c := int16(835 + rng.IntN(2246))
		if rng.IntN(50) == 0 {
			c = -1
		}
		switch dt {
		case chunk.Int16:
			chunk.Elems[int16](a)[i] = c
		case chunk.Uint16:
			chunk.Elems[uint16](a)[i] = uint16(c)
		case chunk.Float32:
			v := float32(float32(float32(c)*AnchorsScaleFactor) + AnchorsAddOffset)
			if c == -1 {
				v = nan32
			}
			a.Float32s()[i] = v
		}
	}
	return a
}

// BenchmarkKernels times each kernel's Apply over a 1024x1024 block with a
// reused Scratch; bytes are the input bytes of the block.
func BenchmarkKernels(b *testing.B) {
	f32 := benchInput(chunk.Float32)
	wild := benchInput(chunk.Float32)
	for i, v := range wild.Float32s() {
		if i%1000 == 0 {
			wild.Float32s()[i] = v * 1e25 // forces blur's fixed-order path
		}
	}
	p := withPlanck(nil)
	p.SetFloat("kappa0", 0.0015057, SourceDefault)
	cases := []struct {
		spec string
		src  *chunk.Array
	}{
		{"calibrate/int16", benchInput(chunk.Int16)},
		{"calibrate/uint16", benchInput(chunk.Uint16)},
		{"calibrate/float32", f32},
		{"reflectance", f32},
		{"bt", f32},
		{"noop", f32},
		{"blur:3", f32},
		{"blur:5", f32},
		{"blur:5/fixed-order", wild},
		{"blur:15", f32},
		{"median:3", f32},
		{"median:5", f32},
		{"coarsen:2", f32},
		{"coarsen:4", f32},
	}
	for _, c := range cases {
		spec := c.spec
		if i := len(spec); i > 0 {
			for j := range spec {
				if spec[j] == '/' {
					spec = spec[:j]
					break
				}
			}
		}
		k, err := ParseKernel(spec, p)
		if err != nil {
			b.Fatal(err)
		}
		out := chunk.Rect(0, 0, benchN/k.Factor(), benchN/k.Factor())
		dst := chunk.NewArray(chunk.Float32, out)
		s := NewScratch()
		b.Run(c.spec, func(b *testing.B) {
			b.SetBytes(int64(benchN * benchN * c.src.DType.Size()))
			b.ReportAllocs()
			for b.Loop() {
				if err := applyKernel(k, dst, c.src, NoPace, s); err != nil {
					b.Fatal(err)
				}
			}
			benchSink = dst.Float32s()[7]
		})
	}
}

// BenchmarkChain times fused chains over an interior 1024x1024 chunk of
// int16 counts (its halo read from the neighbours, as in the pipeline).
func BenchmarkChain(b *testing.B) {
	src := benchInput(chunk.Int16)
	shape := chunk.Shape{Rows: 4096, Cols: 4096} // the chunk is interior
	src.Rect = chunk.Rect(1024, 1024, 2048, 2048).Grow(16)
	for _, text := range []string{"calibrate", "calibrate,bt", "calibrate,blur:5", "calibrate,coarsen:4", "calibrate,bt,blur:5,coarsen:4"} {
		ch, err := ParseChain(text, anchors(b))
		if err != nil {
			b.Fatal(err)
		}
		o := ch.OutputRegion(chunk.Rect(1024, 1024, 2048, 2048))
		dst := chunk.NewArray(chunk.Float32, o)
		in := src.Sub(ch.InputRegion(o, shape))
		s := NewScratch()
		b.Run(text, func(b *testing.B) {
			b.SetBytes(benchN * benchN * 2)
			b.ReportAllocs()
			for b.Loop() {
				if err := ch.Apply(dst, in, shape, NoPace, s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReducers times Partial.Add over a 1024x1024 float32 block.
func BenchmarkReducers(b *testing.B) {
	src := benchInput(chunk.Float32).Sub(chunk.Rect(0, 0, benchN, benchN))
	h, _ := NewHistogram(64, 30, 150)
	for _, r := range []Reducer{Stats{}, h} {
		part := r.NewPartial()
		b.Run(r.Name(), func(b *testing.B) {
			b.SetBytes(benchN * benchN * 4)
			b.ReportAllocs()
			for b.Loop() {
				part.Add(src, NoPace)
			}
		})
	}
	b.Run("stats/result", func(b *testing.B) {
		part := Stats{}.NewPartial()
		part.Add(src, NoPace)
		b.ReportAllocs()
		for b.Loop() {
			_ = part.Result()
		}
	})
}

// BenchmarkLog32 compares log32 with float32(math.Log(float64(x))).
func BenchmarkLog32(b *testing.B) {
	xs := make([]float32, 4096)
	for i := range xs {
		xs[i] = 1 + float32(i)*0.37
	}
	b.Run("log32", func(b *testing.B) {
		b.SetBytes(int64(4 * len(xs)))
		for b.Loop() {
			for i, x := range xs {
				xs[i] = log32(x) + 1
			}
		}
	})
	b.Run("math.Log", func(b *testing.B) {
		b.SetBytes(int64(4 * len(xs)))
		for b.Loop() {
			for i, x := range xs {
				xs[i] = float32(math.Log(float64(x))) + 1
			}
		}
	})
}

// BenchmarkCalibrateInt16Direct is the direct loop the lookup table
// replaced (fill test and two float32 operations per element), kept to
// re-check that choice.
func BenchmarkCalibrateInt16Direct(b *testing.B) {
	src := benchInput(chunk.Int16).Sub(chunk.Rect(0, 0, benchN, benchN))
	in := chunk.Elems[int16](src)
	out := make([]float32, len(in))
	scale, offset := float32(AnchorsScaleFactor), float32(AnchorsAddOffset)
	b.SetBytes(int64(2 * len(in)))
	b.ReportAllocs()
	for b.Loop() {
		for i, x := range in[:len(out)] {
			v := float32(float32(float32(x)*scale) + offset)
			if x == AnchorsFillValue {
				v = nan32
			}
			out[i] = v
		}
	}
	benchSink = out[3]
}
