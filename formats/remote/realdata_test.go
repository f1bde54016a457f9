package remote_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	_ "chunkpipe/formats/all"
	"chunkpipe/formats/remote"
	"chunkpipe/formats/remote/fakes3"
	"chunkpipe/formats/remote/remotetest"
	"chunkpipe/internal/realdata"
)

// maxVarBytes skips variables larger than this when comparing every
// variable of a file (the default variable is always compared).
const maxVarBytes = 64 << 20

// realFiles lists the real test files, relative to dir.
func realFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) == ".md" {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 20 {
		t.Fatalf("only %d real files under %s", len(out), dir)
	}
	return out
}

// readAll reads the whole variable.
func readAll(r formats.Reader) ([]byte, error) {
	info := r.Info()
	a := chunk.NewArray(info.DType, info.Shape.Bounds())
	if err := r.ReadRegion(context.Background(), info.Shape.Bounds(), a); err != nil {
		return nil, err
	}
	return a.Data[:a.Bytes()], nil
}

// compareFile opens name locally and at url, and compares the default
// variable and every other listed 2-D variable, bit for bit.
func compareFile(t *testing.T, local, url string) (compared int) {
	t.Helper()
	lr, lerr := formats.Open(local, formats.OpenOptions{})
	rr, rerr := formats.Open(url, formats.OpenOptions{})
	if lerr != nil {
		if rerr == nil {
			rr.Close()
			t.Fatalf("%s does not open locally (%v) but opens at %s", local, lerr, url)
		}
		t.Logf("%s: unreadable locally and remotely: %v", filepath.Base(local), rerr)
		return 0
	}
	defer lr.Close()
	if rerr != nil {
		t.Fatalf("%s opens locally but not at %s: %v", local, url, rerr)
	}
	defer rr.Close()
	vars := []string{""}
	if vl, ok := lr.(formats.VariableLister); ok {
		vars = append(vars, vl.Variables()...)
	}
	for _, v := range vars {
		l, r := lr, rr
		if v != "" {
			var err error
			if l, err = formats.Open(local, formats.OpenOptions{Variable: v}); err != nil {
				continue // listed but not readable (e.g. an unsupported type): nothing to compare
			}
			defer l.Close()
			if r, err = formats.Open(url, formats.OpenOptions{Variable: v}); err != nil {
				t.Fatalf("%s: variable %s opens locally but not remotely: %v", url, v, err)
			}
			defer r.Close()
			if int64(l.Info().Shape.Len())*int64(l.Info().DType.Size()) > maxVarBytes {
				continue
			}
		}
		li, ri := l.Info(), r.Info()
		if li.Shape != ri.Shape || li.DType != ri.DType || li.Variable != ri.Variable || li.Format != ri.Format ||
			fmt.Sprint(li.Attrs) != fmt.Sprint(ri.Attrs) || fmt.Sprint(li.Global) != fmt.Sprint(ri.Global) {
			t.Fatalf("%s %q: info differs:\nlocal  %s %v %v %s\nremote %s %v %v %s", url, v, li.Format, li.Shape, li.DType, li.Variable, ri.Format, ri.Shape, ri.DType, ri.Variable)
		}
		want, err := readAll(l)
		if err != nil {
			continue // unreadable locally too (e.g. a compression not supported): nothing to compare
		}
		got, err := readAll(r)
		if err != nil {
			t.Fatalf("%s %q: local read works, remote read fails: %v", url, v, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s %q: remote bytes differ from local ones", url, v)
		}
		compared++
	}
	return compared
}

func TestRealFilesOverHTTPMatchLocal(t *testing.T) {
	dir := realdata.Require(t)
	s := remotetest.NewServer(os.DirFS(dir), 0)
	defer s.Close()
	total := 0
	for _, name := range realFiles(t, dir) {
		t.Run(name, func(t *testing.T) {
			total += compareFile(t, filepath.Join(dir, name), s.URLOf(name))
		})
	}
	t.Logf("%d variables compared over HTTP, %d requests, %d bytes", total, s.Requests.Load(), s.Bytes.Load())
	if total < 20 {
		t.Errorf("only %d variables compared", total)
	}
}

func TestRealFilesOverS3MatchLocal(t *testing.T) {
	dir := realdata.Require(t)
	s3 := fakes3.New()
	defer s3.Close()
	t.Setenv("CHUNKPIPE_S3_ENDPOINT", s3.URL)
	// Signed requests (the fake server accepts any key).
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	files := realFiles(t, dir)
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := s3.Put("real", "testdata/"+name, data); err != nil {
			t.Fatal(err)
		}
	}
	total := 0
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			total += compareFile(t, filepath.Join(dir, name), "s3://real/testdata/"+name)
		})
	}
	if total < 20 {
		t.Errorf("only %d variables compared", total)
	}
	t.Run("glob", func(t *testing.T) {
		got, err := remote.Glob(context.Background(), "s3://real/testdata/abi/*M6C07*.nc")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || filepath.Base(got[0]) != filepath.Base(mustGlob(t, filepath.Join(dir, "abi", "*M6C07*.nc"))) {
			t.Fatalf("glob found %v", got)
		}
		all, err := remote.Glob(context.Background(), "s3://real/testdata/abi/OR_ABI-L1b-*.nc")
		if err != nil || len(all) != 19 {
			t.Fatalf("glob over the ABI L1b files: %d found, %v", len(all), err)
		}
	})
	t.Run("missing object names the URL", func(t *testing.T) {
		_, err := formats.Open("s3://real/testdata/nothing.nc", formats.OpenOptions{})
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte("s3://real/testdata/nothing.nc")) {
			t.Fatalf("error %v does not name the URL", err)
		}
	})
}

func mustGlob(t *testing.T, pattern string) string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil || len(m) != 1 {
		t.Fatalf("%s: %v %v", pattern, m, err)
	}
	return m[0]
}
