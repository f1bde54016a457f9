package quicklook

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"chunkpipe/formats"
)

// Colormap turns display intensities in [0, 1] into opaque colours through
// a 256-entry table. Colormaps are immutable and safe for concurrent use.
type Colormap struct {
	name  string
	table [256]color.NRGBA
}

// Name returns the colormap's name, e.g. "viridis".
func (c *Colormap) Name() string { return c.name }

// Gray reports whether every entry is a shade of grey, so that a picture
// without transparency can be stored as 8-bit greyscale.
func (c *Colormap) Gray() bool {
	for _, e := range c.table {
		if e.R != e.G || e.G != e.B {
			return false
		}
	}
	return true
}

// Entry returns table entry i.
func (c *Colormap) Entry(i uint8) color.NRGBA { return c.table[i] }

// At returns the colour of intensity t: the table entry [Level](t), so t is
// clipped to [0, 1]. NaN gives transparent black.
func (c *Colormap) At(t float64) color.NRGBA {
	if math.IsNaN(t) {
		return color.NRGBA{}
	}
	return c.table[Level(t)]
}

var colormaps = map[string]*Colormap{
	"gray":    buildTable("gray", grayAnchors),
	"viridis": buildTable("viridis", viridisAnchors),
	"magma":   buildTable("magma", magmaAnchors),
	"inferno": buildTable("inferno", infernoAnchors),
}

// buildTable interpolates linearly in sRGB between anchors, which must be
// sorted by index and start at 0 and end at 255, and rounds to 8 bits.
func buildTable(name string, anchors []anchor) *Colormap {
	c := &Colormap{name: name}
	k := 0
	for i := range 256 {
		for anchors[k+1].Index < uint8(i) {
			k++
		}
		a, b := anchors[k], anchors[k+1]
		t := float64(i-int(a.Index)) / float64(int(b.Index)-int(a.Index))
		c.table[i] = color.NRGBA{
			R: Level(a.R + t*(b.R-a.R)),
			G: Level(a.G + t*(b.G-a.G)),
			B: Level(a.B + t*(b.B-a.B)),
			A: 255,
		}
	}
	return c
}

// ColormapNames returns the names [ColormapByName] knows, sorted.
func ColormapNames() []string {
	names := make([]string, 0, len(colormaps))
	for n := range colormaps {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ColormapByName returns the named colormap ("grey" is accepted for
// "gray"; case is ignored).
func ColormapByName(name string) (*Colormap, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "grey" {
		n = "gray"
	}
	c, ok := colormaps[n]
	return c, ok
}

// AutoColormap is the colormap the "auto" setting picks for brightness
// temperatures.
const AutoColormap = "inferno"

// ResolveColormap returns the colormap for the "colormap" option value:
// "" means gray, and "auto" means [AutoColormap] when attrs has units "K"
// (a brightness temperature) and gray otherwise.
func ResolveColormap(name string, attrs formats.Attrs) (*Colormap, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "":
		n = "gray"
	case "auto":
		n = "gray"
		if u, ok := attrs.String("units"); ok && strings.TrimSpace(u) == "K" {
			n = AutoColormap
		}
	}
	c, ok := ColormapByName(n)
	if !ok {
		return nil, fmt.Errorf("quicklook: unknown colormap %q (want auto, %s)", name, strings.Join(ColormapNames(), ", "))
	}
	return c, nil
}
