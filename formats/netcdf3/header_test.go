package netcdf3_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/formats"
	"chunkpipe/formats/netcdf3"
)

// hdr assembles NetCDF classic headers field by field, so that tests can
// write invalid ones.
type hdr struct {
	b   []byte
	ver byte
}

func (h *hdr) i32(v int64) *hdr { h.b = binary.BigEndian.AppendUint32(h.b, uint32(v)); return h }
func (h *hdr) i64(v int64) *hdr { h.b = binary.BigEndian.AppendUint64(h.b, uint64(v)); return h }

// n appends a count: 64 bits in CDF-5, else 32.
func (h *hdr) n(v int64) *hdr {
	if h.ver == 5 {
		return h.i64(v)
	}
	return h.i32(v)
}

func (h *hdr) name(s string) *hdr {
	h.n(int64(len(s)))
	h.b = append(h.b, s...)
	for len(h.b)%4 != 0 {
		h.b = append(h.b, 0)
	}
	return h
}

// begin appends a variable offset: 32 bits in CDF-1, else 64.
func (h *hdr) begin(v int64) *hdr {
	if h.ver == 1 {
		return h.i32(v)
	}
	return h.i64(v)
}

// fileSpec describes a small file with one variable "v" of nc_type typ
// over the given dimensions, and one global attribute.
type fileSpec struct {
	ver      byte
	numrecs  int64
	dims     [][2]any // name, size
	dimids   []int64
	typ      int64
	attType  int64
	attCount int64
	begin    int64 // 0: right after the header
	data     int   // bytes of data after the header
}

func goodSpec() fileSpec {
	return fileSpec{ver: 1, dims: [][2]any{{"y", int64(2)}, {"x", int64(3)}}, dimids: []int64{0, 1}, typ: 3, attType: 2, attCount: 5, data: 12}
}

func (s fileSpec) bytes() []byte {
	for range 2 { // the second pass knows the header length
		h := &hdr{ver: s.ver}
		h.b = append(h.b, 'C', 'D', 'F', s.ver)
		h.n(s.numrecs)
		h.i32(0x0A).n(int64(len(s.dims)))
		for _, d := range s.dims {
			h.name(d[0].(string)).n(d[1].(int64))
		}
		h.i32(0x0C).n(1).name("title").i32(s.attType).n(s.attCount)
		h.b = append(h.b, "hello\x00\x00\x00"...)
		h.i32(0x0B).n(1).name("v").n(int64(len(s.dimids)))
		for _, id := range s.dimids {
			h.n(id)
		}
		h.i32(0).n(0).i32(s.typ).n(12)
		begin := s.begin
		if begin == 0 {
			begin = int64(len(h.b)) + 8
			if s.ver == 1 {
				begin -= 4
			}
		}
		h.begin(begin)
		if s.begin != 0 || int64(len(h.b)) == begin {
			return append(h.b, make([]byte, s.data)...)
		}
	}
	panic("unreachable")
}

func openBytes(b []byte) (*netcdf3.Reader, error) {
	return netcdf3.NewReader(bytes.NewReader(b), int64(len(b)), "mem.nc", formats.OpenOptions{})
}

func TestHeaderGood(t *testing.T) {
	for _, ver := range []byte{1, 2, 5} {
		s := goodSpec()
		s.ver = ver
		r, err := openBytes(s.bytes())
		if err != nil {
			t.Fatalf("CDF-%d: %v", ver, err)
		}
		if v, _ := r.Info().Global.String("title"); v != "hello" || r.Info().Shape.Len() != 6 {
			t.Errorf("CDF-%d: title %q shape %v", ver, v, r.Info().Shape)
		}
	}
}

func TestHeaderErrors(t *testing.T) {
	mod := func(f func(*fileSpec)) []byte {
		s := goodSpec()
		f(&s)
		return s.bytes()
	}
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"three bytes", []byte("CDF"), "too short"},
		{"wrong magic", []byte("HDF\x01\x00\x00\x00\x00"), "magic"},
		{"wrong version", []byte("CDF\x03\x00\x00\x00\x00"), "magic"},
		{"hdf5", []byte("\x89HDF\r\n\x1a\n"), "magic"},
		{"truncated header", mod(func(s *fileSpec) {})[:40], "truncated header"},
		{"truncated data", mod(func(s *fileSpec) { s.data = 11 }), "beyond the end"},
		{"negative dimension", mod(func(s *fileSpec) { s.dims[1][1] = int64(-3) }), "negative dimension size"},
		{"terabyte dimensions", mod(func(s *fileSpec) { s.dims[0][1], s.dims[1][1] = int64(1<<31-1), int64(1<<31-1) }), "beyond the end"},
		{"terabyte CDF-5", mod(func(s *fileSpec) { s.ver = 5; s.dims[0][1], s.dims[1][1] = int64(1<<20), int64(1<<20) }), "beyond the end"},
		{"2^63 bytes", mod(func(s *fileSpec) { s.ver = 5; s.dims[0][1], s.dims[1][1] = int64(1<<62), int64(1<<62) }), "more than 2^63 bytes"},
		{"bad attribute type", mod(func(s *fileSpec) { s.attType = 99 }), "attribute title has type 99"},
		{"CDF-5 type in CDF-1", mod(func(s *fileSpec) { s.attType = 7 }), "has type 7"},
		{"attribute longer than file", mod(func(s *fileSpec) { s.attCount = 1 << 20 }), "truncated header"},
		{"attribute absurd count", mod(func(s *fileSpec) { s.ver = 5; s.attCount = 1 << 40 }), "has 1099511627776 values"},
		{"negative attribute count", mod(func(s *fileSpec) { s.attCount = -1 }), "negative attribute length"},
		{"bad variable type", mod(func(s *fileSpec) { s.typ = 0 }), "variable v has type 0"},
		{"dimension id out of range", mod(func(s *fileSpec) { s.dimids = []int64{0, 2} }), "dimension id 2 of 2"},
		{"unlimited not first", mod(func(s *fileSpec) { s.dims[1][1] = int64(0) }), "only first is allowed"},
		{"two unlimited", mod(func(s *fileSpec) { s.dims[0][1], s.dims[1][1] = int64(0), int64(0) }), "2 unlimited dimensions"},
		{"begin inside header", mod(func(s *fileSpec) { s.begin = 8 }), "inside the"},
		{"negative numrecs", mod(func(s *fileSpec) { s.numrecs = -5 }), "negative record count"},
		{"empty name", mod(func(s *fileSpec) { s.dims[0][0] = "" }), "name length 0"},
		{"absurd dimension count", append([]byte("CDF\x01\x00\x00\x00\x00\x00\x00\x00\x0a\x7f\xff\xff\xff"), make([]byte, 64)...), "do not fit"},
		{"bad list tag", []byte("CDF\x01\x00\x00\x00\x00\x00\x00\x00\x0b\x00\x00\x00\x01"), "tag 0xb"},
		{"no variables", append([]byte("CDF\x01"), make([]byte, 28)...), "no 2-D numeric variable (variables: none)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := openBytes(tc.file)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "netcdf3: mem.nc: ") {
				t.Errorf("error %q lacks the netcdf3: FILE prefix", err)
			}
		})
	}
}

// TestTruncatedFixtures opens every prefix of real files: each must fail
// cleanly (the data of every variable is needed, only the padding after
// the last value may be missing) and none may panic.
func TestTruncatedFixtures(t *testing.T) {
	for _, name := range []string{"classic.nc", "data64.nc", "records.nc", "single_record.nc"} {
		b, err := os.ReadFile(filepath.Join(fixtureDir, name))
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n < len(b)-3; n++ {
			if _, err := openBytes(b[:n]); err == nil {
				t.Fatalf("%s cut to %d of %d bytes opened without error", name, n, len(b))
			}
		}
	}
}

// TestStreamingNumrecs reads a file whose record count is the "still being
// written" marker: the count comes from the file size.
func TestStreamingNumrecs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(fixtureDir, "single_record.nc"))
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Clone(b)
	copy(b[4:8], "\xff\xff\xff\xff")
	r, err := openBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	want, err := readNpy(filepath.Join(fixtureDir, "single_record.only.npy"))
	if err != nil {
		t.Fatal(err)
	}
	equalBits(t, "only", readAll(t, r).Data, want.hostBytes(), 2)
}
