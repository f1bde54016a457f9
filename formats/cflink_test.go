package formats

import (
	"slices"
	"testing"
)

// TestLinkCFAttrs checks that grid_mapping and coordinates end up naming
// only written variables, with the carried mapping and scalar coordinates
// as fallbacks, and that the input attributes are left as they were.
func TestLinkCFAttrs(t *testing.T) {
	written := map[string]bool{"goes_imager_projection": true, "t": true, "band_id": true, "proj2": true}
	cases := []struct {
		name     string
		attrs    Attrs
		mapping  string
		coords   []string
		wantGM   string // "" for none
		wantCoor string // "" for none
	}{
		{"kept", Attrs{{"grid_mapping", "proj2"}, {"coordinates", "band_id t"}}, "goes_imager_projection", nil, "proj2", "band_id t"},
		{"input names unwritten", Attrs{{"grid_mapping", "gone"}, {"coordinates", "gone t"}}, "goes_imager_projection", []string{"band_id"}, "goes_imager_projection", "t"},
		{"fallbacks filtered", Attrs{{"units", "K"}}, "gone", []string{"t", "gone", "band_id"}, "", "t band_id"},
		{"nothing written", Attrs{{"grid_mapping", "x"}, {"coordinates", "y z"}}, "", []string{"q"}, "", ""},
	}
	for _, c := range cases {
		in := slices.Clone(c.attrs)
		got := LinkCFAttrs(c.attrs, c.mapping, c.coords, written)
		if !slices.Equal(in, c.attrs) {
			t.Fatalf("%s: input attributes changed to %v", c.name, c.attrs)
		}
		gm, hasGM := got.String("grid_mapping")
		co, hasCo := got.String("coordinates")
		if gm != c.wantGM || hasGM != (c.wantGM != "") || co != c.wantCoor || hasCo != (c.wantCoor != "") {
			t.Errorf("%s: grid_mapping %q (%v), coordinates %q (%v); want %q, %q", c.name, gm, hasGM, co, hasCo, c.wantGM, c.wantCoor)
		}
		for _, a := range c.attrs {
			if a.Name == "grid_mapping" || a.Name == "coordinates" {
				continue
			}
			if v, ok := got.Get(a.Name); !ok || v != a.Value {
				t.Errorf("%s: attribute %s lost or changed: %v", c.name, a.Name, v)
			}
		}
	}
}
