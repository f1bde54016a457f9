package zarr

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/formats"
)

// TestDescribe checks that the description lists every array, with the
// unreadable 1-D one explained, and the attributes.
func TestDescribe(t *testing.T) {
	r, err := Open(filepath.Join(fixtureDir, "group.zarr"), formats.OpenOptions{Variable: "Rad"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.Describe(&buf, formats.DescribeOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"zarr group store",
		`title = "two arrays"`,
		`array Rad: int16 24x30 (dtype "<i2")`,
		`chunks 12x12 (2x3 grid, keys like "0.0"), order C, fill_value -1`,
		`compressor {"id":"zstd","level":1}`,
		"dimensions (y, x)",
		"scale_factor = 0.5",
		"array DQF: uint8 24x30",
		"array sub/deep: float32 6x7",
		"array t: shape [5], not readable: .zarray: array has 1 dimensions",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("description lacks %q:\n%s", want, out)
		}
	}
	r, err = Open(filepath.Join(fixtureDir, "forder_i4.zarr"), formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := r.Describe(&buf, formats.DescribeOptions{}); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "zarr array store") || !strings.Contains(out, "order F") {
		t.Errorf("array store description:\n%s", out)
	}
}
