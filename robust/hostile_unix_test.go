//go:build unix

package robust

import (
	"strings"
	"testing"
)

// TestHostileCases checks that the corpus holds every hostile case on a
// Unix system and that each fails fast for the right reason: the special
// file is named as such, the absurd stored size is quoted, the 5 MB npy
// header is over the limit. (TestCorpus checks memory, time and naming.)
func TestHostileCases(t *testing.T) {
	want := map[string]string{
		"npy/input-fifo":                "FIFO",
		"npy/input-dev-zero":            "character device",
		"npy/header-5mb":                "over the limit",
		"zarr/chunk-fifo":               "FIFO",
		"zarr/chunk-dev-zero":           "character device",
		"zarr/zarray-fifo":              "FIFO",
		"zarr/chunk-sparse-3g":          "holds 3000000000 bytes",
		"geotiff/tile-count-3e9-sparse": "stores 3000000000 bytes",
		"hdf5/chunk-size-3e9-sparse":    "stores 3000000000 bytes",
	}
	for _, c := range cases(t) {
		w, ok := want[c.Name]
		if !ok {
			continue
		}
		delete(want, c.Name)
		if !c.Hostile {
			t.Errorf("%s is not marked Hostile", c.Name)
		}
		o, hung := run(c)
		switch {
		case hung:
			t.Errorf("%s: hung", c.Name)
		case o.err == nil:
			t.Errorf("%s: no error", c.Name)
		case !strings.Contains(o.err.Error(), w):
			t.Errorf("%s: error %q lacks %q", c.Name, o.err, w)
		}
	}
	for name := range want {
		t.Errorf("corpus lacks hostile case %s", name)
	}
}
