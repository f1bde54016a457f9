// Package synth generates the synthetic ABI-like granule of the project's
// reference workloads (the anchors' gen_granule.py): int16 raw counts
// of a smooth field plus Gaussian noise, with about 2% fill pixels (-1).
//
// The formula is the anchors' one; the random numbers are not numpy's.
// Every pixel's noise comes from a counter-based generator keyed by the
// seed and the pixel's position, so any region can be generated on its own
// and a [Granule] is a pipeline source that needs no file at all.
package synth

import (
	"context"
	"fmt"
	"math"

	"chunkpipe/chunk"
)

// Fill is the raw count that marks a missing pixel.
const Fill = -1

// Granule is a synthetic granule of the given shape and seed. It implements
// the pipeline's Source interface and is safe for concurrent use.
type Granule struct {
	Shape    chunk.Shape
	Seed     uint64
	FillFrac float64 // fraction of fill pixels; the anchors use 0.02
}

// New returns the anchors' granule recipe for shape and seed.
func New(shape chunk.Shape, seed uint64) *Granule {
	return &Granule{Shape: shape, Seed: seed, FillFrac: 0.02}
}

// ReadRegion generates region r into dst (Int16, Rect r).
func (g *Granule) ReadRegion(ctx context.Context, r chunk.Region, dst *chunk.Array) error {
	if dst.DType != chunk.Int16 || dst.Rect != r {
		return fmt.Errorf("synth: destination %v %v for region %v", dst.DType, dst.Rect, r)
	}
	if !g.Shape.Bounds().Contains(r) {
		return fmt.Errorf("synth: region %v outside granule %v", r, g.Shape)
	}
	out := chunk.Elems[int16](dst)
	H, W := g.Shape.Rows, g.Shape.Cols
	xs := make([]float64, r.Cols())
	sx3 := make([]float64, r.Cols())
	sx05 := make([]float64, r.Cols())
	for k := range xs {
		x := float64(r.Col0+k) / float64(max(W-1, 1))
		xs[k] = x
		sx3[k] = math.Sin(2 * math.Pi * 3 * x)
		sx05[k] = math.Sin(2 * math.Pi * 0.5 * x)
	}
	for i := r.Row0; i < r.Row1; i++ {
		if i%64 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		y := float64(i) / float64(max(H-1, 1))
		cy2 := math.Cos(2 * math.Pi * 2 * y)
		cy5 := math.Cos(2*math.Pi*5*y + 1.0)
		row := out[(i-r.Row0)*dst.Stride:][:r.Cols()]
		for k := range row {
			x := xs[k]
			smooth := 2000 + 700*sx3[k]*cy2 + 400*cy5*sx05[k] - 600*((x-0.5)*(x-0.5)+(y-0.5)*(y-0.5))
			h := mix(g.Seed, uint64(i)*uint64(W)+uint64(r.Col0+k))
			u1 := float64(h>>11) * (1.0 / (1 << 53))
			h2 := mix(h, 0x9e3779b97f4a7c15)
			u2 := float64(h2>>11) * (1.0 / (1 << 53))
			if float64(h2&0xffffffff)/(1<<32) < g.FillFrac {
				row[k] = Fill
				continue
			}
			noise := math.Sqrt(-2*math.Log(1-u1)) * math.Cos(2*math.Pi*u2)
			v := math.RoundToEven(smooth + 15*noise)
			row[k] = int16(min(max(v, 0), 4094))
		}
	}
	return nil
}

// mix is the splitmix64 finaliser applied to a seed and a counter.
func mix(seed, n uint64) uint64 {
	z := seed + n*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
