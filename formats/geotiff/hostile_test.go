package geotiff_test

import (
	"context"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
)

// paddedFile is a file of size bytes whose first bytes are data and the
// rest zeros, as a sparse file reads; it records the largest read.
type paddedFile struct {
	data    []byte
	size    int64
	maxRead int
}

func (p *paddedFile) ReadAt(b []byte, off int64) (int, error) {
	p.maxRead = max(p.maxRead, len(b))
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

// setFirstByteCount sets the first TileByteCounts (or StripByteCounts)
// entry of IFD 0 of a little-endian classic TIFF to v.
func setFirstByteCount(t testing.TB, b []byte, v uint32) {
	t.Helper()
	le := binary.LittleEndian
	if string(b[:4]) != "II*\x00" {
		t.Fatalf("not a little-endian classic TIFF: % x", b[:4])
	}
	off := int(le.Uint32(b[4:]))
	n := int(le.Uint16(b[off:]))
	for i := 0; i < n; i++ {
		e := b[off+2+12*i:]
		tag, typ, cnt := le.Uint16(e), le.Uint16(e[2:]), le.Uint32(e[4:])
		if tag != 325 && tag != 279 {
			continue
		}
		if typ != 4 {
			t.Fatalf("byte counts of type %d, want LONG", typ)
		}
		p := int(le.Uint32(e[8:]))
		if cnt == 1 {
			p = off + 2 + 12*i + 8
		}
		le.PutUint32(b[p:], v)
		return
	}
	t.Fatal("no TileByteCounts or StripByteCounts in IFD 0")
}

// writeTIFF writes a 64x64 int16 GeoTIFF with 16x16 tiles and returns
// its bytes.
func writeTIFF(t testing.TB, opts map[string]string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "g.tif")
	w, err := formats.Create(formats.CreateSpec{Path: path, Shape: chunk.Shape{Rows: 64, Cols: 64}, DType: chunk.Int16, Chunk: chunk.Shape{Rows: 16, Cols: 16}, Options: opts, Factor: 1})
	if err != nil {
		t.Fatal(err)
	}
	a := chunk.NewArray(chunk.Int16, chunk.Rect(0, 0, 64, 64))
	for i := range a.Data {
		a.Data[i] = byte(i * 7)
	}
	if err := w.WriteRegion(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAbsurdByteCountRefused: a 512-byte tile whose TileByteCounts says
// 3e9, in a file long enough to hold that (sparse), is refused before it
// is allocated or read, with an error naming the file, band and block.
// Before, the 3 GB were read and the valid prefix decoded: exit 0.
func TestAbsurdByteCountRefused(t *testing.T) {
	for _, comp := range []string{"deflate", "none"} {
		t.Run(comp, func(t *testing.T) {
			b := writeTIFF(t, map[string]string{"compress": comp})
			setFirstByteCount(t, b, 3_000_000_000)
			f := &paddedFile{data: b, size: 3_100_000_000}
			r, err := geotiff.NewReader(f, f.size, "absurd.tif", "")
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			a := chunk.NewArray(chunk.Int16, chunk.Rect(0, 0, 16, 16))
			err = r.ReadRegion(context.Background(), a.Rect, a)
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatal("tile with a 3e9 byte count read without error")
			}
			for _, w := range []string{"absurd.tif", "band 1 block 0", "stores 3000000000 bytes"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if f.maxRead > 1<<20 {
				t.Errorf("read %d bytes at once", f.maxRead)
			}
			if d := after.TotalAlloc - before.TotalAlloc; d > 64<<20 {
				t.Errorf("allocated %d bytes", d)
			}
		})
	}
}

// TestInputMustBeRegular: a FIFO or a device given as the input is refused
// at once (the open used to wait for a writer forever).
func TestInputMustBeRegular(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	p := filepath.Join(t.TempDir(), "zero.tif")
	if err := os.Symlink("/dev/zero", p); err != nil {
		t.Fatal(err)
	}
	_, err := geotiff.OpenFile(p, "")
	if err == nil || !strings.Contains(err.Error(), "not a regular file") || !strings.Contains(err.Error(), p) {
		t.Fatalf("OpenFile(/dev/zero link) = %v", err)
	}
}
