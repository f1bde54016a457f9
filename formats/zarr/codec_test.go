package zarr

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"chunkpipe/chunk"
)

// TestBlosclz decodes hand-assembled streams covering literals, short and
// extended matches, overlapping runs and far matches, and malformed input.
func TestBlosclz(t *testing.T) {
	far := bytes.Repeat([]byte{0}, 9000)
	for i := range 9000 {
		far[i] = byte(i * 7 % 251)
	}
	tests := []struct {
		name string
		src  []byte
		want []byte
		err  string
	}{
		{"literal", []byte{0x20 | 2, 'a', 'b', 'c'}, []byte("abc"), ""},
		// 3-byte literal, then match len field 1 (3 bytes) from distance 3.
		{"match", []byte{2, 'a', 'b', 'c', 1 << 5, 2}, []byte("abcabc"), ""},
		// Run: distance 1, len field 2 (4 bytes).
		{"run", []byte{0, 'x', 2 << 5, 0}, []byte("xxxxx"), ""},
		// Extended length: field 7, extension 255 then 1: 6+255+1+3 = 265.
		{"extended", []byte{0, 'z', 7 << 5, 255, 1, 0}, bytes.Repeat([]byte("z"), 266), ""},
		// Far match: ctrl&31 == 31, code 255, then uint16 808: distance 808+8191+1 = 9000.
		{"far", append(literalRuns(far), 1<<5|31, 255, 808>>8, 808&255), append(append([]byte(nil), far...), far[:3]...), ""},
		{"empty", nil, nil, "empty"},
		{"literal overrun", []byte{5, 'a'}, nil, "overruns"},
		{"match before start", []byte{0, 'a', 1 << 5, 9}, nil, "before the start"},
		{"truncated match", []byte{0, 'a', 1 << 5}, nil, "truncated"},
		{"truncated far", []byte{0, 'a', 1<<5 | 31, 255, 1}, nil, "truncated far"},
	}
	for _, tc := range tests {
		dst := make([]byte, max(len(tc.want), 8))
		if tc.err == "" {
			dst = make([]byte, len(tc.want))
		}
		n, err := blosclzDecode(dst, tc.src)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || !bytes.Equal(dst[:n], tc.want) {
			t.Errorf("%s: got %d bytes %q, %v", tc.name, n, dst[:min(n, 16)], err)
		}
	}
}

// literalRuns encodes b as blosclz literal runs of up to 32 bytes.
func literalRuns(b []byte) []byte {
	var out []byte
	for len(b) > 0 {
		n := min(len(b), 32)
		out = append(out, byte(n-1))
		out = append(out, b[:n]...)
		b = b[n:]
	}
	return out
}

// TestShuffles checks the shuffles against their definitions and their
// inverses, including sizes with leftover bytes and element counts that
// are not multiples of eight.
func TestShuffles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{1, 2, 4, 8} {
		for _, n := range []int{0, 1, 7, 8, 9, 64, 129, 1001} {
			src := make([]byte, n)
			for i := range src {
				src[i] = byte(rng.IntN(256))
			}
			sh, back := make([]byte, n), make([]byte, n)
			shuffleBytes(sh, src, size)
			elems := n / size
			for i := 0; i < elems; i++ {
				for j := 0; j < size; j++ {
					if sh[j*elems+i] != src[i*size+j] {
						t.Fatalf("shuffle size %d n %d: byte %d of element %d misplaced", size, n, j, i)
					}
				}
			}
			unshuffle(back, sh, size)
			if !bytes.Equal(back, src) {
				t.Fatalf("unshuffle size %d n %d does not invert", size, n)
			}
			bitShuffle(sh, src, size)
			if elems%8 == 0 {
				for i := 0; i < elems; i++ {
					for j := 0; j < size; j++ {
						for k := 0; k < 8; k++ {
							got := sh[(j*8+k)*(elems/8)+i/8] >> (i % 8) & 1
							if got != src[i*size+j]>>k&1 {
								t.Fatalf("bitshuffle size %d n %d: bit %d of byte %d of element %d misplaced", size, n, k, j, i)
							}
						}
					}
				}
			} else if !bytes.Equal(sh, src) {
				t.Fatalf("bitshuffle size %d n %d: want a copy when elements %% 8 != 0", size, n)
			}
			bitUnshuffle(back, sh, size)
			if !bytes.Equal(back, src) {
				t.Fatalf("bitunshuffle size %d n %d does not invert", size, n)
			}
		}
	}
}

// TestCodecsRoundTrip encodes and decodes with every codec, including
// empty and incompressible input.
func TestCodecsRoundTrip(t *testing.T) {
	z1, _ := newZstdCodec(1)
	zl, _ := newFlateCodec(formatZlib, 9)
	gz, _ := newFlateCodec(formatGzip, 1)
	gz9, _ := newFlateCodec(formatGzip, 9)
	codecs := []codec{noneCodec{}, z1, zl, gz, gz9, lz4Codec{},
		bloscCodec{cname: "lz4", clevel: 5, shuffle: shuffleByte, typesize: 4},
		bloscCodec{cname: "zstd", clevel: 9, shuffle: shuffleBit, typesize: 8, blocksize: 4096}}
	rng := rand.New(rand.NewPCG(5, 5))
	random := make([]byte, 70000)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	inputs := map[string][]byte{"empty": {}, "one": {42}, "zeros": make([]byte, 100000), "random": random}
	for _, c := range codecs {
		for name, in := range inputs {
			enc, err := c.encode([]byte("prefix"), in)
			if err != nil {
				t.Fatalf("%v %s: %v", c, name, err)
			}
			if string(enc[:6]) != "prefix" {
				t.Fatalf("%v %s: encode did not append", c, name)
			}
			out := make([]byte, len(in))
			if err := c.decode(out, enc[6:]); err != nil || !bytes.Equal(out, in) {
				t.Fatalf("%v %s: round trip failed: %v", c, name, err)
			}
			if len(in) > 0 {
				if err := c.decode(make([]byte, len(in)+1), enc[6:]); err == nil {
					t.Errorf("%v %s: decoding into a larger chunk succeeded", c, name)
				}
			}
		}
	}
}

// TestParseDType covers the dtype strings, accepted and refused.
func TestParseDType(t *testing.T) {
	tests := []struct {
		in   string
		want elemType
		ok   bool
	}{
		{"<f4", elemType{chunk.Float32, false}, true},
		{">f8", elemType{chunk.Float64, true}, true},
		{"|u1", elemType{chunk.Uint8, false}, true},
		{"|i1", elemType{chunk.Int8, false}, true},
		{"<i1", elemType{chunk.Int8, false}, true},
		{">u2", elemType{chunk.Uint16, true}, true},
		{"<i8", elemType{chunk.Int64, false}, true},
		{"<u8", elemType{chunk.Uint64, false}, true},
		{"|f4", elemType{}, false},
		{"<f2", elemType{}, false},
		{"<c8", elemType{}, false},
		{"|b1", elemType{}, false},
		{"<M8[ns]", elemType{}, false},
		{"f4", elemType{}, false},
		{"", elemType{}, false},
	}
	for _, tc := range tests {
		got, err := parseDType(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseDType(%q) = %v, %v", tc.in, got, err)
		}
		if tc.ok && tc.want.DType.Size() > 1 && got.String() != tc.in {
			t.Errorf("%q formats back as %q", tc.in, got.String())
		}
	}
}

// TestFill covers fill_value parsing and its element bytes.
func TestFill(t *testing.T) {
	tests := []struct {
		raw  string
		t    chunk.DType
		want float64 // NaN matches NaN
		set  bool
		ok   bool
	}{
		{`null`, chunk.Float32, 0, false, true},
		{`"NaN"`, chunk.Float32, math.NaN(), true, true},
		{`"Infinity"`, chunk.Float64, math.Inf(1), true, true},
		{`"-Infinity"`, chunk.Float64, math.Inf(-1), true, true},
		{`0.0`, chunk.Float64, 0, true, true},
		{`-1e30`, chunk.Float64, -1e30, true, true},
		{`-999`, chunk.Int16, -999, true, true},
		{`0.0`, chunk.Uint8, 0, true, true},
		{`255`, chunk.Uint8, 255, true, true},
		{`18446744073709551615`, chunk.Uint64, math.MaxUint64, true, true},
		{`-9223372036854775808`, chunk.Int64, math.MinInt64, true, true},
		{`256`, chunk.Uint8, 0, false, false},
		{`-1`, chunk.Uint16, 0, false, false},
		{`1.5`, chunk.Int32, 0, false, false},
		{`"NaN"`, chunk.Int32, 0, false, false},
		{`"nan"`, chunk.Float32, 0, false, false},
		{`true`, chunk.Float32, 0, false, false},
	}
	for _, tc := range tests {
		v, err := parseFill(json.RawMessage(tc.raw), tc.t)
		if (err == nil) != tc.ok {
			t.Errorf("parseFill(%s, %v): %v", tc.raw, tc.t, err)
			continue
		}
		if !tc.ok {
			continue
		}
		if v.Set != tc.set || !(v.F == tc.want || math.IsNaN(v.F) && math.IsNaN(tc.want)) {
			t.Errorf("parseFill(%s, %v) = %+v", tc.raw, tc.t, v)
		}
		e := v.elem(tc.t)
		a := &chunk.Array{DType: tc.t, Rect: chunk.Rect(0, 0, 1, 1), Stride: 1, Data: append(chunk.AlignedBytes(0), e...)}
		var got float64
		switch tc.t {
		case chunk.Float32:
			got = float64(chunk.Elems[float32](a)[0])
		case chunk.Float64:
			got = chunk.Elems[float64](a)[0]
		case chunk.Int16:
			got = float64(chunk.Elems[int16](a)[0])
		case chunk.Uint8:
			got = float64(a.Data[0])
		case chunk.Uint64:
			got = float64(chunk.Elems[uint64](a)[0])
		case chunk.Int64:
			got = float64(chunk.Elems[int64](a)[0])
		}
		if !(got == tc.want || math.IsNaN(got) && math.IsNaN(tc.want)) {
			t.Errorf("fill %s as %v: element holds %v", tc.raw, tc.t, got)
		}
	}
	if e := (fillValue{Set: true, F: nan}).elem(chunk.Float32); !bytes.Equal(e, []byte{0, 0, 0xc0, 0x7f}) && !hostBigEndian {
		t.Errorf("float32 NaN fill = % x, want NumPy's 00 00 c0 7f", e)
	}
}

// TestAttrs checks .zattrs parsing (order, types, Python's bare NaN) and
// that writing and parsing again round-trips.
func TestAttrs(t *testing.T) {
	doc := `{"z": 1, "a": 2.5, "s": "NaN in a string", "nan": NaN, "inf": -Infinity,
		"ints": [1, 2, 3], "mixed": [1, 2.5], "flag": true, "names": ["a", "b"],
		"_ARRAY_DIMENSIONS": ["y", "x"], "big": 1e300, "obj": {"k": 1}}`
	attrs, dims, err := parseAttrs([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(dims, ",") != "y,x" {
		t.Errorf("dims %v", dims)
	}
	var names []string
	for _, a := range attrs {
		names = append(names, a.Name)
	}
	if got := strings.Join(names, ","); got != "z,a,s,nan,inf,ints,mixed,flag,names,big,obj" {
		t.Errorf("order %s", got)
	}
	if v, _ := attrs.Get("z"); v != int64(1) {
		t.Errorf("z = %#v", v)
	}
	if v, _ := attrs.Get("s"); v != "NaN in a string" {
		t.Errorf("s = %#v", v)
	}
	if v, _ := attrs.Get("nan"); !math.IsNaN(v.(float64)) {
		t.Errorf("nan = %#v", v)
	}
	if v, _ := attrs.Get("inf"); v != math.Inf(-1) {
		t.Errorf("inf = %#v", v)
	}
	if v, _ := attrs.Get("mixed"); len(v.([]float64)) != 2 {
		t.Errorf("mixed = %#v", v)
	}
	if v, _ := attrs.Get("flag"); v != "true" {
		t.Errorf("flag = %#v", v)
	}
	again, dims2, err := parseAttrs(marshalAttrs(attrs, dims))
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(attrs) || strings.Join(dims2, ",") != "y,x" {
		t.Fatalf("round trip: %v %v", again, dims2)
	}
	for i := range attrs {
		a, b := attrs[i].Value, again[i].Value
		if f, ok := a.(float64); ok && math.IsNaN(f) {
			continue
		}
		if ja, jb := string(attrJSON(a)), string(attrJSON(b)); ja != jb || attrs[i].Name != again[i].Name {
			t.Errorf("attribute %s: %s became %s", attrs[i].Name, ja, jb)
		}
	}
	if _, _, err := parseAttrs([]byte(`[1]`)); err == nil {
		t.Error("a list parsed as attributes")
	}
}
