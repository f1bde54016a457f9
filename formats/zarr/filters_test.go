package zarr

import (
	"bytes"
	"compress/zlib"
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// TestShuffleFilter reads a store whose one chunk was byte-shuffled and
// then zlib-compressed, as HDF5 stores a shuffled deflated chunk and a
// kerchunk index describes it.
func TestShuffleFilter(t *testing.T) {
	src := randomArray(chunk.Int32, chunk.Rect(0, 0, 6, 5), 9)
	raw := arrayBytes(src)
	shuffled := make([]byte, len(raw))
	shuffleBytes(shuffled, raw, 4)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(shuffled)
	zw.Close()
	dir := filepath.Join(t.TempDir(), "s.zarr")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	zarray := `{"zarr_format": 2, "shape": [6, 5], "chunks": [6, 5], "dtype": "<i4", "compressor": {"id": "zlib", "level": 4},
		"fill_value": 0, "order": "C", "filters": [{"id": "shuffle", "elementsize": 4}]}`
	os.WriteFile(filepath.Join(dir, ".zarray"), []byte(zarray), 0o644)
	os.WriteFile(filepath.Join(dir, "0.0"), z.Bytes(), 0o644)
	r, err := Open(dir, formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := arrayBytes(readAll(t, r)); !bytes.Equal(got, raw) {
		t.Errorf("shuffled chunk read wrong: %s", diff(got, raw, 4, 5))
	}
	if r.meta.Codec.String() != "shuffle(elementsize=4) + zlib(level=4)" {
		t.Errorf("codec %s", r.meta.Codec)
	}
	os.WriteFile(filepath.Join(dir, ".zarray"), bytes.Replace([]byte(zarray), []byte(`"elementsize": 4`), []byte(`"elementsize": 2`), 1), 0o644)
	if _, err := Open(dir, formats.OpenOptions{}); err == nil {
		t.Error("shuffle with the wrong element size opened")
	}
}
