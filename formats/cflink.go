package formats

import (
	"slices"
	"strings"
)

// LinkCFAttrs returns a data variable's attributes with grid_mapping and
// coordinates naming only variables the output has (written), so that
// clients do not look for variables that are not there. An input's
// grid_mapping is kept when its variable was written, else replaced by
// mapping (the carried grid mapping's name; "" for none) when that was
// written. coordinates keeps the names written, or, when attrs has no
// coordinates attribute, lists those of coords (the carried scalar
// coordinates) that were written. Either attribute is dropped when it
// would name nothing. attrs is not modified.
func LinkCFAttrs(attrs Attrs, mapping string, coords []string, written map[string]bool) Attrs {
	gm, hasGM := attrs.String("grid_mapping")
	if !hasGM || !written[gm] {
		gm = ""
		if written[mapping] {
			gm = mapping
		}
	}
	var names []string
	if s, ok := attrs.String("coordinates"); ok {
		coords = strings.Fields(s)
	}
	for _, n := range coords {
		if written[n] {
			names = append(names, n)
		}
	}
	out := slices.DeleteFunc(slices.Clone(attrs), func(a Attr) bool {
		return a.Name == "grid_mapping" || a.Name == "coordinates"
	})
	if len(names) > 0 {
		out = append(out, Attr{Name: "coordinates", Value: strings.Join(names, " ")})
	}
	if gm != "" {
		out = append(out, Attr{Name: "grid_mapping", Value: gm})
	}
	return out
}
