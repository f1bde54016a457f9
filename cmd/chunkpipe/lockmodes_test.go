package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/internal/realdata"
)

// The command gives the same output bytes in every lock mode: the demo's
// chain on a mapped .npy (read in place, so chunks are strided views),
// kernel arguments and --param overrides, and a real ABI file's attributes
// and --mask-dqf, with chunk shapes that do not divide the array.
func TestLockModesSameBytes(t *testing.T) {
	dir := t.TempDir()
	in := synthFile(t, dir, "700x900")
	cases := [][]string{
		{in, "-k", "calibrate,median:5", "--chunks", "250"},
		{in, "-k", "calibrate,blur:5:nearest,coarsen:2", "--chunks", "96x130", "-p", "scale_factor=0.031", "-p", "add_offset=-2"},
		{in, "-k", "calibrate,median:3:constant:4.5", "--chunks", "64"},
	}
	real, err := realdata.Dir()
	switch {
	case err == nil:
		m, _ := filepath.Glob(filepath.Join(real, "abi", "OR_ABI-L1b-RadM1-M6C07_G17_s2019300*.nc"))
		if len(m) == 0 {
			t.Fatal("the real ABI C07 file is missing")
		}
		cases = append(cases, []string{m[0], "-k", "calibrate,bt,blur:3", "--mask-dqf", "0", "--chunks", "100x77"})
	case os.Getenv("CI") == "true":
		t.Fatal(err)
	default:
		t.Logf("real-file case skipped: %v", err)
	}
	for i, c := range cases {
		var first []byte
		for _, lock := range []string{"free", "gil", "processes"} {
			out := filepath.Join(dir, lock+".npy")
			args := append([]string{"run"}, c...)
			args = append(args, "-o", out, "--lock", lock, "--workers", "2", "--overwrite", "--progress", "none", "--stats", "none")
			if code, _, e := chunkpipe(t, args...); code != 0 {
				t.Fatalf("case %d %s: exit %d: %s", i, lock, code, e)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = b
			} else if !bytes.Equal(b, first) {
				t.Errorf("case %d (%v): %s output differs from free", i, c[1:], lock)
			}
		}
	}
}

// The demo's checksum does not depend on the order regions arrive in, and
// changes when a region's bytes or its position change.
func TestChecksumSink(t *testing.T) {
	a := chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 4, 6))
	for i, v := range a.Float32s() {
		a.Float32s()[i] = v + float32(i)
	}
	top, bottom := a.Sub(chunk.Rect(0, 0, 2, 6)), a.Sub(chunk.Rect(2, 0, 4, 6))
	sum := func(parts ...*chunk.Array) uint64 {
		s := newChecksumSink()
		for _, p := range parts {
			s.WriteRegion(context.Background(), p)
		}
		return s.Sum()
	}
	if sum(top, bottom) != sum(bottom, top) {
		t.Error("checksum depends on the order of regions")
	}
	moved := *bottom
	moved.Rect = chunk.Rect(4, 0, 6, 6)
	if sum(top, &moved) == sum(top, bottom) {
		t.Error("checksum ignores where a region lies")
	}
	changed := chunk.NewArray(chunk.Float32, bottom.Rect)
	changed.CopyFrom(bottom)
	changed.Float32s()[3] = -1
	if sum(top, changed) == sum(top, bottom) {
		t.Error("checksum ignores a changed element")
	}
}
