package quicklook_test

import (
	"fmt"

	"chunkpipe/formats/quicklook"
)

func ExampleStretch() {
	// A brightness temperature stretch, inverted so that cold clouds are
	// bright, with satpy's gamma convention (t ** (1/gamma)).
	s := quicklook.Stretch{Lo: 330, Hi: 180, Gamma: 2}
	for _, bt := range []float64{340, 292.5, 180} {
		t := s.Apply(bt)
		fmt.Printf("%.1f K -> %.3f -> level %d\n", bt, t, quicklook.Level(t))
	}
	// Output:
	// 340.0 K -> 0.000 -> level 0
	// 292.5 K -> 0.500 -> level 128
	// 180.0 K -> 1.000 -> level 255
}

func ExamplePercentile() {
	sorted := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	fmt.Println(quicklook.Percentile(sorted, 2), quicklook.Percentile(sorted, 98))
	// Output: 1.18 9.82
}
