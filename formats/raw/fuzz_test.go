package raw

import (
	"context"
	"math/bits"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// FuzzOpen builds an inline raw path "FILE:SPEC" from arbitrary spec text
// (DTYPE:ROWSxCOLS[:big|little] in the valid case) over a file of an
// arbitrary size, and opens it with [formats.Open].
//
// Nothing may panic. A spec that formats.SplitRawPath accepts must have a
// valid dtype and positive shape. An opened file's declared size
// rows*cols*size must equal the file's size exactly, computed without
// overflow (a shape whose byte count wraps around int64 must be refused,
// not matched against a small file). Every region of an opened file reads
// without error, and open errors name the file.
func FuzzOpen(f *testing.F) {
	for _, s := range []string{"int16:10x50", "uint8:1x1", "float32:4x4:big", "f8:2x3:little", "i2:10848x10848", "int16:-1x5",
		"int16:0x5", "int16:5", "nope:3x3", "int16:3x3:middle", "x:int8:2x2", "int16:4611686018427387904x4", "uint8:9223372036854775807x1",
		"float64:2305843009213693952x8", "int8:full", "int8:3x3x3"} {
		f.Add(s, uint16(100))
		f.Add(s, uint16(0))
		f.Add(s, uint16(32))
	}
	f.Fuzz(func(t *testing.T, spec string, size uint16) {
		dir := t.TempDir()
		file := filepath.Join(dir, "f.raw")
		if err := os.WriteFile(file, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
		path := file + ":" + spec
		p, rs, ok := formats.SplitRawPath(path)
		if !ok {
			return
		}
		if rs.DType.Size() <= 0 || rs.Shape.Rows <= 0 || rs.Shape.Cols <= 0 {
			t.Fatalf("SplitRawPath(%q) accepted %+v", path, rs)
		}
		if !strings.HasPrefix(p, file) {
			t.Fatalf("SplitRawPath(%q) path %q", path, p)
		}
		r, err := formats.Open(path, formats.OpenOptions{})
		if err != nil {
			if !strings.Contains(err.Error(), "f.raw") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		defer r.Close()
		info := r.Info()
		hi, lo := bits.Mul64(uint64(info.Shape.Rows), uint64(info.Shape.Cols))
		hi2, lo2 := bits.Mul64(lo, uint64(info.DType.Size()))
		if hi != 0 || hi2 != 0 || lo2 != uint64(size) {
			t.Fatalf("opened %v %v (%s) over a %d-byte file", info.Shape, info.DType, spec, size)
		}
		for _, rg := range []chunk.Region{info.Shape.Bounds(), chunk.Rect(info.Shape.Rows/2, info.Shape.Cols/3, info.Shape.Rows, info.Shape.Cols)} {
			a := chunk.NewArray(info.DType, rg)
			if err := r.ReadRegion(context.Background(), rg, a); err != nil {
				t.Fatalf("ReadRegion %v: %v", rg, err)
			}
		}
	})
}

// FuzzParseShape checks that formats.ParseShape never panics, accepts only
// positive shapes, and that an accepted shape prints as text that parses
// back to it.
func FuzzParseShape(f *testing.F) {
	for _, s := range []string{"10848x10848", "5", "0x5", "-1x3", "3x", "x3", "full", "1x1x1", " 7 X 9 ", "64MiB", "99999999999999999999x1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sh, err := formats.ParseShape(s)
		if err != nil {
			if !strings.Contains(err.Error(), "bad shape") {
				t.Fatalf("error %q", err)
			}
			return
		}
		if sh.Rows <= 0 || sh.Cols <= 0 {
			t.Fatalf("ParseShape(%q) = %v", s, sh)
		}
		back, err := formats.ParseShape(sh.String())
		if err != nil || back != sh {
			t.Fatalf("ParseShape(%q) = %v; String %q parses to %v, %v", s, sh, sh.String(), back, err)
		}
	})
}
