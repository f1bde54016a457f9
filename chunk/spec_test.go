package chunk

import (
	"strings"
	"testing"
)

func TestParseSpec(t *testing.T) {
	good := []struct {
		in   string
		want Spec
	}{
		{"auto", Spec{}},
		{"", Spec{}},
		{"512", Spec{Kind: SpecShape, Rows: 512, Cols: 512}},
		{"512x1024", Spec{Kind: SpecShape, Rows: 512, Cols: 1024}},
		{"-1x512", Spec{Kind: SpecShape, Rows: Full, Cols: 512}},
		{"full", Spec{Kind: SpecShape, Rows: Full, Cols: Full}},
		{"-1", Spec{Kind: SpecShape, Rows: Full, Cols: Full}},
		{"256xfull", Spec{Kind: SpecShape, Rows: 256, Cols: Full}},
		{"64MiB", Spec{Kind: SpecBytes, Bytes: 64 << 20}},
		{"8MB", Spec{Kind: SpecBytes, Bytes: 8e6}},
		{"1.5KiB", Spec{Kind: SpecBytes, Bytes: 1536}},
	}
	for _, c := range good {
		got, err := ParseSpec(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseSpec(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"0", "-5", "abc", "512x", "x512", "1x2x3", "0x4", "-2x4", "12QB", "-3MiB", "0MB", "NaNMB"} {
		if _, err := ParseSpec(bad); err == nil {
			t.Errorf("ParseSpec(%q) succeeded, want an error", bad)
		} else if !strings.Contains(err.Error(), "chunk") {
			t.Errorf("ParseSpec(%q) error %q does not name the package", bad, err)
		}
	}
}

func TestResolve(t *testing.T) {
	abi := Layout{Shape: Shape{5424, 5424}, ElemBytes: 4, Storage: Shape{250, 250}, Workers: 2}
	cases := []struct {
		name string
		spec string
		l    Layout
		want Shape
	}{
		{"explicit", "512x1024", Layout{Shape: Shape{2000, 3000}}, Shape{512, 1024}},
		{"full rows", "-1x512", Layout{Shape: Shape{2000, 3000}}, Shape{2000, 512}},
		{"full", "full", Layout{Shape: Shape{20, 30}}, Shape{20, 30}},
		{"coarsen multiple", "250", Layout{Shape: Shape{1000, 1000}, Multiple: 4}, Shape{252, 252}},
		{"auto aligned to storage", "auto", abi, Shape{1000, 1000}},
		{"bytes aligned to storage", "16MiB", abi, Shape{2000, 2000}},
		{"auto small array", "auto", Layout{Shape: Shape{100, 100}, Workers: 2}, Shape{100, 100}},
		{"auto abi mesoscale", "auto", Layout{Shape: Shape{500, 500}, Storage: Shape{250, 250}, Workers: 2}, Shape{250, 250}},
		{"auto medium", "auto", Layout{Shape: Shape{1000, 1000}, Workers: 2}, Shape{250, 500}},
		{"auto tiny array", "auto", Layout{Shape: Shape{3, 5}, Workers: 8}, Shape{3, 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseSpec(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			g, err := s.Resolve(c.l)
			if err != nil {
				t.Fatal(err)
			}
			if g.Chunk != c.want {
				t.Errorf("chunk %v, want %v", g.Chunk, c.want)
			}
			st := c.l.Storage
			if c.spec == "auto" && st.Rows > 0 && (g.Chunk.Rows%st.Rows != 0 || g.Chunk.Cols%st.Cols != 0) {
				t.Errorf("auto chunk %v is not a multiple of storage %v", g.Chunk, st)
			}
		})
	}
	if _, err := (Spec{Kind: SpecShape, Rows: 600, Cols: 600}).Resolve(Layout{Shape: Shape{500, 500}}); err == nil {
		t.Error("a spec larger than the array resolved without error")
	}
}

// Auto keeps enough chunks for the workers on large arrays, and chunks near
// the byte target.
func TestAutoKeepsWorkersBusy(t *testing.T) {
	for _, w := range []int{1, 2, 8, 32} {
		g, err := Spec{}.Resolve(Layout{Shape: Shape{10848, 10848}, ElemBytes: 4, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if g.Len() < 4*w {
			t.Errorf("workers %d: %d chunks, want at least %d", w, g.Len(), 4*w)
		}
		if b := g.ChunkBytes(4); b > 2*DefaultAutoBytes {
			t.Errorf("workers %d: chunk of %d bytes exceeds twice the target", w, b)
		}
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"64MiB": 64 << 20, "8MB": 8e6, "512kib": 512 << 10, "1GB": 1e9, "4096B": 4096, "2GiB": 2 << 30} {
		got, err := ParseBytes(in)
		if err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if FormatBytes(64<<20) != "64MiB" || FormatBytes(1536) != "1.5KiB" && FormatBytes(1536) != "1536B" {
		t.Errorf("FormatBytes: %s %s", FormatBytes(64<<20), FormatBytes(1536))
	}
}

// RowStrips makes auto choose full-width strips near the byte target,
// aligned to storage rows, with enough chunks for the workers.
func TestAutoRowStrips(t *testing.T) {
	cases := []struct {
		l    Layout
		want Shape
	}{
		{Layout{Shape: Shape{16384, 16384}, ElemBytes: 4, Workers: 2, RowStrips: true}, Shape{64, 16384}},
		{Layout{Shape: Shape{5424, 5424}, ElemBytes: 4, Storage: Shape{250, 250}, Workers: 2, RowStrips: true}, Shape{250, 5424}},
		{Layout{Shape: Shape{100, 50}, ElemBytes: 4, Workers: 2, RowStrips: true}, Shape{25, 50}},
		{Layout{Shape: Shape{3, 7}, ElemBytes: 4, Workers: 8, RowStrips: true}, Shape{3, 7}},
	}
	for _, c := range cases {
		g, err := Spec{}.Resolve(c.l)
		if err != nil {
			t.Fatal(err)
		}
		if g.Chunk != c.want {
			t.Errorf("%v: chunk %v, want %v", c.l.Shape, g.Chunk, c.want)
		}
	}
}
