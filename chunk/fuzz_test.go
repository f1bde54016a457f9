package chunk

import (
	"math"
	"strings"
	"testing"
)

// FuzzParseSpec parses arbitrary chunk spec text and resolves every accepted
// spec over an arbitrary layout. Nothing may panic; a parsed spec must print
// as text that parses back to the same spec; and a resolved grid must cover
// its array exactly: positive chunk sizes no larger than the array (except
// on an empty array), grid dimensions that reach the last row and column
// without a chunk lying wholly outside, and first and last regions that
// touch the array's corners.
func FuzzParseSpec(f *testing.F) {
	seeds := []string{"auto", "", "512", "512x1024", "-1x512", "full", "64MiB", "8MB", "1kb", "0", "-5", "abc",
		"512x", "x512", "1x1", "full x full", "1.5GiB", "1e300TB", "NaNMiB", "-1", "99999999999999999999", "1024x-1"}
	for i, s := range seeds {
		f.Add(s, int64(1000+i*37), int64(2000-i*11), int8(4), int64(250), int64(250), int16(2), int16(1), int64(0))
	}
	f.Add("auto", int64(10848), int64(10848), int8(2), int64(226), int64(226), int16(16), int16(4), int64(1<<20))
	f.Add("1", int64(0), int64(0), int8(0), int64(0), int64(0), int16(0), int16(0), int64(-1))
	f.Add("64MiB", int64(1)<<40, int64(3), int8(8), int64(-7), int64(1)<<31, int16(-3), int16(4096), int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, text string, rows, cols int64, elem int8, sr, sc int64, workers, multiple int16, auto int64) {
		s, err := ParseSpec(text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "chunk: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			return
		}
		if s.Kind == SpecShape && (s.Rows == 0 || s.Cols == 0 || s.Rows < Full || s.Cols < Full) {
			t.Fatalf("ParseSpec(%q) accepted a non-positive size: %+v", text, s)
		}
		if s.Kind == SpecBytes && s.Bytes <= 0 {
			t.Fatalf("ParseSpec(%q) accepted a non-positive byte size: %+v", text, s)
		}
		back, err := ParseSpec(s.String())
		if err != nil {
			t.Fatalf("ParseSpec(%q).String() = %q does not parse: %v", text, s.String(), err)
		}
		if s.Kind != SpecBytes && back != s {
			t.Fatalf("round trip %q -> %+v -> %q -> %+v", text, s, s.String(), back)
		}
		// Keep arrays below 2^31 elements per axis: beyond, Shape.Len
		// overflows int64 and no real file is that large.
		clamp := func(v int64) int { return int(v % (1 << 31)) }
		l := Layout{Shape: Shape{clamp(rows), clamp(cols)}, ElemBytes: int(elem), Storage: Shape{clamp(sr), clamp(sc)},
			Workers: int(workers), Multiple: int(multiple), AutoBytes: auto}
		g, err := s.Resolve(l)
		if err != nil {
			return
		}
		checkCovers(t, s, l, g)
	})
}

// checkCovers fails unless g tiles l.Shape exactly.
func checkCovers(t *testing.T, s Spec, l Layout, g Grid) {
	t.Helper()
	if g.Shape != l.Shape {
		t.Fatalf("%v over %+v: grid shape %v", s, l, g.Shape)
	}
	if l.Shape.Rows < 0 || l.Shape.Cols < 0 {
		t.Fatalf("%v resolved over negative shape %v", s, l.Shape)
	}
	if l.Shape.Len() == 0 {
		return
	}
	if g.Chunk.Rows <= 0 || g.Chunk.Cols <= 0 {
		t.Fatalf("%v over %+v: chunk %v", s, l, g.Chunk)
	}
	if s.Kind == SpecShape && l.Multiple <= 1 && (g.Chunk.Rows > l.Shape.Rows || g.Chunk.Cols > l.Shape.Cols) {
		t.Fatalf("%v over %v: chunk %v larger than the array", s, l.Shape, g.Chunk)
	}
	nr, nc := g.Dims()
	if nr <= 0 || nc <= 0 {
		t.Fatalf("%v over %v: grid dims %dx%d", s, l.Shape, nr, nc)
	}
	if int64(nr)*int64(g.Chunk.Rows) < int64(l.Shape.Rows) || int64(nr-1)*int64(g.Chunk.Rows) >= int64(l.Shape.Rows) ||
		int64(nc)*int64(g.Chunk.Cols) < int64(l.Shape.Cols) || int64(nc-1)*int64(g.Chunk.Cols) >= int64(l.Shape.Cols) {
		t.Fatalf("%v over %v: grid %dx%d of %v does not cover the array exactly", s, l.Shape, nr, nc, g.Chunk)
	}
	if g.Len() != nr*nc {
		t.Fatalf("Len %d != %d*%d", g.Len(), nr, nc)
	}
	first, last := g.Region(Index{0, 0}), g.Region(Index{nr - 1, nc - 1})
	if first.Row0 != 0 || first.Col0 != 0 || first.Empty() {
		t.Fatalf("%v over %v: first region %v", s, l.Shape, first)
	}
	if last.Row1 != l.Shape.Rows || last.Col1 != l.Shape.Cols || last.Empty() {
		t.Fatalf("%v over %v: last region %v", s, l.Shape, last)
	}
	if !l.Shape.Bounds().Contains(last) || !l.Shape.Bounds().Contains(first) {
		t.Fatalf("%v over %v: regions %v %v outside the array", s, l.Shape, first, last)
	}
	// On small grids, the regions must tile the array: their areas sum to
	// the array's and each one is inside it.
	if g.Len() <= 4096 {
		total := 0
		for n := 0; n < g.Len(); n++ {
			r := g.Region(g.Index(n))
			if r.Empty() || !l.Shape.Bounds().Contains(r) {
				t.Fatalf("%v over %v: region %d %v", s, l.Shape, n, r)
			}
			if g.Linear(g.Index(n)) != n {
				t.Fatalf("Linear(Index(%d)) = %d", n, g.Linear(g.Index(n)))
			}
			total += r.Len()
		}
		if total != l.Shape.Len() {
			t.Fatalf("%v over %v: regions cover %d elements, want %d", s, l.Shape, total, l.Shape.Len())
		}
	}
}

// FuzzParseBoundary checks that no boundary text makes ParseBoundary panic,
// that accepted text prints back to text with the same meaning, and that
// Map stays inside the axis for the modes that take values from the array.
func FuzzParseBoundary(f *testing.F) {
	for _, s := range []string{"reflect", "symmetric", "nearest", "edge", "none", "constant", "constant:3.5", "constant:nan",
		"constant:-inf", "constant:", "Constant:1e309", "wrap", ""} {
		f.Add(s, -3, 5)
	}
	f.Fuzz(func(t *testing.T, text string, i, n int) {
		b, err := ParseBoundary(text)
		if err != nil {
			return
		}
		back, err := ParseBoundary(b.String())
		if err != nil {
			t.Fatalf("ParseBoundary(%q).String() = %q does not parse: %v", text, b.String(), err)
		}
		if back.Kind != b.Kind || !(back.Value == b.Value || (b.Value != b.Value && back.Value != back.Value)) {
			t.Fatalf("round trip %q -> %v -> %v", text, b, back)
		}
		// Map is documented for n > 0; keep i within a few periods so
		// reflection's arithmetic stays in range.
		if n <= 0 || n > 1<<20 {
			return
		}
		i %= 8 * n
		if j, ok := b.Map(i, n); ok && (j < 0 || j >= n) {
			t.Fatalf("%v.Map(%d, %d) = %d outside the axis", b, i, n, j)
		}
	})
}

// FuzzParseBytes checks that ParseBytes never panics, accepts only positive
// sizes, and that FormatBytes of an exact binary size parses back to it.
func FuzzParseBytes(f *testing.F) {
	for _, s := range []string{"64MiB", "8MB", "512KiB", "1GB", "4096B", "1.5GiB", "0B", "-1KiB", "1e30TB", "NaNB", "infgib", "MiB", "12", " 3 kb "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		n, err := ParseBytes(text)
		if err != nil {
			return
		}
		if n <= 0 {
			t.Fatalf("ParseBytes(%q) = %d", text, n)
		}
		s := FormatBytes(n)
		if n%1024 == 0 || n < 1<<20 {
			m, err := ParseBytes(s)
			if err != nil || m != n {
				t.Fatalf("ParseBytes(FormatBytes(%d) = %q) = %d, %v", n, s, m, err)
			}
		}
	})
}

// FuzzParseDType checks that ParseDType never panics and that an accepted
// name prints as a name that parses to the same type with a positive size.
func FuzzParseDType(f *testing.F) {
	for _, s := range []string{"int16", "<i2", ">f4", "|u1", "float64", "double", "b", "", "f16", "=u8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d, err := ParseDType(text)
		if err != nil {
			return
		}
		if d.Size() <= 0 {
			t.Fatalf("ParseDType(%q) = %v of size %d", text, d, d.Size())
		}
		if back, err := ParseDType(d.String()); err != nil || back != d {
			t.Fatalf("ParseDType(%q) = %v; String %q parses to %v, %v", text, d, d.String(), back, err)
		}
	})
}
