package trace_test

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/pipeline"
	"chunkpipe/trace"
)

var pictures = flag.String("pictures", "", "also write the sample timelines to this directory")

// Kind colours as DrawTimeline paints them, for finding bars in pictures.
var (
	computeColor = color.RGBA{0x54, 0xa2, 0x4b, 0xff}
	readColor    = color.RGBA{0x4c, 0x78, 0xa8, 0xff}
	writeColor   = color.RGBA{0xb2, 0x79, 0xa2, 0xff}
	waitColor    = color.RGBA{0xfb, 0xe0, 0xdc, 0xff}
)

// legendStrip is the height of the legend row under the time axis.
const legendStrip = 34

// maxColumnCount returns the largest number of pixels of colour c in one
// column of img, above the legend.
func maxColumnCount(img image.Image, c color.RGBA) int {
	b := img.Bounds()
	best := 0
	for x := b.Min.X; x < b.Max.X; x++ {
		n := 0
		for y := b.Min.Y; y < b.Max.Y-legendStrip; y++ {
			if color.RGBAModel.Convert(img.At(x, y)) == c {
				n++
			}
		}
		best = max(best, n)
	}
	return best
}

// hasColor reports whether any pixel of img in rows [y0,y1) has colour c.
func hasColor(img image.Image, c color.RGBA, y0, y1 int) bool {
	b := img.Bounds()
	for y := y0; y < y1; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) == c {
				return true
			}
		}
	}
	return false
}

func TestDrawTimeline(t *testing.T) {
	tests := []struct {
		name  string
		title string
		spans []pipeline.Span
		rows  int
	}{
		{
			name:  "free",
			title: "free: 4 kernel workers compute side by side",
			spans: simulate(simConfig{Workers: 4, Chunks: 16, Read: 20, Compute: 80, Write: 10}),
			rows:  6,
		},
		{
			name:  "gil",
			title: "gil, 5 ms switch interval: 4 kernel workers take turns",
			spans: simulate(simConfig{Workers: 4, Chunks: 16, Read: 20, Compute: 80, Write: 10, GIL: true, Interval: 50}),
			rows:  6,
		},
		{
			name:  "gil-interval-0",
			title: "gil, switch interval 0: the lock passes only between chunks",
			spans: simulate(simConfig{Workers: 2, Chunks: 8, Read: 20, Compute: 80, Write: 10, GIL: true}),
			rows:  4,
		},
	}
	maxCompute := make(map[string]int)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := trace.DrawTimeline(&buf, tc.spans, tc.title); err != nil {
				t.Fatal(err)
			}
			if *pictures != "" {
				if err := os.WriteFile(filepath.Join(*pictures, "timeline-"+tc.name+".png"), buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			img, err := png.Decode(&buf)
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if got, want := img.Bounds().Size(), image.Pt(1600, 110+40*tc.rows); got != want {
				t.Errorf("size %v, want %v", got, want)
			}
			h := img.Bounds().Dy()
			for name, c := range map[string]color.RGBA{"read": readColor, "compute": computeColor, "write": writeColor, "lock-wait": waitColor} {
				if !hasColor(img, c, h-legendStrip, h) {
					t.Errorf("legend lacks the %s colour", name)
				}
			}
			if !hasColor(img, color.RGBA{0, 0, 0, 0xff}, 0, 30) {
				t.Error("no title text at the top")
			}
			maxCompute[tc.name] = maxColumnCount(img, computeColor)
		})
	}
	// Side by side, some instant shows several kernel rows computing; under
	// the gil never more than one (bars are ~20 px high at 40 px a row).
	if free, gil := maxCompute["free"], maxCompute["gil"]; free < 3*gil || gil > 30 || gil == 0 {
		t.Errorf("most compute pixels in one column: free %d, gil %d; want free several bars tall, gil one", free, gil)
	}
}

func TestDrawTimelineEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := trace.DrawTimeline(&buf, nil, "nothing"); err == nil || err.Error() != "trace: no spans to draw" {
		t.Fatalf("err = %v, want trace: no spans to draw", err)
	}
}
