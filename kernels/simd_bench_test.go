package kernels

import (
	"fmt"
	"sync"
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
		k, err := ParseKernel(c.spec, withPlanck(nil))
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

// granuleRows and granuleCols are the size of BenchmarkFloatGranule's
// array: 256 MiB of float32, far beyond the last-level cache.
const granuleRows, granuleCols = 8192, 8192

var granule struct {
	once     sync.Once
	src, dst *chunk.Array
}

// granuleInput returns the 8192x8192 float32 radiance array (2 % NaN, as
// calibrated fills) and an output array of the same size.
func granuleInput() (src, dst *chunk.Array) {
	granule.once.Do(func() {
		r := chunk.Rect(0, 0, granuleRows, granuleCols)
		granule.src, granule.dst = chunk.NewArray(chunk.Float32, r), chunk.NewArray(chunk.Float32, r)
		v := granule.src.Float32s()
		x := uint32(1)
		for i := range v {
			x = x*1664525 + 1013904223
			c := 835 + int(x>>16)%2246
			if x%50 == 0 {
				v[i] = nan32
				continue
			}
			v[i] = float32(float32(float32(c)*AnchorsScaleFactor) + AnchorsAddOffset)
		}
		// Touch every page of the output once, as STREAM and the C
		// reference do before timing: otherwise the first pass of each
		// benchmark process pays the kernel's page faults for 256 MiB.
		out := granule.dst.Float32s()
		for i := 0; i < len(out); i += 1024 {
			out[i] = 1
		}
	})
	return granule.src, granule.dst
}

// onWorkers runs f over strips of 256 rows of r, strip i on worker i%2
// (a static schedule, as OpenMP's), and waits.
func onWorkers(r chunk.Region, f func(w int, strip chunk.Region)) {
	const workers, strip = 2, 256
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i*strip < r.Rows(); i += workers {
				s := r
				s.Row0 = r.Row0 + i*strip
				s.Row1 = min(s.Row0+strip, r.Row1)
				f(w, s)
			}
		})
	}
	wg.Wait()
}

// BenchmarkFloatGranule times the float32 kernels over a 256 MiB array in
// memory on 2 workers, portable and vector side by side, next to a plain
// copy of the array. Bytes are memory traffic as STREAM counts it (bytes
// read plus bytes written), so MB/s compares with STREAM's rates. It also
// reports cpu-s/op, the process's CPU time per pass (both workers), which
// other load on a shared machine inflates much less than wall time.
func BenchmarkFloatGranule(b *testing.B) {
	if testing.Short() {
		b.Skip("256 MiB arrays: not in -short runs")
	}
	src, dst := granuleInput()
	px := int64(granuleRows * granuleCols)
	b.Run("copy/workers=2", func(b *testing.B) {
		b.SetBytes(8 * px)
		defer reportCPU(b, processCPUSeconds())
		for b.Loop() {
			onWorkers(src.Rect, func(_ int, s chunk.Region) {
				for r := s.Row0; r < s.Row1; r++ {
					copy(row(dst.Float32s(), dst, r, 0, granuleCols), row(src.Float32s(), src, r, 0, granuleCols))
				}
			})
		}
	})
	defer simdOn.Store(true)
	for _, spec := range []string{"calibrate", "bt", "coarsen:2", "coarsen:4"} {
		k, err := ParseKernel(spec, withPlanck(nil))
		if err != nil {
			b.Fatal(err)
		}
		f := k.Factor()
		out := chunk.Rect(0, 0, granuleRows/f, granuleCols/f)
		scratch := [2]*Scratch{NewScratch(), NewScratch()}
		for _, on := range benchPaths() {
			b.Run(fmt.Sprintf("%s/path=%s/workers=2", spec, pathName(on)), func(b *testing.B) {
				simdOn.Store(on)
				b.SetBytes(4*px + 4*px/int64(f*f))
				defer reportCPU(b, processCPUSeconds())
				for b.Loop() {
					onWorkers(out, func(w int, s chunk.Region) {
						d := dst.Sub(s)
						d.Rect = s
						if err := applyKernel(k, d, src, NoPace, scratch[w]); err != nil {
							panic(err)
						}
					})
				}
			})
		}
	}
	for _, on := range benchPaths() {
		b.Run(fmt.Sprintf("stats/path=%s/workers=2", pathName(on)), func(b *testing.B) {
			simdOn.Store(on)
			b.SetBytes(4 * px)
			defer reportCPU(b, processCPUSeconds())
			for b.Loop() {
				parts := [2]Partial{Stats{}.NewPartial(), Stats{}.NewPartial()}
				onWorkers(src.Rect, func(w int, s chunk.Region) { parts[w].Add(src.Sub(s), NoPace) })
				parts[0].Merge(parts[1])
			}
		})
	}
}

// reportCPU reports the process CPU seconds per iteration since cpu0.
func reportCPU(b *testing.B, cpu0 float64) {
	b.ReportMetric((processCPUSeconds()-cpu0)/float64(b.N), "cpu-s/op")
}
