package trace

import (
	"errors"
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"chunkpipe/pipeline"
)

// Timeline picture geometry, in pixels (the canvas uses 72 dpi, so one
// vg point is one pixel).
const (
	timelineWidth  = 1600
	timelineFixed  = 110 // title, time axis and legend
	timelineRow    = 40  // per worker
	legendHeight   = 34
	swatchW        = 26
	swatchH        = 14
	legendItemGap  = 28
	legendLabelGap = 6
)

// DrawTimeline writes a PNG timeline of spans: one row per worker, labelled
// on the left in track order (read, kernel, write workers; see the package
// doc), time in seconds across with its axis at the bottom, and one bar per
// span coloured by kind, with the chunk number written on bars wide enough
// to hold it. A legend under the axis names the colours of the five kinds
// (read, decode, lock-wait, compute, write); the lock wait is pale and
// hatched. A free run shows kernel workers computing side by side; a gil run
// shows their compute bars interleaved, each worker waiting while another
// computes.
//
// The picture is 1600 pixels wide and 110+40*rows high. Spans shorter than
// a pixel are drawn a pixel wide; empty spans are not drawn. An empty span
// list is an error.
func DrawTimeline(w io.Writer, spans []pipeline.Span, title string) error {
	if len(spans) == 0 {
		return errors.New("trace: no spans to draw")
	}
	workers := workerOrder(spans)
	rows := make(map[string]int, len(workers))
	for i, name := range workers {
		rows[name] = i
	}
	var end float64
	for _, s := range spans {
		end = max(end, s.End.Seconds())
	}
	if end <= 0 {
		end = 1e-3 // all spans empty: still draw an axis
	}

	p := plot.New()
	sans := font.Font{Typeface: "Liberation", Variant: "Sans"}
	for _, sty := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.X.Tick.Label, &p.Y.Tick.Label} {
		sty.Font.Typeface, sty.Font.Variant = sans.Typeface, sans.Variant
	}
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = 20
	p.Title.Padding = 8
	p.X.Label.Text = "time since run start (s)"
	p.X.Label.TextStyle.Font.Size = 15
	p.X.Tick.Label.Font.Size = 14
	p.X.Min, p.X.Max = 0, end*1.005
	p.X.Tick.Marker = secondsTicks{}
	p.Y.Tick.Label.Font.Size = 14
	p.Y.Min, p.Y.Max = -0.5, float64(len(workers))-0.5
	p.Y.Padding = 0
	ticks := make([]plot.Tick, len(workers))
	for i, name := range workers {
		ticks[i] = plot.Tick{Value: float64(len(workers) - 1 - i), Label: name}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Tick.Length = 0

	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil
	grid.Vertical.Color = color.Gray{0xc8}
	label := p.X.Tick.Label
	label.Font.Size = 11
	label.Color = color.White
	label.XAlign, label.YAlign = text.XCenter, text.YCenter
	p.Add(
		rowBands{rows: len(workers), color: color.Gray{0xf2}},
		grid,
		spanBars{spans: spans, row: rows, rows: len(workers), end: end, label: label},
	)

	height := vg.Length(timelineFixed + timelineRow*len(workers))
	img := vgimg.NewWith(vgimg.UseWH(timelineWidth, height), vgimg.UseDPI(72), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(img)
	p.Draw(draw.Crop(dc, 4, -16, legendHeight, 0))
	legend := p.X.Tick.Label
	legend.Font.Size = 14
	drawLegend(draw.Crop(dc, 0, 0, 0, legendHeight-height), legend)

	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(w); err != nil {
		return fmt.Errorf("trace: writing timeline: %w", err)
	}
	return nil
}

// drawLegend draws one swatch and name per span kind in a centred row.
func drawLegend(c draw.Canvas, sty text.Style) {
	sty.XAlign, sty.YAlign = text.XLeft, text.YCenter
	var total vg.Length
	for i, k := range kindStyles {
		if i > 0 {
			total += legendItemGap
		}
		total += swatchW + legendLabelGap + sty.Width(k.kind)
	}
	x := (c.Min.X + c.Max.X - total) / 2
	y := (c.Min.Y + c.Max.Y) / 2
	for _, k := range kindStyles {
		x0, x1, y0, y1 := x, x+swatchW, y-swatchH/2, y+swatchH/2
		c.FillPolygon(k.fill, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		if k.hatch != nil {
			hatch(c, k.hatch, x0, x1, y0, y1)
		}
		x = x1 + legendLabelGap
		c.FillText(sty, vg.Point{X: x, Y: y}, k.kind)
		x += sty.Width(k.kind) + legendItemGap
	}
}
