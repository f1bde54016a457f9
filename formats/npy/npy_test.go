package npy

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// writeNpy writes a .npy file by hand: header version major, dict text and
// data laid out as given.
func writeNpy(t *testing.T, major int, dict string, data []byte) string {
	t.Helper()
	pre := 10
	if major > 1 {
		pre = 12
	}
	total := pre + len(dict) + 1
	pad := (64 - total%64) % 64
	h := dict + strings.Repeat(" ", pad) + "\n"
	var b []byte
	b = append(b, Magic...)
	b = append(b, byte(major), 0)
	if major == 1 {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(h)))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(h)))
	}
	b = append(b, h...)
	b = append(b, data...)
	p := filepath.Join(t.TempDir(), "a.npy")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Every version, byte order and memory order reads the same values.
func TestReadVariants(t *testing.T) {
	const rows, cols = 5, 7
	val := func(r, c int) float64 { return float64(r*100 + c - 300) }
	for _, major := range []int{1, 2, 3} {
		for _, order := range []string{"<", ">"} {
			for _, fortran := range []bool{false, true} {
				for _, code := range []string{"i2", "f4", "f8", "i4", "u8"} {
					name := fmt.Sprintf("v%d%s%s-fortran=%v", major, order, code, fortran)
					t.Run(name, func(t *testing.T) {
						dt, _ := chunk.ParseDType(code)
						var bo binary.AppendByteOrder = binary.LittleEndian
						if order == ">" {
							bo = binary.BigEndian
						}
						var data []byte
						put := func(r, c int) {
							v := val(r, c)
							switch dt {
							case chunk.Int16:
								data = bo.AppendUint16(data, uint16(int16(v)))
							case chunk.Int32:
								data = bo.AppendUint32(data, uint32(int32(v)))
							case chunk.Uint64:
								data = bo.AppendUint64(data, uint64(int64(v)))
							case chunk.Float32:
								data = bo.AppendUint32(data, math.Float32bits(float32(v)))
							case chunk.Float64:
								data = bo.AppendUint64(data, math.Float64bits(v))
							}
						}
						if fortran {
							for c := 0; c < cols; c++ {
								for r := 0; r < rows; r++ {
									put(r, c)
								}
							}
						} else {
							for r := 0; r < rows; r++ {
								for c := 0; c < cols; c++ {
									put(r, c)
								}
							}
						}
						fo := "False"
						if fortran {
							fo = "True"
						}
						p := writeNpy(t, major, fmt.Sprintf("{'descr': '%s%s', 'fortran_order': %s, 'shape': (%d, %d), }", order, code, fo, rows, cols), data)
						rd, err := formats.Open(p, formats.OpenOptions{})
						if err != nil {
							t.Fatal(err)
						}
						defer rd.Close()
						reg := chunk.Rect(1, 2, 4, 7)
						dst := chunk.NewArray(dt, reg)
						if err := rd.ReadRegion(context.Background(), reg, dst); err != nil {
							t.Fatal(err)
						}
						for r := reg.Row0; r < reg.Row1; r++ {
							for c := reg.Col0; c < reg.Col1; c++ {
								if got, want := elem(dst, r, c), val(r, c); got != want && !(dt == chunk.Uint64 && got == float64(uint64(int64(want)))) {
									t.Fatalf("(%d,%d) = %v, want %v", r, c, got, want)
								}
							}
						}
					})
				}
			}
		}
	}
}

func elem(a *chunk.Array, r, c int) float64 {
	o := a.Offset(r, c)
	switch a.DType {
	case chunk.Int16:
		return float64(chunk.Elems[int16](a)[o])
	case chunk.Int32:
		return float64(chunk.Elems[int32](a)[o])
	case chunk.Uint64:
		return float64(chunk.Elems[uint64](a)[o])
	case chunk.Float32:
		return float64(chunk.Elems[float32](a)[o])
	case chunk.Float64:
		return chunk.Elems[float64](a)[o]
	}
	panic("type")
}

// Written files read back identically, whatever order the regions come in.
func TestRoundTrip(t *testing.T) {
	shape := chunk.Shape{Rows: 37, Cols: 53}
	for _, dt := range []chunk.DType{chunk.Int8, chunk.Uint8, chunk.Int16, chunk.Uint16, chunk.Int32, chunk.Float32, chunk.Float64} {
		p := filepath.Join(t.TempDir(), "out.npy")
		w, err := formats.Create(formats.CreateSpec{Path: p, Shape: shape, DType: dt})
		if err != nil {
			t.Fatal(err)
		}
		whole := chunk.NewArray(dt, shape.Bounds())
		for i := range whole.Data {
			whole.Data[i] = byte(i*7 + 3)
		}
		g, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 10, Cols: 16})
		for n := g.Len() - 1; n >= 0; n-- {
			if err := w.WriteRegion(context.Background(), whole.Sub(g.Region(g.Index(n)))); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := os.Stat(p); err == nil {
			t.Fatal("output visible before Commit")
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		r, err := formats.Open(p, formats.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := chunk.NewArray(dt, shape.Bounds())
		if err := r.ReadRegion(context.Background(), shape.Bounds(), got); err != nil {
			t.Fatal(err)
		}
		r.Close()
		if string(got.Data) != string(whole.Data) {
			t.Fatalf("%v: round trip differs", dt)
		}
		entries, _ := os.ReadDir(filepath.Dir(p))
		if len(entries) != 1 {
			t.Fatalf("%v: leftover files %v", dt, entries)
		}
	}
}

// Bad files give errors that name the file and the problem.
func TestBadFiles(t *testing.T) {
	good := Encode(chunk.Int16, 4, 4)
	dir := t.TempDir()
	cases := map[string][]byte{
		"truncated data":   append(append([]byte{}, good...), make([]byte, 10)...),
		"truncated header": good[:20],
		"bad magic":        append([]byte("XNUMPY"), good[6:]...),
		"empty":            {},
		"huge shape":       []byte(string(Encode(chunk.Int16, 1<<30, 1<<30))),
		"bad version":      append(append([]byte{}, good[:6]...), append([]byte{9, 0}, good[8:]...)...),
	}
	for name, b := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".npy")
		os.WriteFile(p, b, 0o644)
		_, err := Open(p, formats.OpenOptions{})
		if err == nil {
			t.Errorf("%s: opened without error", name)
			continue
		}
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %q does not name the file", name, err)
		}
	}
	for _, dict := range []string{"{'descr': '<i2', 'shape': (3, -4), }", "{'descr': '<c8', 'fortran_order': False, 'shape': (2, 2), }",
		"{'descr': [('a','<i2')], 'fortran_order': False, 'shape': (2,), }", "{'shape': (2, 2)}", "not a dict", "{'descr': '<i2', 'fortran_order': Maybe, 'shape': (2, 2), }"} {
		p := writeNpy(t, 1, dict, make([]byte, 64))
		if _, err := Open(p, formats.OpenOptions{}); err == nil {
			t.Errorf("header %q accepted", dict)
		}
	}
}

// FuzzHeader checks that no header makes the parser panic or accept a shape
// the file cannot hold.
func FuzzHeader(f *testing.F) {
	f.Add([]byte(Encode(chunk.Float32, 3, 4)))
	f.Add([]byte(Encode(chunk.Int16, 10848, 10848)))
	// A version-2 header declaring 5 MB: over the limit, not "past the file".
	f.Add([]byte(Magic + "\x02\x00\x40\x4b\x4c\x00{'descr': '<i2', 'fortran_order': False, 'shape': (2, 2), }"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ReadHeader(bytesReaderAt(b), int64(len(b)))
		if err != nil {
			return
		}
		n := int64(h.DType.Size())
		for _, d := range h.Shape {
			n *= int64(d)
		}
		if h.DataOffset+n > int64(len(b)) {
			t.Fatalf("accepted shape %v beyond the data", h.Shape)
		}
	})
}

type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, fmt.Errorf("EOF")
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, fmt.Errorf("EOF")
	}
	return n, nil
}

// TestOversizedHeaderMessage: a version-2 header that declares 5 MB (in a
// file that holds them) is refused as over the header limit, quoting
// numpy's, not as a header that "exceeds the file".
func TestOversizedHeaderMessage(t *testing.T) {
	const hlen = 5_000_000
	b := make([]byte, 12+hlen+64)
	copy(b, Magic)
	b[6], b[7] = 2, 0
	binary.LittleEndian.PutUint32(b[8:], hlen)
	p := filepath.Join(t.TempDir(), "bighdr.npy")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(p, formats.OpenOptions{})
	if err == nil {
		t.Fatal("5 MB header accepted")
	}
	for _, w := range []string{p, "header length 5000000", "over the limit", "numpy", "10000"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	if strings.Contains(err.Error(), "exceeds the file") {
		t.Errorf("error %q blames the file size, which holds the header", err)
	}
}

// TestOpenRefusesFIFO: a FIFO named as the input is refused at once; the
// open used to wait for a writer forever.
func TestOpenRefusesFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe.npy")
	if err := mkfifo(p); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Open(p, formats.OpenOptions{})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "FIFO") || !strings.Contains(err.Error(), p) {
			t.Fatalf("Open(FIFO) = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Open(FIFO) blocked")
	}
}
