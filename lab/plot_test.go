package lab_test

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"chunkpipe/lab"
)

func TestPlot(t *testing.T) {
	tests := []struct {
		name  string
		rows  []lab.Row
		files []string
	}{
		{
			name:  "full sweep",
			rows:  lab.Summarize(benchSamples()),
			files: []string{"speedup.png", "speedup.svg", "throughput.png", "throughput.svg"},
		},
		{
			name:  "no one-worker point: no speedup chart",
			rows:  lab.Summarize([]lab.Sample{smp(4, "free", "256", 10), smp(4, "free", "auto", 12)}),
			files: []string{"throughput.png", "throughput.svg"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "charts")
			if *pictures != "" && tc.name == "full sweep" {
				dir = *pictures
			}
			paths, err := lab.Plot(dir, tc.rows)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range paths {
				names = append(names, filepath.Base(p))
			}
			if !reflect.DeepEqual(names, tc.files) {
				t.Fatalf("wrote %v, want %v", names, tc.files)
			}
			for _, p := range paths {
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				switch filepath.Ext(p) {
				case ".png":
					img, err := png.Decode(bytes.NewReader(data))
					if err != nil {
						t.Fatalf("%s: %v", p, err)
					}
					if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 500 {
						t.Errorf("%s is only %v", p, b.Size())
					}
				case ".svg":
					if !bytes.Contains(data, []byte("<svg")) || !bytes.Contains(data, []byte("</svg>")) {
						t.Errorf("%s is not an SVG document", p)
					}
				}
			}
			if tc.name == "full sweep" {
				svg, _ := os.ReadFile(filepath.Join(dir, "speedup.svg"))
				for _, want := range []string{"Speedup over one worker", "kernel workers", "free (chunks 512)", "gil (chunks 512)", "ideal"} {
					if !strings.Contains(string(svg), want) {
						t.Errorf("speedup.svg lacks %q", want)
					}
				}
				svg, _ = os.ReadFile(filepath.Join(dir, "throughput.svg"))
				for _, want := range []string{"at 8 workers", "chunk spec", "256", "1024", "auto", "processes, 8 workers"} {
					if !strings.Contains(string(svg), want) {
						t.Errorf("throughput.svg lacks %q", want)
					}
				}
			}
		})
	}
}

func TestPlotNothing(t *testing.T) {
	rows := lab.Summarize([]lab.Sample{failed(1, "free", "huge", "too big")})
	paths, err := lab.Plot(t.TempDir(), rows)
	if err == nil || err.Error() != "lab: no successful runs to plot" || len(paths) != 0 {
		t.Errorf("paths %v, err %v; want lab: no successful runs to plot", paths, err)
	}
}
