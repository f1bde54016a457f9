package resample

import (
	"math"

	"chunkpipe/chunk"
)

// nearest copies, for each pixel of dst, the element of src (a tight array
// whose Rect is the input box read) at the rounded input index in rs and
// cs (row-major over dst.Rect), or fill when the index is NaN or outside
// src. Elements are copied as bits, whatever their type.
func nearest(dst, src *chunk.Array, rs, cs []float64, fill []byte) {
	switch dst.DType.Size() {
	case 1:
		nearestT[uint8](dst, src, rs, cs, fill)
	case 2:
		nearestT[uint16](dst, src, rs, cs, fill)
	case 4:
		nearestT[uint32](dst, src, rs, cs, fill)
	case 8:
		nearestT[uint64](dst, src, rs, cs, fill)
	}
}

func nearestT[T uint8 | uint16 | uint32 | uint64](dst, src *chunk.Array, rs, cs []float64, fillBytes []byte) {
	fill := chunk.Elems[T](&chunk.Array{DType: dst.DType, Rect: chunk.Rect(0, 0, 1, 1), Stride: 1, Data: fillBytes})[0]
	out, in := chunk.Elems[T](dst), chunk.Elems[T](src)
	fr := src.Rect
	r0, r1, c0, c1 := float64(fr.Row0), float64(fr.Row1), float64(fr.Col0), float64(fr.Col1)
	w := dst.Rect.Cols()
	for i := range dst.Rect.Rows() {
		o := out[i*dst.Stride : i*dst.Stride+w]
		rr, cc := rs[i*w:(i+1)*w], cs[i*w:(i+1)*w]
		for j := range o {
			y, x := rr[j]+0.5, cc[j]+0.5
			// false for NaN; y and x are >= 0 inside, so int() floors.
			if !(y >= r0 && y < r1 && x >= c0 && x < c1) {
				o[j] = fill
				continue
			}
			o[j] = in[(int(y)-fr.Row0)*src.Stride+int(x)-fr.Col0]
		}
	}
}

// bilinear interpolates vals (the input box foot, row-major, NaN where
// missing) at the input indices rs, cs into dst (float32). A point must lie
// within the input's pixel edges; neighbours outside foot (which is
// clipped to the input) or NaN are left out and the others' weights
// renormalised. Points outside the input's edges (src) are NaN.
func bilinear(dst *chunk.Array, vals []float32, foot chunk.Region, src chunk.Shape, rs, cs []float64) {
	maxR, maxC := float64(src.Rows)-0.5, float64(src.Cols)-0.5
	out := chunk.Elems[float32](dst)
	nan := float32(math.NaN())
	w, fw := dst.Rect.Cols(), foot.Cols()
	for i := range dst.Rect.Rows() {
		o := out[i*dst.Stride : i*dst.Stride+w]
		rr, cc := rs[i*w:(i+1)*w], cs[i*w:(i+1)*w]
		for j := range o {
			y, x := rr[j], cc[j]
			if !(y >= -0.5 && x >= -0.5 && y < maxR && x < maxC) {
				o[j] = nan
				continue
			}
			fy, fx := math.Floor(y), math.Floor(x)
			ty, tx := y-fy, x-fx
			r, c := int(fy), int(fx)
			w00, w01, w10, w11 := (1-ty)*(1-tx), (1-ty)*tx, ty*(1-tx), ty*tx
			if r >= foot.Row0 && r+1 < foot.Row1 && c >= foot.Col0 && c+1 < foot.Col1 {
				// All four neighbours inside: the common case, without the
				// loop (same sums in the same order as below).
				k := (r-foot.Row0)*fw + c - foot.Col0
				v00, v01, v10, v11 := vals[k], vals[k+1], vals[k+fw], vals[k+fw+1]
				if v00 == v00 && v01 == v01 && v10 == v10 && v11 == v11 {
					acc := w00*float64(v00) + w01*float64(v01) + w10*float64(v10) + w11*float64(v11)
					o[j] = float32(acc / (w00 + w01 + w10 + w11))
					continue
				}
			}
			var acc, wsum float64
			for _, n := range [4]struct {
				dr, dc int
				w      float64
			}{{0, 0, w00}, {0, 1, w01}, {1, 0, w10}, {1, 1, w11}} {
				rr, cc := r+n.dr, c+n.dc
				if rr < foot.Row0 || rr >= foot.Row1 || cc < foot.Col0 || cc >= foot.Col1 || n.w == 0 {
					continue
				}
				v := vals[(rr-foot.Row0)*fw+cc-foot.Col0]
				if v != v {
					continue
				}
				acc += n.w * float64(v)
				wsum += n.w
			}
			if wsum < 1e-5 {
				o[j] = nan
				continue
			}
			o[j] = float32(acc / wsum)
		}
	}
}
