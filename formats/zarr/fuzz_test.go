package zarr

import (
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
)

// FuzzMetadata parses arbitrary .zarray documents: no panics, and accepted
// metadata must respect the size bounds and format back to a document
// that parses to the same array.
func FuzzMetadata(f *testing.F) {
	matches, _ := filepath.Glob(filepath.Join(fixtureDir, "*.zarr", ".zarray"))
	for _, m := range matches {
		if b, err := os.ReadFile(m); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"zarr_format":2,"shape":[1,1],"chunks":[1,1],"dtype":"<f4","compressor":null,"fill_value":"NaN","order":"C","filters":null}`))
	f.Add([]byte(`{"zarr_format":2,"shape":[0,5],"chunks":[3,3],"dtype":">u8","compressor":{"id":"blosc","cname":"blosclz","clevel":9,"shuffle":2},"fill_value":18446744073709551615,"order":"F","filters":[],"dimension_separator":"/"}`))
	// A shape of 2^80 elements: refused at open, not left to the grid.
	f.Add([]byte(`{"zarr_format":2,"shape":[1099511627776,1099511627776],"chunks":[512,512],"dtype":"<f4","compressor":null,"fill_value":null,"order":"C","filters":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseArrayMeta(data)
		if err != nil {
			return
		}
		if m.Shape.Rows > 0 && m.Shape.Cols > chunk.MaxElements/m.Shape.Rows {
			t.Fatalf("accepted shape %v of more than 2^50 elements", m.Shape)
		}
		if m.Chunks.Rows < 1 || m.Chunks.Cols < 1 || m.chunkBytes() > maxChunkBytes || m.Shape.Rows < 0 || m.Shape.Cols < 0 {
			t.Fatalf("accepted bad sizes: shape %v chunks %v", m.Shape, m.Chunks)
		}
		b, err := m.marshal()
		if err != nil {
			t.Fatal(err)
		}
		m2, err := parseArrayMeta(b)
		if err != nil {
			t.Fatalf("reformatted metadata does not parse: %v\n%s", err, b)
		}
		if m2.Shape != m.Shape || m2.Chunks != m.Chunks || m2.Type != m.Type || m2.FOrder != m.FOrder || m2.Sep != m.Sep {
			t.Fatalf("round trip changed the array: %+v vs %+v", m, m2)
		}
	})
}

// FuzzChunk decodes arbitrary chunk files with every codec. Decoding must
// not panic, and success means the output was filled exactly.
func FuzzChunk(f *testing.F) {
	z, _ := newZstdCodec(1)
	zl, _ := newFlateCodec(formatZlib, 1)
	gz, _ := newFlateCodec(formatGzip, 1)
	codecs := []codec{noneCodec{}, z, zl, gz, lz4Codec{}, bloscCodec{cname: "lz4", clevel: 5, shuffle: shuffleByte, typesize: 4}}
	seedFiles := []string{"zlib_f4.zarr/0.0", "gzip_i2.zarr/0.0", "zstd_u2.zarr/0.0", "lz4_i4.zarr/0.0", "none_u1.zarr/0.0",
		"blosc_lz4_shuffle_f4.zarr/0.0", "blosc_blosclz_shuffle_i4.zarr/0.0", "blosc_blosclz_shuffle_u2.zarr/0.0",
		"blosc_zstd_bitshuffle_f8.zarr/0.0", "blosc_zlib_shuffle_i8.zarr/0.0", "blosc_blosclz_noshuffle_f8.zarr/0.0"}
	for _, s := range seedFiles {
		if b, err := os.ReadFile(filepath.Join(fixtureDir, filepath.FromSlash(s))); err == nil {
			for k := range codecs {
				f.Add(uint8(k), uint16(len(b)), b)
			}
		}
	}
	for k, c := range codecs {
		src := randomArray(allTypes[k%len(allTypes)], chunk.Rect(0, 0, 16, 16), uint64(k)).Data
		if enc, err := c.encode(nil, src); err == nil {
			f.Add(uint8(k), uint16(len(src)), enc)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, size uint16, data []byte) {
		c := codecs[int(which)%len(codecs)]
		// Every codec but blosc also gets a blosc container view, so
		// blosc's streams (blosclz included) see fuzzed input too.
		dst := make([]byte, size)
		_ = c.decode(dst, data)
		_ = bloscDecode(dst, data)
		if n, err := blosclzDecode(dst, data); err == nil && n > len(dst) {
			t.Fatalf("blosclz wrote %d bytes into %d", n, len(dst))
		}
	})
}
