package quicklook

import (
	"fmt"
	"image"
	"image/color"

	"chunkpipe/chunk"
)

// Render draws vals, block means in row-major order of shape, through
// stretch s and colormap cm. Missing values (NaN, ±Inf) become transparent
// pixels. When cm is grey and no value is missing the result is an
// *image.Gray (a smaller PNG); otherwise it is an *image.NRGBA. Pixel
// (x, y) shows vals[y*shape.Cols+x]. It panics when len(vals) is not
// shape.Len().
func Render(vals []float64, shape chunk.Shape, s Stretch, cm *Colormap) image.Image {
	checkLen(len(vals), shape)
	r := image.Rect(0, 0, shape.Cols, shape.Rows)
	if cm.Gray() && !anyMissing(vals) {
		img := image.NewGray(r)
		for y := range shape.Rows {
			row := img.Pix[y*img.Stride : y*img.Stride+shape.Cols]
			for x, v := range vals[y*shape.Cols : (y+1)*shape.Cols] {
				row[x] = cm.table[Level(s.Apply(v))].R
			}
		}
		return img
	}
	img := image.NewNRGBA(r)
	for y := range shape.Rows {
		row := img.Pix[y*img.Stride : y*img.Stride+4*shape.Cols]
		for x, v := range vals[y*shape.Cols : (y+1)*shape.Cols] {
			var c color.NRGBA
			if !isMissing(v) {
				c = cm.table[Level(s.Apply(v))]
			}
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = c.R, c.G, c.B, c.A
		}
	}
	return img
}

// RenderRGB draws three channels of block means (row-major order of shape)
// as an RGB picture, channel i through stretch s[i]. A pixel is fully
// transparent when any channel is missing there (NaN, ±Inf), and opaque
// otherwise. It panics when a channel's length is not shape.Len().
func RenderRGB(ch [3][]float64, shape chunk.Shape, s [3]Stretch) *image.NRGBA {
	for _, c := range ch {
		checkLen(len(c), shape)
	}
	img := image.NewNRGBA(image.Rect(0, 0, shape.Cols, shape.Rows))
	for y := range shape.Rows {
		row := img.Pix[y*img.Stride : y*img.Stride+4*shape.Cols]
		for x := range shape.Cols {
			k := y*shape.Cols + x
			r, g, b := ch[0][k], ch[1][k], ch[2][k]
			if isMissing(r) || isMissing(g) || isMissing(b) {
				continue // NewNRGBA is zeroed: transparent black
			}
			p := row[4*x : 4*x+4 : 4*x+4]
			p[0] = Level(s[0].Apply(r))
			p[1] = Level(s[1].Apply(g))
			p[2] = Level(s[2].Apply(b))
			p[3] = 255
		}
	}
	return img
}

func checkLen(n int, shape chunk.Shape) {
	if n != shape.Len() {
		panic(fmt.Sprintf("quicklook: %d values for a %v picture", n, shape))
	}
}

func anyMissing(vals []float64) bool {
	for _, v := range vals {
		if isMissing(v) {
			return true
		}
	}
	return false
}
