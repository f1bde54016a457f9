package hdf5

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func fixturePath(name string) string { return filepath.Join(testdataDir(), name) }

func openFixture(t testing.TB, name string) *File {
	t.Helper()
	f, err := Open(fixturePath(name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func mustDataset(t testing.TB, f *File, path string) *Dataset {
	t.Helper()
	ds, err := f.Dataset(path)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestFixturesOracle checks every numeric dataset of the generated fixtures
// against the h5py summary in fixtures.json.
func TestFixturesOracle(t *testing.T) {
	b, err := os.ReadFile(fixturePath("fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var o struct {
		Files []oracleFile `json:"files"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatal(err)
	}
	if len(o.Files) != 3 {
		t.Fatalf("fixtures.json lists %d files", len(o.Files))
	}
	for _, of := range o.Files {
		t.Run(of.File, func(t *testing.T) {
			f := openFixture(t, of.File)
			for _, od := range of.Datasets {
				checkOracleDataset(t, mustDataset(t, f, od.Path), od)
			}
		})
	}
}

func TestSuperblockVersions(t *testing.T) {
	for name, want := range map[string]int{"v0_classic.h5": 0, "v2_v108.h5": 2, "v3_latest.h5": 3} {
		if got := openFixture(t, name).SuperblockVersion(); got != want {
			t.Errorf("%s: superblock version %d, want %d", name, got, want)
		}
	}
}

func TestLayoutsAndIndexes(t *testing.T) {
	cases := []struct {
		file, path string
		layout     LayoutKind
		index      ChunkIndexKind
	}{
		{"v0_classic.h5", "/contiguous", LayoutContiguous, IndexNone},
		{"v0_classic.h5", "/compact", LayoutCompact, IndexNone},
		{"v0_classic.h5", "/grp/sub/chunked_deflate", LayoutChunked, IndexBTree1},
		{"v2_v108.h5", "/fixed_array", LayoutChunked, IndexBTree1},
		{"v3_latest.h5", "/single", LayoutChunked, IndexSingleChunk},
		{"v3_latest.h5", "/single_filtered", LayoutChunked, IndexSingleChunk},
		{"v3_latest.h5", "/implicit", LayoutChunked, IndexImplicit},
		{"v3_latest.h5", "/fixed_array", LayoutChunked, IndexFixedArray},
		{"v3_latest.h5", "/fixed_array_paged", LayoutChunked, IndexFixedArray},
		{"v3_latest.h5", "/sparse_fixed", LayoutChunked, IndexFixedArray},
		{"v3_latest.h5", "/ext_array", LayoutChunked, IndexExtensibleArray},
		{"v3_latest.h5", "/ext_array_filtered", LayoutChunked, IndexExtensibleArray},
		{"v3_latest.h5", "/btree2", LayoutChunked, IndexBTree2},
		{"v3_latest.h5", "/btree2_filtered", LayoutChunked, IndexBTree2},
	}
	for _, c := range cases {
		ds := mustDataset(t, openFixture(t, c.file), c.path)
		if ds.Layout() != c.layout || ds.ChunkIndex() != c.index {
			t.Errorf("%s %s: layout %s index %s, want %s %s", c.file, c.path, ds.Layout(), ds.ChunkIndex(), c.layout, c.index)
		}
	}
	ds := mustDataset(t, openFixture(t, "v3_latest.h5"), "/ext_array_filtered")
	if got := ds.Compression(); got != "shuffle+deflate(level 4)+fletcher32" {
		t.Errorf("compression %q", got)
	}
	if got := ds.MaxShape(); !reflect.DeepEqual(got, []int{10, Unlimited}) {
		t.Errorf("max shape %v", got)
	}
	if got := ds.ChunkShape(); !reflect.DeepEqual(got, []int{10, 2}) {
		t.Errorf("chunk shape %v", got)
	}
	if fl := ds.Filters(); len(fl) != 3 || fl[1].ID != FilterDeflate || fl[1].ClientData[0] != 4 {
		t.Errorf("filters %+v", fl)
	}
}

func TestFixtureAttributes(t *testing.T) {
	for _, name := range []string{"v0_classic.h5", "v2_v108.h5", "v3_latest.h5"} {
		f := openFixture(t, name)
		want := map[string]any{
			"fixed_str":       "hello",
			"vlen_str":        "variable length",
			"vlen_str_array":  []string{"a", "bc", "def"},
			"fixed_str_array": []string{"x", "yy", "zzz"},
			"scalar_f64":      []float64{2.5},
			"be_i32":          []int32{1, -2, 3},
			"be_f32":          []float32{1.5, -0.25},
			"u16":             []uint16{65535, 1},
		}
		for k, v := range want {
			a, ok := f.Root().Attr(k)
			if !ok {
				t.Errorf("%s: attribute %s missing", name, k)
				continue
			}
			if !reflect.DeepEqual(a.Value, v) {
				t.Errorf("%s: attribute %s = %#v, want %#v", name, k, a.Value, v)
			}
		}
		if a, _ := f.Root().Attr("scalar_f64"); a.Shape != nil {
			t.Errorf("%s: scalar attribute has shape %v", name, a.Shape)
		}
		if a, _ := f.Root().Attr("be_i32"); !a.Type.BigEndian || a.Type.Kind() != reflect.Int32 {
			t.Errorf("%s: be_i32 type %s", name, a.Type)
		}
		if v, ok := mustAttr(t, f.Root(), "u16").Float64s(); !ok || v[0] != 65535 {
			t.Errorf("Float64s: %v", v)
		}
	}
}

func mustAttr(t testing.TB, o interface {
	Attr(string) (Attribute, bool)
}, name string) Attribute {
	t.Helper()
	a, ok := o.Attr(name)
	if !ok {
		t.Fatalf("attribute %s missing", name)
	}
	return a
}

func TestDenseAttributesAndLinks(t *testing.T) {
	for _, name := range []string{"v2_v108.h5", "v3_latest.h5"} {
		f := openFixture(t, name)
		ds := mustDataset(t, f, "dense_attrs")
		attrs := ds.Attrs()
		if len(attrs) != 40 {
			t.Fatalf("%s: %d attributes, want 40", name, len(attrs))
		}
		for i, a := range attrs {
			wantName := "attr" + string(rune('0'+i/10)) + string(rune('0'+i%10))
			if a.Name != wantName || !reflect.DeepEqual(a.Value, []int32{int32(i), int32(2 * i)}) {
				t.Errorf("%s: attribute %d = %s %v", name, i, a.Name, a.Value)
			}
		}
		obj, ok := f.Root().Lookup("/many")
		if !ok {
			t.Fatalf("%s: /many missing", name)
		}
		g := obj.(*Group)
		if n := len(g.Datasets()); n != 30 {
			t.Errorf("%s: /many has %d datasets, want 30", name, n)
		}
		d, _ := g.Dataset("d17")
		buf, err := d.ReadAll()
		if err != nil || !bytes.Equal(buf, []byte{17, 17}) {
			t.Errorf("%s: d17 = %v, %v", name, buf, err)
		}
	}
}

func TestOldStyleGroupsLinksAndCycle(t *testing.T) {
	f := openFixture(t, "v0_classic.h5")
	obj, ok := f.Root().Lookup("/grp/sub/chunked_deflate")
	if !ok || obj.Path() != "/grp/sub/chunked_deflate" {
		t.Fatalf("lookup: %v %v", obj, ok)
	}
	g, _ := f.Root().Lookup("grp/sub")
	if a := mustAttr(t, g.(*Group), "note"); a.Value != "nested" {
		t.Errorf("note = %v", a.Value)
	}
	if got := f.Cycles(); !reflect.DeepEqual(got, []string{"/grp/sub/up"}) {
		t.Errorf("cycles %v", got)
	}
	links := f.Root().Links()
	if len(links) != 2 || links[0].Name != "ext" || !links[0].External || links[0].Target != "other.h5:/x" ||
		links[1].Name != "soft" || links[1].Target != "/grp/sub/be_i32" {
		t.Errorf("links %+v", links)
	}
	if _, err := f.Dataset("/nope"); err == nil || !strings.HasPrefix(err.Error(), "hdf5: ") {
		t.Errorf("missing variable error: %v", err)
	}
}

func TestScalarAndBigEndian(t *testing.T) {
	f := openFixture(t, "v0_classic.h5")
	ds := mustDataset(t, f, "scalar")
	if ds.Rank() != 0 || ds.NumElements() != 1 {
		t.Fatalf("scalar rank %d", ds.Rank())
	}
	buf := make([]byte, 4)
	if err := ds.ReadHyperslab(nil, nil, buf); err != nil {
		t.Fatal(err)
	}
	if v := math.Float32frombits(binary.LittleEndian.Uint32(buf)); v != 3.25 {
		t.Errorf("scalar = %v", v)
	}
	be := mustDataset(t, f, "/grp/sub/be_i32")
	if !be.DType().BigEndian {
		t.Error("be_i32 not big-endian")
	}
	all, err := be.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if v := int32(binary.LittleEndian.Uint32(all[4:])); v != -49 {
		t.Errorf("be_i32[1] = %d, want -49", v)
	}
}

func TestFillValues(t *testing.T) {
	f := openFixture(t, "v0_classic.h5")
	ds := mustDataset(t, f, "partial_fill")
	fv, ok := ds.FillValue()
	if !ok || int16(binary.LittleEndian.Uint16(fv)) != -7 {
		t.Errorf("fill value %v %v", fv, ok)
	}
	buf := make([]byte, 2*3*3)
	if err := ds.ReadHyperslab([]int{3, 3}, []int{3, 3}, buf); err != nil {
		t.Fatal(err)
	}
	want := []int16{1, -7, -7, -7, -7, -7, -7, -7, -7}
	for i, w := range want {
		if g := int16(binary.LittleEndian.Uint16(buf[2*i:])); g != w {
			t.Errorf("element %d = %d, want %d", i, g, w)
		}
	}
	be := mustDataset(t, openFixture(t, "v3_latest.h5"), "btree2_filtered")
	fv, _ = be.FillValue()
	if int16(binary.LittleEndian.Uint16(fv)) != -1 {
		t.Errorf("big-endian fill value %v", fv)
	}
}

func TestCompoundAndEnum(t *testing.T) {
	f := openFixture(t, "v3_latest.h5")
	ds := mustDataset(t, f, "compound")
	dt := ds.DType()
	if dt.Class != ClassCompound || len(dt.Members) != 2 || dt.Members[1].Name != "b" || !dt.Members[1].Type.BigEndian {
		t.Fatalf("compound type %s", dt)
	}
	buf, err := ds.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	off := dt.Size + dt.Members[1].Offset // element 1, member b, now little-endian
	if v := math.Float64frombits(binary.LittleEndian.Uint64(buf[off:])); v != 1.5 {
		t.Errorf("compound[1].b = %v", v)
	}
	en := mustDataset(t, f, "enum")
	if en.DType().Class != ClassEnum || en.DType().Kind() != reflect.Int8 || len(en.DType().EnumNames) != 2 {
		t.Errorf("enum type %s", en.DType())
	}
	if a := mustAttr(t, f.Root(), "compound_attr"); a.Type.Class != ClassCompound {
		t.Errorf("compound attribute type %s", a.Type)
	}
}

func TestUnsupportedFilter(t *testing.T) {
	f := openFixture(t, "v0_classic.h5")
	ds := mustDataset(t, f, "lzf")
	_, err := ds.ReadAll()
	if err == nil {
		t.Fatal("expected an error for the LZF filter")
	}
	want := "hdf5: " + fixturePath("v0_classic.h5") + ": unsupported filter 32000 (lzf) in variable /lzf"
	if err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if !errors.Is(err, ErrUnsupported) {
		t.Error("error does not wrap ErrUnsupported")
	}
}

func TestFletcher32Mismatch(t *testing.T) {
	data, err := os.ReadFile(fixturePath("v0_classic.h5"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := OpenReaderAt(bytes.NewReader(data), int64(len(data)), "mem.h5")
	if err != nil {
		t.Fatal(err)
	}
	ds := mustDataset(t, f, "fletcher")
	ci, err := ds.chunkIdx()
	if err != nil {
		t.Fatal(err)
	}
	e, ok := ci.lookup([]int{1, 2}, ds.chunkBytes)
	if !ok {
		t.Fatal("chunk (1,2) not stored")
	}
	bad := append([]byte(nil), data...)
	bad[e.addr+e.size/2] ^= 0x40
	f2, err := OpenReaderAt(bytes.NewReader(bad), int64(len(bad)), "mem.h5")
	if err != nil {
		t.Fatal(err)
	}
	ds2 := mustDataset(t, f2, "fletcher")
	buf := make([]byte, 4*5*6)
	if err := ds2.ReadHyperslab([]int{0, 0}, []int{5, 6}, buf); err != nil {
		t.Errorf("undamaged chunk (0,0): %v", err)
	}
	_, err = ds2.ReadAll()
	want := "hdf5: mem.h5: variable /fletcher: chunk (1,2): fletcher32 checksum mismatch"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Error("error does not wrap ErrCorrupt")
	}
}
