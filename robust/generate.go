package robust

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	_ "chunkpipe/formats/all" // every format chunkpipe reads and writes, Zarr included
	"chunkpipe/formats/hdf5"
)

// Expect says what opening and reading a [Case] must do.
type Expect uint8

const (
	// MustFail cases are broken in a way every reader must notice: open or
	// a region read must return an error.
	MustFail Expect = iota
	// MayFail cases may be readable (a flipped byte in uncompressed data is
	// just a different value); any error must still name the file.
	MayFail
	// BadAttrs cases are well-formed files whose calibration attributes are
	// unusable (NaN, infinite, text): they open and read, and the calibrate
	// kernel must reject them.
	BadAttrs
)

// String returns "must-fail", "may-fail" or "bad-attrs".
func (e Expect) String() string {
	return [...]string{"must-fail", "may-fail", "bad-attrs"}[e]
}

// Case is one malformed input.
type Case struct {
	Name   string // unique, e.g. "npy/trunc@37"
	Format string // the format of the good file it came from: npy, raw, netcdf3, geotiff, zarr, hdf5, abi
	// Path is what to open: a file, a Zarr directory, or for raw input
	// the inline form FILE:DTYPE:ROWSxCOLS.
	Path   string
	File   string // the file or directory on disk (Path without a raw spec)
	Opts   formats.OpenOptions
	Size   int64 // bytes on disk (for a Zarr store, the bytes of all its files)
	Expect Expect
	Why    string // what was done to the good file
	// Hostile cases attack the reader rather than the parser (special
	// files, sparse files declaring gigabytes); the CLI test runs them all.
	Hostile bool
}

// Options configure [Generate].
type Options struct {
	// RealDir is the directory of real instrument files (SOURCES.md); ""
	// or a missing directory means only generated good files are used.
	RealDir string
	// Seed seeds the choice of flipped bytes, so a corpus is reproducible.
	Seed uint64
}

// Generate writes good files and the bad cases derived from them under dir
// (which must exist and be empty) and returns the cases sorted by name.
// With the real files present it derives about 350 cases, without them
// about 250; generation takes well under a second.
func Generate(dir string, o Options) ([]Case, error) {
	g := &gen{dir: dir, rng: rand.New(rand.NewPCG(o.Seed, 0x5eed)), names: map[string]bool{}}
	for _, sub := range []string{"good", "bad"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("robust: %w", err)
		}
	}
	steps := []func() error{g.npy, g.raw, g.netcdf3, g.geotiff, g.zarr, g.hdf5Fixtures, g.hostile}
	if o.RealDir != "" {
		steps = append(steps, func() error { return g.real(o.RealDir) })
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	sort.Slice(g.cases, func(i, j int) bool { return g.cases[i].Name < g.cases[j].Name })
	return g.cases, nil
}

type gen struct {
	dir   string
	rng   *rand.Rand
	cases []Case
	names map[string]bool
}

// add writes b as a bad file named after the case and records the case.
func (g *gen) add(format, name, ext string, b []byte, e Expect, why string, opts formats.OpenOptions) error {
	full := format + "/" + name
	if g.names[full] {
		return nil // two mutations that coincide (small files)
	}
	g.names[full] = true
	p := filepath.Join(g.dir, "bad", strings.NewReplacer("/", "_", "@", "_at_", ":", "_").Replace(full)+ext)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return fmt.Errorf("robust: %w", err)
	}
	g.cases = append(g.cases, Case{Name: full, Format: format, Path: p, File: p, Opts: opts, Size: int64(len(b)), Expect: e, Why: why})
	return nil
}

// writeGood writes a good array with chunkpipe's writer for path's extension.
func writeGood(path string, t chunk.DType, s chunk.Shape, tile chunk.Shape, attrs formats.Attrs, opts map[string]string) error {
	w, err := formats.Create(formats.CreateSpec{Path: path, Shape: s, DType: t, Chunk: tile, Attrs: attrs, Options: opts, Factor: 1})
	if err != nil {
		return fmt.Errorf("robust: create %s: %w", path, err)
	}
	a := chunk.NewArray(t, s.Bounds())
	for i := range a.Data {
		a.Data[i] = byte(i*31 + i/7)
	}
	if t.IsFloat() { // keep floats finite: write small integers
		for r := 0; r < s.Rows; r++ {
			for c := 0; c < s.Cols; c++ {
				o := a.Offset(r, c) * t.Size()
				if t == chunk.Float32 {
					binary.NativeEndian.PutUint32(a.Data[o:], math.Float32bits(float32((r*s.Cols+c)%1000)))
				} else {
					binary.NativeEndian.PutUint64(a.Data[o:], math.Float64bits(float64((r*s.Cols+c)%1000)))
				}
			}
		}
	}
	if err := w.WriteRegion(context.Background(), a); err != nil {
		w.Abort()
		return fmt.Errorf("robust: write %s: %w", path, err)
	}
	if err := w.Commit(); err != nil {
		return fmt.Errorf("robust: commit %s: %w", path, err)
	}
	return nil
}

// byteMutations derives the generic cases of a single-file format from the
// good bytes b: truncations at many offsets (MustFail when trunc is true,
// since every byte of such files is needed), flipped bytes in the header
// (the first hdr bytes) and in the body, and a zeroed header block.
// Truncations to fewer than need bytes get expectation trunc, longer ones
// (which may cut only padding) MayFail.
func (g *gen) byteMutations(format, ext string, b []byte, hdr, need int, trunc Expect, opts formats.OpenOptions) error {
	n := len(b)
	offs := []int{0, 1, 4, 7, 8, 12, 16, 33, 64, 100, 512, 1024, n / 8, n / 4, n / 3, n / 2, 2 * n / 3, 3 * n / 4, n - 64, n - 8, n - 1}
	for _, k := range offs {
		if k < 0 || k >= n {
			continue
		}
		e := trunc
		if k >= need {
			e = MayFail
		}
		if err := g.add(format, fmt.Sprintf("trunc@%d", k), ext, b[:k], e, fmt.Sprintf("truncated to %d of %d bytes", k, n), opts); err != nil {
			return err
		}
	}
	hdr = min(hdr, n)
	for i := 0; i < 8 && hdr > 0; i++ {
		k := g.rng.IntN(hdr)
		c := bytes.Clone(b)
		c[k] ^= 0xff
		if err := g.add(format, fmt.Sprintf("flip-hdr@%d", k), ext, c, MayFail, fmt.Sprintf("byte %d of the header inverted", k), opts); err != nil {
			return err
		}
	}
	for i := 0; i < 4 && n > hdr; i++ {
		k := hdr + g.rng.IntN(n-hdr)
		c := bytes.Clone(b)
		for j := k; j < min(k+4, n); j++ {
			c[j] ^= 0x5a
		}
		if err := g.add(format, fmt.Sprintf("flip-body@%d", k), ext, c, MayFail, fmt.Sprintf("bytes %d..%d of the body scrambled", k, k+3), opts); err != nil {
			return err
		}
	}
	if n > 64 {
		c := bytes.Clone(b)
		clear(c[8:64])
		if err := g.add(format, "zero-hdr", ext, c, MayFail, "bytes 8..63 zeroed", opts); err != nil {
			return err
		}
	}
	return nil
}

// patchAll returns one copy of b per occurrence of old, with that
// occurrence replaced by repl (same length).
func patchAll(b, old, repl []byte) [][]byte {
	var out [][]byte
	for i := 0; ; {
		j := bytes.Index(b[i:], old)
		if j < 0 || len(out) >= 4 {
			return out
		}
		c := bytes.Clone(b)
		copy(c[i+j:], repl)
		out = append(out, c)
		i += j + 1
	}
}

func (g *gen) npy() error {
	good := filepath.Join(g.dir, "good", "good.npy")
	shape := chunk.Shape{Rows: 37, Cols: 53}
	if err := writeGood(good, chunk.Int16, shape, chunk.Shape{}, nil, nil); err != nil {
		return err
	}
	b, err := os.ReadFile(good)
	if err != nil {
		return err
	}
	if err := g.byteMutations("npy", ".npy", b, 64, len(b), MustFail, formats.OpenOptions{}); err != nil {
		return err
	}
	body := b[bytes.IndexByte(b, '\n')+1:]
	hdr := func(version byte, dict string) []byte {
		h := []byte("\x93NUMPY")
		h = append(h, version, 0)
		if version == 1 {
			h = binary.LittleEndian.AppendUint16(h, uint16(len(dict)))
		} else {
			h = binary.LittleEndian.AppendUint32(h, uint32(len(dict)))
		}
		return append(append(h, dict...), body...)
	}
	d := func(descr, order, shape string) string {
		return fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }\n", descr, order, shape)
	}
	bad := []struct {
		name string
		b    []byte
		why  string
	}{
		{"magic", append([]byte("\x93NUMPZ"), b[6:]...), "bad magic"},
		{"version9", hdr(9, d("<i2", "False", "(37, 53)")), "unsupported version 9.0"},
		{"hlen-huge", append(append([]byte("\x93NUMPY\x02\x00"), 0xff, 0xff, 0xff, 0x7f), body...), "header length 2 GiB"},
		{"descr-complex", hdr(1, d("<c8", "False", "(37, 53)")), "complex dtype"},
		{"descr-object", hdr(1, d("|O", "False", "(37, 53)")), "object dtype"},
		{"descr-order", hdr(1, d("!i2", "False", "(37, 53)")), "byte order '!'"},
		{"no-descr", hdr(1, "{'fortran_order': False, 'shape': (37, 53), }\n"), "descr missing"},
		{"no-shape", hdr(1, "{'descr': '<i2', 'fortran_order': False, }\n"), "shape missing"},
		{"shape-negative", hdr(1, d("<i2", "False", "(-37, 53)")), "negative dimension"},
		{"shape-terabytes", hdr(1, d("<i2", "False", "(1048576, 1048576)")), "2 TiB declared"},
		{"shape-overflow", hdr(1, d("<i2", "False", "(1099511627776, 1099511627776)")), "2^81 bytes declared"},
		{"shape-3d", hdr(1, d("<i2", "False", "(2, 37, 53)")), "3-D array"},
		{"shape-text", hdr(1, d("<i2", "False", "('a', 53)")), "dimension is text"},
		{"shape-unclosed", hdr(1, "{'descr': '<i2', 'fortran_order': False, 'shape': (37, 53, }\n"), "shape tuple never closed"},
		{"fortran-maybe", hdr(1, d("<i2", "Maybe", "(37, 53)")), "fortran_order is not a bool"},
		{"dict-unclosed", hdr(1, "{'descr': '<i2', 'fortran_order': False, 'shape': (37, 53), \n"), "dict never closed"},
		{"not-dict", hdr(1, "[1, 2, 3]\n"), "header is a list"},
		{"bigger-dtype", hdr(1, d("<f8", "False", "(37, 53)")), "float64 over int16 data: data short"},
		{"fortran-short", hdr(1, d(">i4", "True", "(37, 53)")), "big-endian Fortran int32 over int16 data: data short"},
	}
	for _, c := range bad {
		e := MustFail
		if err := g.add("npy", c.name, ".npy", c.b, e, c.why, formats.OpenOptions{}); err != nil {
			return err
		}
	}
	// A good file asked for a variable it does not have.
	g.cases = append(g.cases, Case{Name: "npy/variable", Format: "npy", Path: good, File: good, Opts: formats.OpenOptions{Variable: "Rad"},
		Size: int64(len(b)), Expect: MustFail, Why: "variable requested from a one-array file"})
	return nil
}

func (g *gen) raw() error {
	good := filepath.Join(g.dir, "good", "good.raw")
	if err := writeGood(good, chunk.Uint16, chunk.Shape{Rows: 30, Cols: 40}, chunk.Shape{}, nil, nil); err != nil {
		return err
	}
	b, err := os.ReadFile(good)
	if err != nil {
		return err
	}
	for _, k := range []int{0, 1, 2, 79, 80, 1200, len(b) - 2, len(b) - 1} {
		p := filepath.Join(g.dir, "bad", fmt.Sprintf("raw_trunc_%d.raw", k))
		if err := os.WriteFile(p, b[:k], 0o644); err != nil {
			return err
		}
		g.addRaw(fmt.Sprintf("trunc@%d", k), p, "uint16:30x40", int64(k), fmt.Sprintf("truncated to %d of %d bytes", k, len(b)))
	}
	long := filepath.Join(g.dir, "bad", "raw_long.raw")
	if err := os.WriteFile(long, append(bytes.Clone(b), 0), 0o644); err != nil {
		return err
	}
	g.addRaw("one-byte-long", long, "uint16:30x40", int64(len(b)+1), "one byte more than the shape needs")
	for name, spec := range map[string]string{
		"shape-terabytes": "uint16:1048576x1048576",
		"shape-overflow":  "uint16:4611686018427387904x4",
		"shape-overflow2": "float64:2305843009213693952x8",
		"shape-swapped":   "uint16:40x31",
		"dtype-wider":     "float64:30x40",
		"dtype-narrower":  "uint8:30x40",
		"big-endian-long": "uint16:30x41:big",
	} {
		g.addRaw(name, good, spec, int64(len(b)), "spec "+spec+" over the 30x40 uint16 file")
	}
	return nil
}

func (g *gen) addRaw(name, file, spec string, size int64, why string) {
	full := "raw/" + name
	g.names[full] = true
	g.cases = append(g.cases, Case{Name: full, Format: "raw", Path: file + ":" + spec, File: file, Size: size, Expect: MustFail, Why: why})
}

// calibAttrs are the CF attributes of the good NetCDF file.
var calibAttrs = formats.Attrs{{Name: "scale_factor", Value: 0.04572892}, {Name: "add_offset", Value: -1.6443}, {Name: "_FillValue", Value: int64(1023)}}

func (g *gen) netcdf3() error {
	good := filepath.Join(g.dir, "good", "good.nc")
	shape := chunk.Shape{Rows: 29, Cols: 31}
	if err := writeGood(good, chunk.Int16, shape, chunk.Shape{}, calibAttrs, nil); err != nil {
		return err
	}
	b, err := os.ReadFile(good)
	if err != nil {
		return err
	}
	if err := g.byteMutations("netcdf3", ".nc", b, len(b)-shape.Len()*2, len(b)-3, MustFail, // the last variable may lose its padding
		formats.OpenOptions{}); err != nil {
		return err
	}
	// Dimension lengths are 4-byte big-endian integers after the names.
	for _, dim := range []int{shape.Rows, shape.Cols} {
		for name, v := range map[string]uint32{"terabytes": 0x7fffffff, "zero": 0, "negative": 0xfffffffb} {
			for i, c := range patchAll(b[:len(b)-shape.Len()*2], binary.BigEndian.AppendUint32(nil, uint32(dim)), binary.BigEndian.AppendUint32(nil, v)) {
				c = append(c, b[len(b)-shape.Len()*2:]...)
				e := MustFail
				if name == "zero" {
					e = MayFail // a zero-length dimension is legal, the variable is then empty
				}
				if err := g.add("netcdf3", fmt.Sprintf("dim%d-%s-%d", dim, name, i), ".nc", c, e, fmt.Sprintf("a length %d field set to %d", dim, int32(v)), formats.OpenOptions{}); err != nil {
					return err
				}
			}
		}
	}
	// Non-finite and wrongly typed calibration attributes: well-formed files
	// that calibrate must refuse.
	nan, inf := math.NaN(), math.Inf(1)
	for name, attrs := range map[string]formats.Attrs{
		"scale-nan":     {{Name: "scale_factor", Value: nan}, {Name: "add_offset", Value: 0.0}},
		"scale-inf":     {{Name: "scale_factor", Value: inf}, {Name: "add_offset", Value: 0.0}},
		"scale-neginf":  {{Name: "scale_factor", Value: -inf}},
		"offset-nan":    {{Name: "scale_factor", Value: 0.5}, {Name: "add_offset", Value: nan}},
		"offset-inf":    {{Name: "scale_factor", Value: 0.5}, {Name: "add_offset", Value: -inf}},
		"scale-huge":    {{Name: "scale_factor", Value: 1e300}},
		"scale-text":    {{Name: "scale_factor", Value: "0.5 W m-2"}},
		"offset-text":   {{Name: "scale_factor", Value: 0.5}, {Name: "add_offset", Value: "minus one"}},
		"range-short":   {{Name: "scale_factor", Value: 0.5}, {Name: "valid_range", Value: []float64{1}}},
		"range-text":    {{Name: "scale_factor", Value: 0.5}, {Name: "valid_range", Value: "0 to 10"}},
		"range-empty":   {{Name: "scale_factor", Value: 0.5}, {Name: "valid_range", Value: []float64{10, 0}}},
		"unsigned-nums": {{Name: "scale_factor", Value: nan}, {Name: "_Unsigned", Value: []int64{1}}},
	} {
		p := filepath.Join(g.dir, "bad", "netcdf3_attr_"+name+".nc")
		if err := writeGood(p, chunk.Int16, shape, chunk.Shape{}, attrs, nil); err != nil {
			return err
		}
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		g.names["netcdf3/attr-"+name] = true
		g.cases = append(g.cases, Case{Name: "netcdf3/attr-" + name, Format: "netcdf3", Path: p, File: p, Size: st.Size(), Expect: BadAttrs,
			Why: fmt.Sprintf("calibration attributes %v", attrs)})
	}
	return nil
}

// tiffEntry is one 12-byte entry of a classic TIFF's first IFD.
type tiffEntry struct {
	off       int // of the entry
	tag, typ  uint16
	count     uint32
	bigEndian bool
}

// tiffIFD0 lists the entries of the first IFD of a classic TIFF.
func tiffIFD0(b []byte) []tiffEntry {
	if len(b) < 8 {
		return nil
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if string(b[:2]) == "MM" {
		bo = binary.BigEndian
	}
	if bo.Uint16(b[2:]) != 42 {
		return nil // BigTIFF or not a TIFF
	}
	ifd := int(bo.Uint32(b[4:]))
	if ifd+2 > len(b) {
		return nil
	}
	n := int(bo.Uint16(b[ifd:]))
	var out []tiffEntry
	for i := 0; i < n && ifd+2+12*(i+1) <= len(b); i++ {
		o := ifd + 2 + 12*i
		out = append(out, tiffEntry{off: o, tag: bo.Uint16(b[o:]), typ: bo.Uint16(b[o+2:]), count: bo.Uint32(b[o+4:]), bigEndian: bo == binary.BigEndian})
	}
	return out
}

// tiffPatches derives cases that set IFD fields of a classic TIFF to
// absurd values: terabyte and zero image sizes, zero and huge tiles,
// offsets beyond the file, unknown compression, bad sample formats.
func (g *gen) tiffPatches(format, prefix string, b []byte) error {
	type patch struct {
		tag  uint16
		name string
		v    uint32
		e    Expect
	}
	patches := []patch{
		{256, "width-huge", 0xffffffff, MustFail}, {257, "height-huge", 0xfffffff0, MustFail},
		{256, "width-zero", 0, MustFail}, {257, "height-zero", 0, MustFail},
		{258, "bits-13", 13, MustFail}, {258, "bits-zero", 0, MustFail},
		{259, "compress-unknown", 60000, MustFail}, {259, "compress-jpeg", 7, MustFail},
		{277, "samples-zero", 0, MustFail}, {277, "samples-huge", 0xffff, MustFail},
		{322, "tilew-zero", 0, MustFail}, {322, "tilew-huge", 0x40000000, MustFail}, {323, "tileh-zero", 0, MustFail},
		{278, "rows-per-strip-zero", 0, MayFail},
		{324, "tile-offsets-past-eof", 0x7ffffff0, MustFail}, {273, "strip-offsets-past-eof", 0x7ffffff0, MustFail},
		{325, "tile-counts-huge", 0x7ffffff0, MustFail}, {279, "strip-counts-huge", 0x7ffffff0, MustFail},
		{339, "sample-format-7", 7, MustFail}, {317, "predictor-9", 9, MustFail},
	}
	for _, p := range patches {
		for _, e := range tiffIFD0(b) {
			if e.tag != p.tag {
				continue
			}
			c := bytes.Clone(b)
			var bo binary.ByteOrder = binary.LittleEndian
			if e.bigEndian {
				bo = binary.BigEndian
			}
			v := e.off + 8
			switch {
			case e.count == 1 && e.typ == 3: // SHORT in place
				bo.PutUint16(c[v:], uint16(min(p.v, 0xffff)))
			case e.count == 1 && e.typ == 4: // LONG in place
				bo.PutUint32(c[v:], p.v)
			case e.count > 1 && (p.tag == 324 || p.tag == 273 || p.tag == 325 || p.tag == 279):
				// An array of offsets or counts stored elsewhere: point the
				// array itself past the end of the file.
				if elem := map[uint16]uint32{3: 2, 4: 4, 16: 8}[e.typ]; elem == 0 || e.count*elem <= 4 {
					continue
				}
				bo.PutUint32(c[v:], 0x7ffffff0)
			default:
				continue
			}
			if err := g.add(format, prefix+p.name, ".tif", c, p.e, fmt.Sprintf("TIFF tag %d set to %d", p.tag, p.v), formats.OpenOptions{}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *gen) geotiff() error {
	good := filepath.Join(g.dir, "good", "good.tif")
	shape := chunk.Shape{Rows: 40, Cols: 56}
	if err := writeGood(good, chunk.Int16, shape, chunk.Shape{Rows: 16, Cols: 16}, calibAttrs, map[string]string{"compress": "deflate"}); err != nil {
		return err
	}
	b, err := os.ReadFile(good)
	if err != nil {
		return err
	}
	if err := g.byteMutations("geotiff", ".tif", b, 8, len(b), MayFail, formats.OpenOptions{}); err != nil {
		return err
	}
	if err := g.tiffPatches("geotiff", "", b); err != nil {
		return err
	}
	// Fixtures of other engineers: stripped, big-endian and packbits files.
	for _, name := range []string{"i32_none_strips.tif", "f32_lzw_pred3_strips_bigendian.tif", "i16_packbits_tiled_planar.tif"} {
		fb, err := os.ReadFile(filepath.Join(repoRoot(), "testdata", "geotiff", name))
		if err != nil {
			continue // fixture absent: the generated file still covers the format
		}
		stem := strings.TrimSuffix(name, ".tif")
		if err := g.tiffPatches("geotiff", stem+"/", fb); err != nil {
			return err
		}
		for _, k := range []int{8, len(fb) / 2, len(fb) - 1} {
			if err := g.add("geotiff", fmt.Sprintf("%s/trunc@%d", stem, k), ".tif", fb[:k], MayFail, "truncated", formats.OpenOptions{}); err != nil {
				return err
			}
		}
	}
	return nil
}

// repoRoot is the module root, found from the working directory upwards.
func repoRoot() string {
	d, _ := os.Getwd()
	for p := d; ; p = filepath.Dir(p) {
		if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
			return p
		}
		if filepath.Dir(p) == p {
			return d
		}
	}
}

func (g *gen) zarr() error {
	good := filepath.Join(g.dir, "good", "good.zarr")
	shape := chunk.Shape{Rows: 33, Cols: 47}
	if err := writeGood(good, chunk.Int16, shape, chunk.Shape{Rows: 16, Cols: 16}, calibAttrs, map[string]string{"compress": "zlib"}); err != nil {
		return err
	}
	// The writer makes a group with the array in a subdirectory ("data");
	// older versions wrote the array at the root.
	arr := ""
	if m, _ := filepath.Glob(filepath.Join(good, "*", ".zarray")); len(m) == 1 {
		arr = filepath.Base(filepath.Dir(m[0])) + "/"
	}
	meta, err := os.ReadFile(filepath.Join(good, arr+".zarray"))
	if err != nil {
		return fmt.Errorf("robust: the zarr writer's layout changed: %w", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(meta, &doc); err != nil {
		return fmt.Errorf("robust: %s/.zarray: %w", good, err)
	}
	// store copies the good store to a new case directory, replacing the
	// named files (nil content removes the file).
	store := func(name string, e Expect, why string, files map[string][]byte) error {
		full := "zarr/" + name
		g.names[full] = true
		dst := filepath.Join(g.dir, "bad", "zarr_"+strings.ReplaceAll(name, "/", "_")+".zarr")
		if err := os.CopyFS(dst, os.DirFS(good)); err != nil {
			return fmt.Errorf("robust: %w", err)
		}
		keys := make([]string, 0, len(files))
		for f := range files {
			keys = append(keys, f)
		}
		sort.Strings(keys) // removals of "a" before writes of "a/x"
		for _, f := range keys {
			content := files[f]
			p := filepath.Join(dst, f)
			os.RemoveAll(p)
			if content != nil {
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, content, 0o644); err != nil {
					return fmt.Errorf("robust: %w", err)
				}
			}
		}
		var size int64
		filepath.WalkDir(dst, func(_ string, d os.DirEntry, _ error) error {
			if info, err := d.Info(); err == nil && !d.IsDir() {
				size += info.Size()
			}
			return nil
		})
		g.cases = append(g.cases, Case{Name: full, Format: "zarr", Path: dst, File: dst, Size: size, Expect: e, Why: why})
		return nil
	}
	with := func(k string, v any) []byte {
		d := map[string]any{}
		for kk, vv := range doc {
			d[kk] = vv
		}
		if v == nil {
			delete(d, k)
		} else {
			d[k] = v
		}
		b, _ := json.Marshal(d)
		return b
	}
	metaCases := []struct {
		name string
		b    []byte
		e    Expect
	}{
		{"meta-empty", []byte{}, MustFail},
		{"meta-not-json", []byte("zarr_format = 2"), MustFail},
		{"meta-array", []byte("[2, 3]"), MustFail},
		{"meta-truncated", meta[:len(meta)/2], MustFail},
		{"shape-terabytes", with("shape", []any{1 << 20, 1 << 20}), MayFail},
		{"shape-overflow", with("shape", []any{int64(1) << 62, int64(1) << 62}), MustFail},
		{"shape-negative", with("shape", []any{-33, 47}), MustFail},
		{"shape-zero", with("shape", []any{0, 0}), MayFail},
		{"shape-text", with("shape", "33x47"), MustFail},
		{"shape-float", with("shape", []any{33.5, 47}), MustFail},
		{"shape-missing", with("shape", nil), MustFail},
		{"chunks-zero", with("chunks", []any{0, 16}), MustFail},
		{"chunks-negative", with("chunks", []any{-16, 16}), MustFail},
		{"chunks-huge", with("chunks", []any{1 << 30, 1 << 30}), MustFail},
		{"chunks-3d", with("chunks", []any{16, 16, 16}), MustFail},
		{"dtype-unknown", with("dtype", "<q9"), MustFail},
		{"dtype-number", with("dtype", 2), MustFail},
		{"dtype-structured", with("dtype", []any{[]any{"a", "<i2"}}), MustFail},
		{"dtype-wider", with("dtype", "<f8"), MustFail},
		{"compressor-unknown", with("compressor", map[string]any{"id": "rot13"}), MustFail},
		{"compressor-text", with("compressor", "zlib"), MustFail},
		{"fill-text", with("fill_value", "lots"), MustFail},
		{"order-Z", with("order", "Z"), MustFail},
		{"format-3", with("zarr_format", 3), MustFail},
		{"filters-unknown", with("filters", []any{map[string]any{"id": "nope"}}), MustFail},
	}
	for _, c := range metaCases {
		if err := store(c.name, c.e, "corrupted .zarray", map[string][]byte{arr + ".zarray": c.b}); err != nil {
			return err
		}
	}
	ch, err := os.ReadFile(filepath.Join(good, arr+"1.1"))
	if err != nil {
		return fmt.Errorf("robust: the zarr writer's chunk naming changed: %w", err)
	}
	flip := func(b []byte, k int) []byte {
		c := bytes.Clone(b)
		c[k%len(c)] ^= 0xff
		return c
	}
	chunkCases := []struct {
		name string
		b    []byte
		e    Expect
	}{
		{"chunk-empty", []byte{}, MustFail},
		{"chunk-trunc1", ch[:1], MustFail},
		{"chunk-trunc-half", ch[:len(ch)/2], MustFail},
		{"chunk-trunc-last", ch[:len(ch)-1], MustFail},
		{"chunk-flip-first", flip(ch, 0), MustFail},
		{"chunk-flip-mid", flip(ch, len(ch)/2), MustFail},
		{"chunk-flip-adler", flip(ch, len(ch)-2), MustFail},
		{"chunk-raw", make([]byte, 16*16*2), MustFail},
		{"chunk-garbage-long", bytes.Repeat([]byte{0x78, 0x9c, 0xff}, 4000), MustFail},
	}
	for _, c := range chunkCases {
		if err := store(c.name, c.e, "corrupted chunk 1.1", map[string][]byte{arr + "1.1": c.b}); err != nil {
			return err
		}
	}
	if err := store("chunk-is-dir", MustFail, "chunk 1.1 is a directory", map[string][]byte{arr + "1.1": nil, arr + "1.1/x": []byte("x")}); err != nil {
		return err
	}
	return store("zarray-missing", MustFail, ".zarray removed", map[string][]byte{arr + ".zarray": nil})
}

// hdf5Fixtures derives cases from the HDF5 fixtures of testdata/hdf5: a
// fletcher32 mismatch, terabyte dimensions, truncations, and reads through
// the hard-link cycle /grp/sub/up.
func (g *gen) hdf5Fixtures() error {
	path := filepath.Join(repoRoot(), "testdata", "hdf5", "v0_classic.h5")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil // fixtures absent; the real files still cover HDF5
	}
	fl := formats.OpenOptions{Variable: "fletcher"}
	// The fletcher dataset's chunks are filtered (shuffle, deflate,
	// fletcher32), so find them by effect: flip one byte every 61 bytes
	// and keep the flips that the checksum catches.
	found := 0
	for k := 0; k < len(b) && found < 4; k += 61 {
		c := bytes.Clone(b)
		c[k] ^= 0x40
		f, err := hdf5.OpenReaderAt(bytes.NewReader(c), int64(len(c)), "probe.h5")
		if err != nil {
			continue
		}
		ds, err := f.Dataset("fletcher")
		if err != nil {
			continue
		}
		if _, err := ds.ReadAll(); err == nil || !strings.Contains(err.Error(), "fletcher32") {
			continue
		}
		found++
		if err := g.add("hdf5", fmt.Sprintf("fletcher@%d", k), ".h5", c, MustFail, fmt.Sprintf("byte %d inside a fletcher32-checked chunk flipped", k), fl); err != nil {
			return err
		}
	}
	if found == 0 {
		return fmt.Errorf("robust: no fletcher32 chunk found in %s", path)
	}
	for i, c := range patchAll(b, le64s(16, 16), le64s(1<<40, 1<<40)) {
		if err := g.add("hdf5", fmt.Sprintf("dims-terabytes-%d", i), ".h5", c, MayFail, "a 16x16 dataspace declared 2^40 x 2^40", fl); err != nil {
			return err
		}
	}
	for _, k := range []int{8, 100, len(b) / 2, len(b) - 100} {
		if err := g.add("hdf5", fmt.Sprintf("fixture-trunc@%d", k), ".h5", b[:k], MayFail, "v0_classic.h5 truncated", fl); err != nil {
			return err
		}
	}
	// The fixture has a hard link /grp/sub/up back to the root: reading
	// through it, and listing a file with a cycle, must terminate.
	deep := strings.Repeat("grp/sub/up/", 40) + "grp/sub/be_f64"
	g.names["hdf5/cycle-path"] = true
	g.cases = append(g.cases,
		Case{Name: "hdf5/cycle-path", Format: "hdf5", Path: path, File: path, Opts: formats.OpenOptions{Variable: deep}, Size: int64(len(b)), Expect: MayFail, Why: "variable path through the /grp/sub/up cycle 40 times"},
		Case{Name: "hdf5/cycle-default", Format: "hdf5", Path: path, File: path, Size: int64(len(b)), Expect: MayFail, Why: "default variable of a file with a group cycle"},
		Case{Name: "hdf5/missing-variable", Format: "hdf5", Path: path, File: path, Opts: formats.OpenOptions{Variable: "/grp/nope"}, Size: int64(len(b)), Expect: MustFail, Why: "a variable that does not exist"},
	)
	return nil
}

func le64s(vs ...uint64) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return b
}

// real derives cases from the smallest real files of each kind.
func (g *gen) real(dir string) error {
	pick := []struct{ format, rel, v string }{
		{"abi", "abi/OR_ABI-L1b-RadM1-M6C04_G17_s20193002000275_e20193002000332_c20193002000383.nc", ""},
		{"geotiff", "geotiff/MCD43A4.A2017006.h21v11.006.2017018074804_B01.TIF", ""},
		{"hdf5", "hdf5/SAFNWC_MSG3_CT___201304290415_BEL_________.h5", ""},
	}
	for _, p := range pick {
		b, err := os.ReadFile(filepath.Join(dir, p.rel))
		if err != nil {
			return fmt.Errorf("robust: real file: %w", err)
		}
		ext := filepath.Ext(p.rel)
		stem := "real-"
		if err := g.byteMutationsReal(p.format, stem, ext, b); err != nil {
			return err
		}
		if p.format == "geotiff" {
			if err := g.tiffPatches("geotiff", "real-", b); err != nil {
				return err
			}
		}
		if p.format == "abi" {
			// ABI M1 Rad is 1000x1000 (ABI chunks 250x250 are 4-byte dims).
			for i, c := range patchAll(b, le64s(1000, 1000), le64s(1<<40, 1<<40)) {
				if err := g.add("abi", fmt.Sprintf("real-dims-terabytes-%d", i), ext, c, MayFail, "a 1000x1000 dataspace declared 2^40 x 2^40", formats.OpenOptions{}); err != nil {
					return err
				}
			}
			for i, c := range patchAll(b, le64s(1000, 1000), le64s(0, 1000)) {
				if err := g.add("abi", fmt.Sprintf("real-dims-zero-%d", i), ext, c, MayFail, "a 1000x1000 dataspace declared 0 x 1000", formats.OpenOptions{}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// byteMutationsReal derives truncations and flips from a real file. These
// formats do not need every byte for every variable, so all cases are
// MayFail, except truncations to less than an eighth of the file, which
// lose data of any variable.
func (g *gen) byteMutationsReal(format, prefix, ext string, b []byte) error {
	n := len(b)
	for _, k := range []int{0, 4, 8, 48, 512, 2048, n / 16, n / 8, n / 4, n / 2, 3 * n / 4, n - 512, n - 1} {
		e := MayFail
		if k < n/8 {
			e = MustFail
		}
		if err := g.add(format, fmt.Sprintf("%strunc@%d", prefix, k), ext, b[:k], e, fmt.Sprintf("truncated to %d of %d bytes", k, n), formats.OpenOptions{}); err != nil {
			return err
		}
	}
	for i := 0; i < 10; i++ {
		var k int
		if i < 6 {
			k = g.rng.IntN(min(n, 4096))
		} else {
			k = n/4 + g.rng.IntN(n/2)
		}
		c := bytes.Clone(b)
		c[k] ^= 0xff
		if err := g.add(format, fmt.Sprintf("%sflip@%d", prefix, k), ext, c, MayFail, fmt.Sprintf("byte %d inverted", k), formats.OpenOptions{}); err != nil {
			return err
		}
	}
	return nil
}
