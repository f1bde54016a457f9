package resample

import (
	"context"
	"math"

	"chunkpipe/chunk"
)

// average fills dst (region reg of the target) with the mean of the valid
// input pixels whose centres fall in each output pixel.
//
// The input box is found by mapping the chunk's outline (every output
// pixel corner along its edges) and a mesh every 16 pixels inside it to
// the input, plus one pixel for the approximation of the forward mapping;
// then each input pixel of the box is mapped forward to the
// target and added to the output pixel that contains it.
func (r *Reader) average(ctx context.Context, reg chunk.Region, dst *chunk.Array, s *scratch) error {
	rmin, cmin, rmax, cmax := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	add := func(row, col float64) {
		y, x := r.toSrc.exact(row, col)
		if !math.IsNaN(y) && !math.IsNaN(x) {
			rmin, rmax, cmin, cmax = min(rmin, y), max(rmax, y), min(cmin, x), max(cmax, x)
		}
	}
	top, bot := float64(reg.Row0)-0.5, float64(reg.Row1)-0.5
	left, right := float64(reg.Col0)-0.5, float64(reg.Col1)-0.5
	for c := left; c <= right; c++ {
		add(top, c)
		add(bot, c)
	}
	for row := top; row <= bot; row++ {
		add(row, left)
		add(row, right)
	}
	for row := top; row <= bot; row += 16 {
		for c := left; c <= right; c += 16 {
			add(row, c)
		}
	}
	lim := r.srcGrid.Shape.Bounds()
	foot := chunk.Region{}
	if rmin <= rmax {
		foot = chunk.Rect(clampIdx(math.Floor(rmin+0.5), lim.Row1), clampIdx(math.Floor(cmin+0.5), lim.Col1),
			clampIdx(math.Floor(rmax+0.5)+1, lim.Row1), clampIdx(math.Floor(cmax+0.5)+1, lim.Col1)).Grow(1).Intersect(lim)
	}
	if foot.Empty() {
		r.fillAll(dst)
		return nil
	}
	if done, err := r.split(ctx, foot, reg, dst, s); done {
		return err
	}
	if err := r.readInput(ctx, foot, s); err != nil {
		return err
	}
	if err := r.inputFloats(s); err != nil {
		return err
	}
	n, fw := reg.Len(), foot.Cols()
	s.sum, s.count = grow(s.sum, n), grow(s.count, n)
	clear(s.sum)
	clear(s.count)
	s.rs, s.cs = grow(s.rs, fw), grow(s.cs, fw)
	r0, r1, c0, c1 := float64(reg.Row0), float64(reg.Row1), float64(reg.Col0), float64(reg.Col1)
	w := reg.Cols()
	for row := foot.Row0; row < foot.Row1; row++ {
		r.toDst.row(row, foot.Col0, s.rs, s.cs)
		vals := s.vals[(row-foot.Row0)*fw : (row-foot.Row0+1)*fw]
		for j, v := range vals {
			y, x := s.rs[j]+0.5, s.cs[j]+0.5
			if v != v || !(y >= r0 && y < r1 && x >= c0 && x < c1) {
				continue
			}
			k := (int(y)-reg.Row0)*w + int(x) - reg.Col0
			s.sum[k] += float64(v)
			s.count[k]++
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	out := chunk.Elems[float32](dst)
	nan := float32(math.NaN())
	for i := range reg.Rows() {
		o := out[i*dst.Stride : i*dst.Stride+w]
		for j := range o {
			k := i*w + j
			if s.count[k] == 0 {
				o[j] = nan
			} else {
				o[j] = float32(s.sum[k] / float64(s.count[k]))
			}
		}
	}
	return nil
}
