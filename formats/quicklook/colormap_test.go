package quicklook_test

import (
	"image/color"
	"math"
	"testing"

	"chunkpipe/formats"
	"chunkpipe/formats/quicklook"
)

// Entries of matplotlib's published 256-entry tables (_cm_listed.py),
// times 255 and rounded.
var published = map[string]map[uint8][3]uint8{
	"viridis": {0: {68, 1, 84}, 4: {70, 7, 90}, 8: {71, 13, 96}, 60: {61, 78, 138}, 100: {42, 118, 142},
		196: {103, 204, 92}, 200: {112, 207, 87}, 242: {221, 227, 24}, 255: {253, 231, 37}},
	"magma": {0: {0, 0, 4}, 4: {2, 1, 9}, 8: {3, 3, 18}, 60: {74, 16, 121}, 100: {137, 40, 129},
		196: {252, 144, 101}, 200: {253, 152, 105}, 242: {253, 229, 167}, 255: {252, 253, 191}},
	"inferno": {0: {0, 0, 4}, 4: {2, 1, 10}, 8: {4, 3, 18}, 60: {81, 14, 108}, 100: {144, 37, 104},
		196: {251, 150, 6}, 200: {251, 157, 7}, 242: {241, 237, 113}, 255: {252, 255, 164}},
}

func TestColormapMatchesPublished(t *testing.T) {
	t.Parallel()
	for name, entries := range published {
		t.Run(name, func(t *testing.T) {
			cm, ok := quicklook.ColormapByName(name)
			if !ok {
				t.Fatalf("colormap %s missing", name)
			}
			if cm.Gray() {
				t.Errorf("%s reports Gray", name)
			}
			for i, want := range entries {
				got := cm.Entry(i)
				if got.A != 255 {
					t.Errorf("entry %d alpha %d, want 255", i, got.A)
				}
				tol := 2 // interpolated between anchors
				if i%8 == 0 || i == 255 {
					tol = 0 // anchors are exact
				}
				for k, g := range []uint8{got.R, got.G, got.B} {
					if d := int(g) - int(want[k]); d < -tol || d > tol {
						t.Errorf("entry %d = %v, want %v within %d", i, got, want, tol)
						break
					}
				}
			}
		})
	}
}

func TestColormapEndpointsAndLookup(t *testing.T) {
	t.Parallel()
	for _, name := range quicklook.ColormapNames() {
		cm, _ := quicklook.ColormapByName(name)
		if cm.Name() != name {
			t.Errorf("Name() = %q, want %q", cm.Name(), name)
		}
		tests := []struct {
			t    float64
			want color.NRGBA
		}{
			{0, cm.Entry(0)}, {1, cm.Entry(255)}, {-3, cm.Entry(0)}, {7, cm.Entry(255)},
			{0.5, cm.Entry(128)}, {math.NaN(), color.NRGBA{}},
		}
		for _, tt := range tests {
			if got := cm.At(tt.t); got != tt.want {
				t.Errorf("%s.At(%v) = %v, want %v", name, tt.t, got, tt.want)
			}
		}
		// The perceptual maps (and gray) grow in luma from end to end.
		first, last := luma(cm.Entry(0)), luma(cm.Entry(255))
		if !(last > first+150) {
			t.Errorf("%s: luma %v -> %v is not a dark-to-light map", name, first, last)
		}
	}
	gray, _ := quicklook.ColormapByName("GREY")
	if !gray.Gray() {
		t.Fatal("grey is not Gray")
	}
	for i := range 256 {
		if got, want := gray.Entry(uint8(i)), (color.NRGBA{uint8(i), uint8(i), uint8(i), 255}); got != want {
			t.Fatalf("gray entry %d = %v, want %v", i, got, want)
		}
	}
	if _, ok := quicklook.ColormapByName("jet"); ok {
		t.Error("jet should not exist")
	}
}

func TestColormapMonotoneLuma(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"viridis", "magma", "inferno"} {
		cm, _ := quicklook.ColormapByName(name)
		for i := 1; i < 256; i++ {
			// Rec. 709 luma is a rough stand-in for the maps' CAM02-UCS
			// lightness; allow a little wobble.
			if luma(cm.Entry(uint8(i))) < luma(cm.Entry(uint8(i-1)))-1.5 {
				t.Errorf("%s: luma falls from entry %d to %d", name, i-1, i)
			}
		}
	}
}

func luma(c color.NRGBA) float64 {
	return 0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)
}

func TestResolveColormap(t *testing.T) {
	t.Parallel()
	kelvin := formats.Attrs{}.Set("units", "K")
	tests := []struct {
		name    string
		opt     string
		attrs   formats.Attrs
		want    string
		wantErr bool
	}{
		{"empty is gray", "", kelvin, "gray", false},
		{"auto with kelvin", "auto", kelvin, quicklook.AutoColormap, false},
		{"auto with radiance", "AUTO", formats.Attrs{}.Set("units", "mW m-2 sr-1 (cm-1)-1"), "gray", false},
		{"auto without units", "auto", nil, "gray", false},
		{"auto with numeric units", "auto", formats.Attrs{}.Set("units", 1.0), "gray", false},
		{"explicit wins", "viridis", kelvin, "viridis", false},
		{"unknown", "rainbow", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cm, err := quicklook.ResolveColormap(tt.opt, tt.attrs)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && cm.Name() != tt.want {
				t.Errorf("got %s, want %s", cm.Name(), tt.want)
			}
		})
	}
}
