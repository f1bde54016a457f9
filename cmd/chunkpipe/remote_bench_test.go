package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"chunkpipe/formats/index"
	"chunkpipe/formats/remote/remotetest"
)

// BenchmarkRemoteRun runs `run FILE -k calibrate,bt` on the largest real
// ABI file, in process, from the local file and over HTTP from a loopback
// server that sleeps 20 ms before each answer (a far object store's round
// trip), with 4 read workers (fetchers) and 4 kernel workers, in free and
// gil lock modes, and through an index of the file (chunkpipe index)
// whose references point to the server. Compare the sub-benchmarks' ns/op
// for the remote overhead; requests/file is the server's request count
// per run.
func BenchmarkRemoteRun(b *testing.B) {
	dir := realDir(&testing.T{})
	name := "abi/OR_ABI-L1b-RadC-M6C16_G16_s20200040316182_e20200040318566_c20200040319074.nc"
	if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
		b.Fatal(err)
	}
	s := remotetest.NewServer(os.DirFS(dir), 20*time.Millisecond)
	defer s.Close()
	out := filepath.Join(b.TempDir(), "bt.npy")
	refs, err := index.Build(context.Background(), filepath.Join(dir, name), s.URLOf(name))
	if err != nil {
		b.Fatal(err)
	}
	indexPath := filepath.Join(b.TempDir(), "c16.json")
	if err := refs.WriteFile(indexPath); err != nil {
		b.Fatal(err)
	}
	for _, lock := range []string{"free", "gil"} {
		for _, src := range []struct{ name, input string }{
			{"local", filepath.Join(dir, name)},
			{"http-20ms", s.URLOf(name)},
			{"index-http-20ms", indexPath},
		} {
			b.Run("lock="+lock+"/"+src.name, func(b *testing.B) {
				before := s.Requests.Load()
				for i := 0; i < b.N; i++ {
					if code := run([]string{"run", src.input, "--var", "Rad", "-k", "calibrate,bt", "-o", out, "--overwrite",
						"--workers", "4", "--read-workers", "4", "--lock", lock, "--progress", "none", "--stats", "none"}); code != 0 {
						b.Fatalf("run exit %d", code)
					}
				}
				b.ReportMetric(float64(s.Requests.Load()-before)/float64(b.N), "requests/file")
			})
		}
	}
}
