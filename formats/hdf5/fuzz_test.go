package hdf5

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzSeedLimit caps the size of seed inputs taken from real files.
const fuzzSeedLimit = 128 << 10

func addFileSeed(f *testing.F, path string) {
	fh, err := os.Open(path)
	if err != nil {
		return
	}
	defer fh.Close()
	b, _ := io.ReadAll(io.LimitReader(fh, fuzzSeedLimit))
	f.Add(b)
}

// FuzzOpen opens arbitrary bytes as an HDF5 file and reads every dataset's
// attributes and a small region. It must never panic, hang or allocate
// without bound.
func FuzzOpen(f *testing.F) {
	for _, name := range []string{"v0_classic.h5", "v2_v108.h5", "v3_latest.h5"} {
		addFileSeed(f, fixturePath(name))
	}
	dir := os.Getenv("CHUNKPIPE_REAL_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "testdata", "real")
	}
	addFileSeed(f, filepath.Join(dir, "hdf5", "SAFNWC_MSG3_CT___201304290415_BEL_________.h5"))
	addFileSeed(f, filepath.Join(dir, "abi", "OR_ABI-L1b-RadM1-M6C04_G17_s20193002000275_e20193002000332_c20193002000383.nc"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := OpenReaderAt(bytes.NewReader(data), int64(len(data)), "fuzz.h5")
		if err != nil {
			return
		}
		defer file.Close()
		_ = file.Attrs()
		_ = file.IsNetCDF4()
		for _, ds := range file.Datasets() {
			_ = ds.Attrs()
			_ = ds.Dims()
			_ = ds.DType().String()
			_, _ = ds.FillValue()
			if ds.ElemSize() > 1<<16 {
				continue
			}
			shape := ds.Shape()
			start := make([]int, len(shape))
			count := make([]int, len(shape))
			n := 1
			for i, s := range shape {
				c := min(s, 2)
				if n*c > 64 {
					c = min(s, 1)
				}
				start[i] = s - c
				count[i] = c
				n *= c
			}
			buf := make([]byte, n*ds.ElemSize())
			_ = ds.ReadHyperslab(start, count, buf)
		}
	})
}

// exercise opens data and reads every dataset a little, as FuzzOpen does,
// returning the Open error.
func exercise(data []byte) error {
	file, err := OpenReaderAt(bytes.NewReader(data), int64(len(data)), "corrupt.h5")
	if err != nil {
		return err
	}
	for _, ds := range file.Datasets() {
		_ = ds.Attrs()
		if ds.ElemSize() > 1<<16 {
			continue
		}
		shape := ds.Shape()
		start := make([]int, len(shape))
		count := make([]int, len(shape))
		n := 1
		for i, s := range shape {
			c := min(s, 2)
			if n*c > 64 {
				c = min(s, 1)
			}
			count[i] = c
			n *= c
		}
		if err := ds.ReadHyperslab(start, count, make([]byte, n*ds.ElemSize())); err != nil && !strings.HasPrefix(err.Error(), "hdf5: ") {
			return fmt.Errorf("read error without prefix: %v", err)
		}
	}
	return nil
}

// TestCorruptInputs truncates and bit-flips the fixtures: every outcome must
// be data or an "hdf5: "-prefixed error, never a panic or hang.
func TestCorruptInputs(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for _, name := range []string{"v0_classic.h5", "v2_v108.h5", "v3_latest.h5"} {
		data, err := os.ReadFile(fixturePath(name))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 150; i++ {
			n := rng.Intn(len(data))
			if err := exercise(data[:n]); err == nil && n < 64 {
				t.Errorf("%s truncated to %d bytes opened without error", name, n)
			} else if err != nil && !strings.HasPrefix(err.Error(), "hdf5: ") {
				t.Errorf("%s truncated to %d: %v", name, n, err)
			}
		}
		for i := 0; i < 400; i++ {
			bad := append([]byte(nil), data...)
			for k := 0; k < 1+rng.Intn(3); k++ {
				bad[rng.Intn(len(bad))] ^= byte(1 << rng.Intn(8))
			}
			if err := exercise(bad); err != nil && !strings.HasPrefix(err.Error(), "hdf5: ") {
				t.Errorf("%s flipped: %v", name, err)
			}
		}
	}
}
