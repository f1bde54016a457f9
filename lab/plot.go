package lab

import (
	"cmp"
	"errors"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Chart size: 960x600 pixels at the PNG writer's 96 dpi.
const (
	chartWidth  = 10 * vg.Inch
	chartHeight = 6.25 * vg.Inch
)

// lockColors keeps each lock mode's colour the same on every chart.
var lockColors = map[string]color.RGBA{
	LockFree:      {0x1f, 0x77, 0xb4, 0xff},
	LockGIL:       {0xd6, 0x27, 0x28, 0xff},
	LockProcesses: {0x2c, 0xa0, 0x2c, 0xff},
}

// lockStyle returns the colour and glyph of the i-th lock mode on a chart.
func lockStyle(lock string, i int) (color.Color, draw.GlyphDrawer) {
	if c, ok := lockColors[lock]; ok {
		return c, plotutil.Shape(i)
	}
	return plotutil.Color(i + 3), plotutil.Shape(i)
}

// Plot draws the sweep's charts into dir (created if missing), each as a PNG
// and an SVG, and returns the paths written:
//
//   - speedup.png/.svg: speedup over one worker against worker count, one
//     line per lock mode, with the ideal y = x dashed. Each lock mode's line
//     follows its best chunk spec (the one fastest at that mode's largest
//     worker count), named in the legend, so the chart compares lock modes
//     at their best rather than drawing a tangle of lines per spec.
//   - throughput.png/.svg: median MB/s against chunk spec, the specs as
//     categories in the order the rows give them, one line per lock mode at
//     its largest worker count.
//
// A chart without data (no speedups when no one-worker point ran, no
// successful run at all) is skipped; rows with nothing to chart is an
// error.
func Plot(dir string, rows []Row) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	var paths []string
	charts := []struct {
		name string
		make func([]Row) (*plot.Plot, error)
	}{
		{"speedup", speedupChart},
		{"throughput", throughputChart},
	}
	for _, c := range charts {
		p, err := c.make(rows)
		if err != nil {
			return paths, err
		}
		if p == nil {
			continue
		}
		for _, ext := range []string{".png", ".svg"} {
			path := filepath.Join(dir, c.name+ext)
			if err := p.Save(chartWidth, chartHeight, path); err != nil {
				return paths, fmt.Errorf("lab: saving %s: %w", path, err)
			}
			paths = append(paths, path)
		}
	}
	if len(paths) == 0 {
		return nil, errors.New("lab: no successful runs to plot")
	}
	return paths, nil
}

// newChart returns a plot with the charts' common styling.
func newChart(title, x, y string) *plot.Plot {
	p := plot.New()
	for _, sty := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle,
		&p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		sty.Font.Typeface, sty.Font.Variant = "Liberation", "Sans"
	}
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = 16
	p.Title.Padding = 8
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.X.Label.TextStyle.Font.Size = 13
	p.Y.Label.TextStyle.Font.Size = 13
	p.X.Tick.Label.Font.Size = 11
	p.Y.Tick.Label.Font.Size = 11
	p.Legend.TextStyle.Font.Size = 12
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = 12, -8
	p.Legend.Padding = vg.Points(4)
	p.Legend.ThumbnailWidth = vg.Points(30)
	p.Y.Min = 0
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{0xe0}
	grid.Horizontal.Color = color.Gray{0xe0}
	p.Add(grid)
	return p
}

// locksOf returns the lock modes of rows in order of first appearance.
func locksOf(rows []Row) []string {
	var locks []string
	seen := make(map[string]bool)
	for _, r := range rows {
		if !seen[r.Lock] {
			seen[r.Lock] = true
			locks = append(locks, r.Lock)
		}
	}
	return locks
}

// addLine adds a line with point glyphs, styled for the i-th lock mode.
func addLine(p *plot.Plot, lock string, i int, label string, xys plotter.XYs) error {
	line, points, err := plotter.NewLinePoints(xys)
	if err != nil {
		return fmt.Errorf("lab: %s line: %w", lock, err)
	}
	clr, shape := lockStyle(lock, i)
	line.Color, line.Width = clr, vg.Points(2)
	points.Color, points.Shape, points.Radius = clr, shape, vg.Points(4)
	p.Add(line, points)
	p.Legend.Add(label, line, points)
	return nil
}

// speedupChart draws speedup against workers; nil if no row has a speedup.
func speedupChart(rows []Row) (*plot.Plot, error) {
	p := newChart("Speedup over one worker", "kernel workers", "speedup (median wall at 1 worker / median wall)")
	maxW, lines := 0, 0
	for i, lock := range locksOf(rows) {
		spec, ok := bestSpec(rows, lock, func(r Row) bool { return r.Speedup > 0 })
		if !ok {
			continue
		}
		var xys plotter.XYs
		for _, r := range rows {
			if r.Lock == lock && r.Chunks == spec && r.Speedup > 0 {
				xys = append(xys, plotter.XY{X: float64(r.Workers), Y: r.Speedup})
				maxW = max(maxW, r.Workers)
			}
		}
		sortXY(xys)
		if err := addLine(p, lock, i, fmt.Sprintf("%s (chunks %s)", lock, spec), xys); err != nil {
			return nil, err
		}
		lines++
	}
	if lines == 0 {
		return nil, nil
	}
	ideal, err := plotter.NewLine(plotter.XYs{{X: 1, Y: 1}, {X: float64(maxW), Y: float64(maxW)}})
	if err != nil {
		return nil, fmt.Errorf("lab: ideal line: %w", err)
	}
	ideal.Color, ideal.Width = color.Gray{0x70}, vg.Points(1.5)
	ideal.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
	p.Add(ideal)
	p.Legend.Add("ideal (speedup = workers)", ideal)
	p.X.Min = 0
	p.X.Max = float64(maxW) * 1.05
	p.Y.Max = float64(maxW) * 1.05
	p.X.Tick.Marker = workerTicks(rows)
	p.Y.Tick.Marker = speedupTicks(maxW)
	return p, nil
}

// throughputChart draws MB/s against chunk spec at each lock mode's largest
// worker count; nil if no run succeeded.
func throughputChart(rows []Row) (*plot.Plot, error) {
	var specs []string
	index := make(map[string]int)
	for _, r := range rows {
		if _, ok := index[r.Chunks]; !ok {
			index[r.Chunks] = len(specs)
			specs = append(specs, r.Chunks)
		}
	}
	workersUsed := make(map[int]bool)
	var lines []func(p *plot.Plot) error
	for i, lock := range locksOf(rows) {
		w := maxWorkers(rows, lock)
		if w == 0 {
			continue
		}
		workersUsed[w] = true
		var xys plotter.XYs
		for _, r := range rows {
			if r.Lock == lock && r.Workers == w && r.N > 0 {
				xys = append(xys, plotter.XY{X: float64(index[r.Chunks]), Y: r.MBps})
			}
		}
		sortXY(xys)
		label := fmt.Sprintf("%s, %d workers", lock, w)
		lines = append(lines, func(p *plot.Plot) error { return addLine(p, lock, i, label, xys) })
	}
	if len(lines) == 0 {
		return nil, nil
	}
	title := "Throughput by chunk size, at the largest worker count"
	if len(workersUsed) == 1 {
		for w := range workersUsed {
			title = fmt.Sprintf("Throughput by chunk size at %d workers", w)
		}
	}
	p := newChart(title, "chunk spec", "median throughput (MB/s of input)")
	for _, add := range lines {
		if err := add(p); err != nil {
			return nil, err
		}
	}
	top := 0.0
	for _, r := range rows {
		top = max(top, r.MBps)
	}
	p.Y.Max = top * 1.3 // headroom for the legend
	p.NominalX(specs...)
	p.X.Min, p.X.Max = -0.5, float64(len(specs))-0.5
	return p, nil
}

// maxWorkers returns the largest worker count of lock's successful rows.
func maxWorkers(rows []Row, lock string) int {
	w := 0
	for _, r := range rows {
		if r.Lock == lock && r.N > 0 {
			w = max(w, r.Workers)
		}
	}
	return w
}

// bestSpec returns the chunk spec with the lowest median wall among lock's
// rows that pass keep, at the largest worker count such rows have.
func bestSpec(rows []Row, lock string, keep func(Row) bool) (string, bool) {
	w := 0
	for _, r := range rows {
		if r.Lock == lock && r.N > 0 && keep(r) {
			w = max(w, r.Workers)
		}
	}
	var best *Row
	for i, r := range rows {
		if r.Lock == lock && r.Workers == w && r.N > 0 && keep(r) && (best == nil || r.Wall < best.Wall) {
			best = &rows[i]
		}
	}
	if best == nil {
		return "", false
	}
	return best.Chunks, true
}

// workerTicks puts a labelled tick at every worker count in rows.
func workerTicks(rows []Row) plot.ConstantTicks {
	seen := make(map[int]bool)
	var ticks plot.ConstantTicks
	for _, r := range rows {
		if !seen[r.Workers] {
			seen[r.Workers] = true
			ticks = append(ticks, plot.Tick{Value: float64(r.Workers), Label: fmt.Sprint(r.Workers)})
		}
	}
	return ticks
}

// speedupTicks labels the speedup axis at whole numbers up to maxW, about
// eight of them.
func speedupTicks(maxW int) plot.ConstantTicks {
	step := max(1, (maxW+7)/8)
	var ticks plot.ConstantTicks
	for v := 0; v <= maxW; v += step {
		ticks = append(ticks, plot.Tick{Value: float64(v), Label: fmt.Sprint(v)})
	}
	return ticks
}

// sortXY orders points by x, so lines run left to right.
func sortXY(xys plotter.XYs) {
	slices.SortFunc(xys, func(a, b plotter.XY) int { return cmp.Compare(a.X, b.X) })
}
