package bandmath

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

var benchSink float32

// BenchmarkEval measures the fused evaluator per chunk size; bytes are
// those of the input planes.
func BenchmarkEval(b *testing.B) {
	in := map[string]kernels.Params{"c07": paramsC07, "c14": paramsC14, "c05": nil}
	exprs := map[string]string{
		"add":      "c05 + c07",
		"btdiff":   "bt(c07) - bt(c14)",
		"composed": "where(bt(c07) - bt(c14) > 10, clip(c05 * 2, 0, 1), sqrt(abs(c05)))",
	}
	for _, name := range []string{"add", "btdiff", "composed"} {
		p := mustCompile(b, exprs[name], in)
		for _, side := range []int{64, 256, 1024} {
			b.Run(fmt.Sprintf("%s/chunk=%d", name, side), func(b *testing.B) {
				r := chunk.Rect(0, 0, side, side)
				rng := rand.New(rand.NewPCG(1, 1))
				planes := planesOf(r, len(p.Inputs()), func(int, int, int) float32 { return 0.5 + 50*rng.Float32() })
				dst := chunk.NewArray(chunk.Float32, r)
				b.SetBytes(int64(planes.Bytes()))
				b.ReportAllocs()
				for b.Loop() {
					if err := p.Eval(dst, planes); err != nil {
						b.Fatal(err)
					}
				}
				benchSink = dst.Float32s()[0]
			})
		}
	}
}

// BenchmarkSourceRead measures reading, calibrating and regridding three
// bands (one twice as fine) from memory.
func BenchmarkSourceRead(b *testing.B) {
	fine, coarse := chunk.Shape{Rows: 1024, Cols: 1024}, chunk.Shape{Rows: 512, Cols: 512}
	inputs := []Input{
		{Name: "c05", Reader: newMem("c05", fine, chunk.Shape{}, randomCounts(5, 0, 1000, 50)), Params: calParams(0.5, -3)},
		{Name: "c06", Reader: newMem("c06", coarse, chunk.Shape{}, randomCounts(6, 0, 1000, 50)), Params: calParams(0.25, 1)},
		{Name: "c07", Reader: newMem("c07", coarse, chunk.Shape{}, randomCounts(7, 0, 1000, 50)), Params: paramsC07},
	}
	for _, grid := range []string{GridCoarsest, GridFinest} {
		s, err := NewSource(inputs, grid)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("grid="+grid, func(b *testing.B) {
			r := chunk.Rect(0, 0, 256, 256)
			dst := &chunk.Array{}
			dst.ResetPlanes(chunk.Float32, r, s.Planes())
			b.SetBytes(int64(dst.Bytes()))
			b.ReportAllocs()
			for b.Loop() {
				if err := s.ReadRegion(context.Background(), r, dst); err != nil {
					b.Fatal(err)
				}
			}
			benchSink = dst.Float32s()[0]
		})
	}
}

// BenchmarkCompile measures parsing and compiling a recipe channel.
func BenchmarkCompile(b *testing.B) {
	in := map[string]kernels.Params{"c07": paramsC07, "c14": paramsC14}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile("clip((bt(c07) - bt(c14)) / 20, 0, 1)", in); err != nil {
			b.Fatal(err)
		}
	}
}
