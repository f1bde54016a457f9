package trace

import (
	"image/color"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"chunkpipe/pipeline"
)

// barHeight is the fraction of a row a span's bar fills.
const barHeight = 0.7

// edge outlines each bar.
var edge = draw.LineStyle{Color: color.White, Width: 1}

// hatchStep is the spacing of the lock wait's diagonal hatching.
const hatchStep = vg.Length(7)

// rowBands is a plotter that shades every other worker row, so long rows
// are easy to follow across the picture.
type rowBands struct {
	rows  int
	color color.Color
}

// Plot implements plot.Plotter.
func (b rowBands) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x0, x1 := trX(p.X.Min), trX(p.X.Max)
	for r := 0; r < b.rows; r += 2 {
		y := float64(b.rows - 1 - r)
		rect := []vg.Point{{X: x0, Y: trY(y - 0.5)}, {X: x1, Y: trY(y - 0.5)}, {X: x1, Y: trY(y + 0.5)}, {X: x0, Y: trY(y + 0.5)}}
		c.FillPolygon(b.color, c.ClipPolygonXY(rect))
	}
}

// spanBars is a plotter that draws each span as a bar in its worker's row,
// coloured by kind, with the chunk number written on bars wide enough.
type spanBars struct {
	spans []pipeline.Span
	row   map[string]int // worker -> row, 0 at the top
	rows  int
	end   float64 // seconds
	label draw.TextStyle
}

// DataRange implements plot.DataRanger.
func (b spanBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, b.end, -0.5, float64(b.rows) - 0.5
}

// Plot implements plot.Plotter.
func (b spanBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, s := range b.spans {
		if s.End <= s.Start {
			continue
		}
		y := float64(b.rows - 1 - b.row[s.Worker])
		x0, x1 := trX(s.Start.Seconds()), trX(s.End.Seconds())
		if x1-x0 < 1 {
			x1 = x0 + 1 // at least a pixel, so short spans still show
		}
		y0, y1 := trY(y-barHeight/2), trY(y+barHeight/2)
		st := styleOf(s.Kind)
		rect := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
		c.FillPolygon(st.fill, c.ClipPolygonXY(rect))
		if st.hatch != nil {
			hatch(c, st.hatch, x0, x1, y0, y1)
		}
		if x1-x0 > 4 {
			// A white edge keeps back-to-back spans apart.
			c.StrokeLines(edge, c.ClipLinesXY(append(rect, rect[0]))...)
		}
		if s.Kind != pipeline.StageLock {
			txt := strconv.Itoa(s.Chunk)
			if s.Chunk < 0 {
				txt = s.Kind // a span of no chunk: a cluster coordinator's publish or commit
			}
			if w := b.label.Width(txt); w+6 < x1-x0 {
				c.FillText(b.label, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, txt)
			}
		}
	}
}

// hatch draws diagonal lines hatchStep apart across the rectangle
// [x0,x1]x[y0,y1]. The lines y = x - k are anchored to the canvas, so
// neighbouring rectangles' hatching lines up.
func hatch(c draw.Canvas, clr color.Color, x0, x1, y0, y1 vg.Length) {
	sty := draw.LineStyle{Color: clr, Width: 1}
	k := vg.Length(int((x0-y1)/hatchStep)) * hatchStep
	for ; k <= x1-y0; k += hatchStep {
		lo, hi := max(x0, y0+k), min(x1, y1+k)
		if lo >= hi {
			continue
		}
		line := []vg.Point{{X: lo, Y: lo - k}, {X: hi, Y: hi - k}}
		c.StrokeLines(sty, c.ClipLinesXY(line)...)
	}
}
