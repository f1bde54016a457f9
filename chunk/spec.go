package chunk

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// SpecKind says how a [Spec] chooses the chunk shape.
type SpecKind uint8

// The kinds of chunk specification.
const (
	SpecAuto  SpecKind = iota // let [Spec.Resolve] choose
	SpecShape                 // explicit rows x cols (Full for a whole axis)
	SpecBytes                 // square-ish chunks of about Bytes bytes each
)

// Full stands for "the whole axis" in a [Spec] dimension.
const Full = -1

// DefaultAutoBytes is the working-set size per chunk that auto chunking aims
// for: 4 MiB of float32 working data is 1024x1024 pixels, large enough that
// per-chunk costs vanish and small enough that a chunk and its output stay
// in the caches of a core while it is processed.
const DefaultAutoBytes = 4 << 20

// Spec is a chunk specification as users type it: "auto", "512",
// "512x1024", "-1x512", "full", "64MiB" or "8MB". Its zero value is auto.
type Spec struct {
	Kind       SpecKind
	Rows, Cols int   // for SpecShape: sizes, or Full
	Bytes      int64 // for SpecBytes: target bytes per chunk
}

// String returns the spec as it would be typed.
func (s Spec) String() string {
	switch s.Kind {
	case SpecShape:
		f := func(n int) string {
			if n == Full {
				return "-1"
			}
			return strconv.Itoa(n)
		}
		return f(s.Rows) + "x" + f(s.Cols)
	case SpecBytes:
		return FormatBytes(s.Bytes)
	}
	return "auto"
}

// Set parses s into the spec; it implements flag.Value.
func (s *Spec) Set(v string) error {
	p, err := ParseSpec(v)
	if err != nil {
		return err
	}
	*s = p
	return nil
}

// UnmarshalText parses text into the spec; it implements
// encoding.TextUnmarshaler, so flag parsers take specs directly.
func (s *Spec) UnmarshalText(text []byte) error { return s.Set(string(text)) }

// MarshalText returns the spec as it would be typed; it implements
// encoding.TextMarshaler.
func (s Spec) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSpec parses a chunk specification (see [Spec]).
func ParseSpec(text string) (Spec, error) {
	t := strings.TrimSpace(strings.ToLower(text))
	if t == "" || t == "auto" {
		return Spec{}, nil
	}
	if t == "full" || t == "-1" {
		return Spec{Kind: SpecShape, Rows: Full, Cols: Full}, nil
	}
	if last := t[len(t)-1]; last == 'b' {
		n, err := ParseBytes(t)
		if err != nil {
			return Spec{}, fmt.Errorf("chunk: bad chunk spec %q: %v", text, err)
		}
		return Spec{Kind: SpecBytes, Bytes: n}, nil
	}
	parts := strings.Split(t, "x")
	if len(parts) > 2 {
		return Spec{}, fmt.Errorf("chunk: bad chunk spec %q: want auto, N, RxC, -1/full, or a size like 64MiB", text)
	}
	dims := make([]int, len(parts))
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "full" || p == "-1" {
			dims[i] = Full
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 {
			return Spec{}, fmt.Errorf("chunk: bad chunk spec %q: %q is not a positive size, -1 or full", text, p)
		}
		dims[i] = n
	}
	if len(dims) == 1 {
		return Spec{Kind: SpecShape, Rows: dims[0], Cols: dims[0]}, nil
	}
	return Spec{Kind: SpecShape, Rows: dims[0], Cols: dims[1]}, nil
}

// Layout is what [Spec.Resolve] needs to know about the array and the run.
type Layout struct {
	Shape     Shape // the array the grid is laid over
	ElemBytes int   // bytes per element of the working data (4 for float32)
	Storage   Shape // the file's storage chunks or tiles; zero if none
	Workers   int   // kernel workers; auto keeps at least a few chunks per worker
	Multiple  int   // chunk sizes are rounded up to multiples of this (coarsen factors); 0 or 1 for none
	AutoBytes int64 // auto's target bytes per chunk; 0 means DefaultAutoBytes
	// RowStrips makes auto choose full-width strips instead of square-ish
	// chunks: right for inputs and outputs stored row after row (.npy, raw,
	// NetCDF classic), where a full-width chunk is one contiguous read or
	// write and nothing needs buffering.
	RowStrips bool
}

// Resolve turns the spec into a grid over l.Shape.
//
// Explicit sizes must not exceed the array (use -1 or full for a whole
// axis). Auto and byte targets choose square-ish chunks of about the target
// bytes; auto also keeps at least four chunks per worker on arrays large
// enough to allow it. Both round chunk sizes to whole multiples of the
// storage chunks, so no storage chunk is decompressed twice, and every kind
// rounds up to l.Multiple.
func (s Spec) Resolve(l Layout) (Grid, error) {
	if l.Shape.Rows < 0 || l.Shape.Cols < 0 {
		return Grid{}, fmt.Errorf("chunk: negative array shape %v", l.Shape)
	}
	if err := CheckShape(l.Shape); err != nil {
		return Grid{}, err
	}
	if l.ElemBytes <= 0 {
		l.ElemBytes = 4
	}
	mult := max(l.Multiple, 1)
	var rows, cols int
	switch s.Kind {
	case SpecShape:
		rows, cols = s.Rows, s.Cols
		if rows == Full {
			rows = l.Shape.Rows
		} else if rows > l.Shape.Rows {
			return Grid{}, fmt.Errorf("chunk: chunk spec %v: %d rows is larger than the array's %d (use -1 or full for a whole axis)", s, rows, l.Shape.Rows)
		}
		if cols == Full {
			cols = l.Shape.Cols
		} else if cols > l.Shape.Cols {
			return Grid{}, fmt.Errorf("chunk: chunk spec %v: %d columns is larger than the array's %d (use -1 or full for a whole axis)", s, cols, l.Shape.Cols)
		}
		if rows <= 0 || cols <= 0 {
			if l.Shape.Len() == 0 {
				return Grid{Shape: l.Shape, Chunk: Shape{1, 1}}, nil
			}
			return Grid{}, fmt.Errorf("chunk: bad chunk spec %v", s)
		}
	case SpecBytes:
		if s.Bytes <= 0 {
			return Grid{}, fmt.Errorf("chunk: chunk size %v must be positive", FormatBytes(s.Bytes))
		}
		rows, cols = squareish(l, s.Bytes, 1)
	default:
		target := l.AutoBytes
		if target <= 0 {
			target = DefaultAutoBytes
		}
		if l.RowStrips {
			rows, cols = strips(l, target, 4*max(l.Workers, 1))
		} else {
			rows, cols = squareish(l, target, 4*max(l.Workers, 1))
		}
	}
	rows, cols = roundUp(rows, mult), roundUp(cols, mult)
	return NewGrid(l.Shape, Shape{max(rows, 1), max(cols, 1)})
}

// squareish picks a chunk shape of about target bytes, aligned to storage
// chunks, shrinking it (not below one storage chunk or 64 pixels) until the
// grid has at least minChunks chunks.
func squareish(l Layout, target int64, minChunks int) (rows, cols int) {
	sr, sc := max(l.Storage.Rows, 1), max(l.Storage.Cols, 1)
	side := math.Sqrt(float64(target) / float64(l.ElemBytes))
	pick := func(want float64, unit, limit int) int {
		n := int(math.Round(want/float64(unit))) * unit
		n = max(n, unit)
		return min(n, max(limit, 1))
	}
	rows, cols = pick(side, sr, l.Shape.Rows), pick(side, sc, l.Shape.Cols)
	// Keep the chunk's bytes near the target when one axis is clipped.
	if rows < int(side) && rows > 0 {
		cols = pick(float64(target)/float64(l.ElemBytes)/float64(rows), sc, l.Shape.Cols)
	} else if cols < int(side) && cols > 0 {
		rows = pick(float64(target)/float64(l.ElemBytes)/float64(cols), sr, l.Shape.Rows)
	}
	floorR, floorC := max(sr, min(64, l.Shape.Rows)), max(sc, min(64, l.Shape.Cols))
	for {
		g := Grid{Shape: l.Shape, Chunk: Shape{rows, cols}}
		if g.Len() >= minChunks {
			return
		}
		switch {
		case rows >= cols && rows/2 >= floorR:
			rows = roundUp(rows/2, sr)
		case cols/2 >= floorC:
			cols = roundUp(cols/2, sc)
		case rows/2 >= floorR:
			rows = roundUp(rows/2, sr)
		default:
			return
		}
	}
}

// strips picks full-width chunks of about target bytes, whole multiples of
// the storage chunk rows, with at least minChunks of them when the array
// has enough rows (not below one storage chunk row or 16 rows).
func strips(l Layout, target int64, minChunks int) (rows, cols int) {
	sr := max(l.Storage.Rows, 1)
	cols = max(l.Shape.Cols, 1)
	want := float64(target) / float64(l.ElemBytes) / float64(cols)
	rows = max(int(math.Round(want/float64(sr)))*sr, sr)
	rows = min(rows, max(l.Shape.Rows, 1))
	floor := max(sr, min(16, l.Shape.Rows))
	for (l.Shape.Rows+rows-1)/rows < minChunks && rows/2 >= floor {
		rows = roundUp(rows/2, sr)
	}
	return rows, cols
}

func roundUp(n, m int) int {
	if m <= 1 {
		return n
	}
	return (n + m - 1) / m * m
}

// ParseBytes parses a byte size such as "64MiB", "8MB", "512KiB", "1GB" or
// "4096B". Binary (KiB, MiB, GiB) and decimal (KB, MB, GB) units are both
// accepted.
func ParseBytes(text string) (int64, error) {
	t := strings.TrimSpace(strings.ToLower(text))
	units := []struct {
		suffix string
		mult   float64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40}, {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12}, {"b", 1}}
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			num := strings.TrimSpace(strings.TrimSuffix(t, u.suffix))
			v, err := strconv.ParseFloat(num, 64)
			if err != nil || v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) || v*u.mult > math.MaxInt64/2 || v*u.mult < 1 {
				return 0, fmt.Errorf("%q is not a positive byte size (at least 1 byte)", text)
			}
			return int64(v * u.mult), nil
		}
	}
	return 0, fmt.Errorf("%q has no unit (want B, KiB, MiB, GiB, KB, MB or GB)", text)
}

// FormatBytes formats n with a binary unit, e.g. "64MiB".
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%dGiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", n>>10)
	case n >= 1<<30:
		return fmt.Sprintf("%.1fGiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1fMiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%dB", n)
}
