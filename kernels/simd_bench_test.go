package kernels

import (
	"testing"

	"chunkpipe/chunk"
)

// benchPaths returns the vector-path settings to time: the portable loops,
// and the vector paths when this build and CPU have them.
func benchPaths() []bool {
	if simdName() == "portable" {
		return []bool{false}
	}
	return []bool{false, true}
}

// pathName names a benchPaths setting.
func pathName(on bool) string {
	if on {
		return simdName()
	}
	return "portable"
}

// BenchmarkFloatPaths times the float32 kernels with vector paths over a
// 1024x1024 block of radiances on one core, portable and vector side by
// side; bytes are the input bytes.
func BenchmarkFloatPaths(b *testing.B) {
	f32 := benchInput(chunk.Float32)
	wild := benchInput(chunk.Float32)
	for i, v := range wild.Float32s() {
		if i%1000 == 0 {
			wild.Float32s()[i] = v * 1e25 // forces blur's fixed-order path
		}
	}
	cases := []struct {
		name, spec string
		src        *chunk.Array
	}{
		{"calibrate", "calibrate", f32},
		{"bt", "bt", f32},
		{"blur:5", "blur:5", f32},
		{"blur:5/fixed-order", "blur:5", wild},
		{"coarsen:2", "coarsen:2", f32},
		{"coarsen:4", "coarsen:4", f32},
	}
	defer simdOn.Store(true)
	for _, c := range cases {
		k, err := ParseKernel(c.spec, nil)
		if err != nil {
			b.Fatal(err)
		}
		dst := chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, benchN/k.Factor(), benchN/k.Factor()))
		s := NewScratch()
		for _, on := range benchPaths() {
			b.Run(c.name+"/path="+pathName(on), func(b *testing.B) {
				simdOn.Store(on)
				b.SetBytes(benchN * benchN * 4)
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
	src := f32.Sub(chunk.Rect(0, 0, benchN, benchN))
	for _, on := range benchPaths() {
		b.Run("stats/path="+pathName(on), func(b *testing.B) {
			simdOn.Store(on)
			part := Stats{}.NewPartial()
			b.SetBytes(benchN * benchN * 4)
			b.ReportAllocs()
			for b.Loop() {
				part.Add(src, NoPace)
			}
		})
	}
}
