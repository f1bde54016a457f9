package robust

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"chunkpipe/formats"
	"chunkpipe/formats/hdf5"
)

// absurdCount is the stored size the sparse cases declare for a chunk of a
// few hundred bytes, and sparseSize the length of their (sparse) files.
const (
	absurdCount = 3_000_000_000
	sparseSize  = 3_100_000_000
)

// hostile derives the cases that attack the reader rather than its
// parser: special files (a FIFO, a link to /dev/zero) as the input or
// inside a Zarr store, chunks whose stored size is absurd in sparse files
// long enough to hold it (a Zarr chunk file, a TIFF tile count, an HDF5
// chunk index entry, each of 3 GB for a chunk of hundreds of bytes), and
// a .npy header of 5 MB. Each must fail at once, with little memory; the
// CLI test runs all of them (Case.Hostile).
func (g *gen) hostile() error {
	good := filepath.Join(g.dir, "good")
	// Special files as the input.
	special := []struct{ name, ext, why string }{
		{"npy/input-fifo", ".npy", "the input is a FIFO no one writes"},
		{"npy/input-dev-zero", ".npy", "the input is a link to /dev/zero"},
	}
	for _, s := range special {
		p := filepath.Join(g.dir, "bad", strings.ReplaceAll(s.name, "/", "_")+s.ext)
		if err := makeSpecial(p, strings.HasSuffix(s.name, "fifo")); err != nil {
			continue // no FIFOs or /dev/zero on this platform
		}
		g.addHostile(Case{Name: s.name, Format: "npy", Path: p, File: p, Why: s.why})
	}
	// A .npy header of 5 MB that the file holds.
	npyB := append([]byte("\x93NUMPY\x02\x00"), binary.LittleEndian.AppendUint32(nil, 5_000_000)...)
	npyB = append(npyB, bytes.Repeat([]byte(" "), 5_000_000+64)...)
	if err := g.add("npy", "header-5mb", ".npy", npyB, MustFail, "a version-2 header of 5 MB", formats.OpenOptions{}); err != nil {
		return err
	}
	g.cases[len(g.cases)-1].Hostile = true

	// Zarr: special files and a sparse 3 GB chunk inside the store.
	store := filepath.Join(good, "good.zarr")
	arrs, _ := filepath.Glob(filepath.Join(store, "*", ".zarray"))
	if len(arrs) != 1 {
		return fmt.Errorf("robust: the zarr writer's layout changed: %v", arrs)
	}
	arr, _ := filepath.Rel(store, filepath.Dir(arrs[0]))
	zarrCases := []struct{ name, file, why string }{
		{"chunk-fifo", "1.1", "chunk 1.1 is a FIFO"},
		{"chunk-dev-zero", "1.1", "chunk 1.1 is a link to /dev/zero"},
		{"zarray-fifo", ".zarray", ".zarray is a FIFO"},
		{"chunk-sparse-3g", "1.1", "chunk 1.1 holds 3 GB (sparse) for 512 decoded bytes"},
	}
	for _, z := range zarrCases {
		dst := filepath.Join(g.dir, "bad", "zarr_"+z.name+".zarr")
		if err := os.CopyFS(dst, os.DirFS(store)); err != nil {
			return fmt.Errorf("robust: %w", err)
		}
		p := filepath.Join(dst, arr, z.file)
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("robust: %w", err)
		}
		if strings.HasSuffix(z.name, "sparse-3g") {
			if os.Truncate(p, absurdCount) != nil {
				continue
			}
		} else {
			os.Remove(p)
			if makeSpecial(p, strings.HasSuffix(z.name, "fifo")) != nil {
				continue
			}
		}
		g.addHostile(Case{Name: "zarr/" + z.name, Format: "zarr", Path: dst, File: dst, Size: 64 << 10, Why: z.why + fmt.Sprintf(" (was %d bytes)", st.Size())})
	}

	// GeoTIFF: TileByteCounts[0] of 3e9 in a sparse file of 3.1 GB.
	tif, err := os.ReadFile(filepath.Join(good, "good.tif"))
	if err != nil {
		return fmt.Errorf("robust: %w", err)
	}
	if c, ok := setFirstTileCount(tif, absurdCount); ok {
		if err := g.addSparse("geotiff", "tile-count-3e9-sparse", ".tif", c, "TileByteCounts[0] = 3e9 in a sparse 3.1 GB file"); err != nil {
			return err
		}
	}

	// HDF5: a chunk index entry of 3e9 bytes in a sparse 3.1 GB file.
	h5, err := os.ReadFile(filepath.Join(repoRoot(), "testdata", "hdf5", "v0_classic.h5"))
	if err != nil {
		return nil // fixture absent
	}
	if c, ok := setFirstChunkSize(h5, "/grp/sub/chunked_deflate", absurdCount); ok {
		if err := g.addSparse("hdf5", "chunk-size-3e9-sparse", ".h5", c, "the first chunk of /grp/sub/chunked_deflate declares 3e9 stored bytes in a sparse 3.1 GB file"); err != nil {
			return err
		}
		g.cases[len(g.cases)-1].Opts = formats.OpenOptions{Variable: "/grp/sub/chunked_deflate"}
	}
	return nil
}

// addHostile records a MustFail case whose file the caller made.
func (g *gen) addHostile(c Case) {
	g.names[c.Name] = true
	c.Expect, c.Hostile = MustFail, true
	g.cases = append(g.cases, c)
}

// addSparse writes b as a bad file and extends it, sparsely, to sparseSize
// bytes. Size stays len(b): reading must not cost more than the real data.
func (g *gen) addSparse(format, name, ext string, b []byte, why string) error {
	if err := g.add(format, name, ext, b, MustFail, why, formats.OpenOptions{}); err != nil {
		return err
	}
	c := &g.cases[len(g.cases)-1]
	c.Hostile = true
	if err := os.Truncate(c.File, sparseSize); err != nil {
		g.cases = g.cases[:len(g.cases)-1] // no sparse files here
		os.Remove(c.File)
	}
	return nil
}

// setFirstTileCount returns a copy of a little-endian classic TIFF whose
// first TileByteCounts entry (an array of LONGs) is v.
func setFirstTileCount(b []byte, v uint32) ([]byte, bool) {
	for _, e := range tiffIFD0(b) {
		if e.tag != 325 || e.typ != 4 || e.bigEndian {
			continue
		}
		c := bytes.Clone(b)
		p := e.off + 8
		if e.count > 1 {
			p = int(binary.LittleEndian.Uint32(b[e.off+8:]))
		}
		if p+4 > len(c) {
			return nil, false
		}
		binary.LittleEndian.PutUint32(c[p:], v)
		return c, true
	}
	return nil, false
}

// setFirstChunkSize returns a copy of an HDF5 file in which the v1 B-tree
// key of the first chunk (offsets all zero) of dataset path declares v
// stored bytes. The key is found by effect: each candidate (a size, a zero
// filter mask and zero offsets) is patched and kept when reading the
// dataset then reports v.
func setFirstChunkSize(b []byte, path string, v uint32) ([]byte, bool) {
	zeros := make([]byte, 4+24)
	want := fmt.Sprintf("stores %d bytes", v)
	for k := 0; k+4+len(zeros) <= len(b); k++ {
		n := binary.LittleEndian.Uint32(b[k:])
		if n == 0 || n > 1<<20 || !bytes.Equal(b[k+4:k+4+len(zeros)], zeros) {
			continue
		}
		c := bytes.Clone(b)
		binary.LittleEndian.PutUint32(c[k:], v)
		f, err := hdf5.OpenReaderAt(&padded{data: c, size: sparseSize}, sparseSize, "probe.h5")
		if err != nil {
			continue
		}
		ds, err := f.Dataset(path)
		if err != nil {
			continue
		}
		if _, err := ds.ReadAll(); err != nil && strings.Contains(err.Error(), want) {
			return c, true
		}
	}
	return nil, false
}

// padded reads as data followed by zeros up to size bytes, as a sparse
// file does.
type padded struct {
	data []byte
	size int64
}

func (p *padded) ReadAt(b []byte, off int64) (int, error) {
	if off >= p.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(b)), p.size-off))
	clear(b[:n])
	if off < int64(len(p.data)) {
		copy(b[:n], p.data[off:])
	}
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}
