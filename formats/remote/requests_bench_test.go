package remote_test

import (
	"context"
	"os"
	"testing"

	"chunkpipe/formats"
	"chunkpipe/formats/remote"
	"chunkpipe/formats/remote/remotetest"
	"chunkpipe/internal/realdata"
)

// BenchmarkRequestsPerFile opens real ABI files over HTTP and reads their
// radiances whole, with no cache (every read its own request), with 64 KiB
// blocks and no read-ahead, and with the defaults (64 KiB blocks, 4 MiB
// spans), and reports the requests to open the file and to read it all.
func BenchmarkRequestsPerFile(b *testing.B) {
	dir, err := realdata.Dir()
	if err != nil {
		b.Skip(err)
	}
	s := remotetest.NewServer(os.DirFS(dir), 0)
	defer s.Close()
	configs := []struct {
		name string
		opts remote.Options
	}{
		{"no-cache", remote.Options{BlockSize: 4 << 10, SpanBytes: 4 << 10, DirectBytes: 1}},
		{"blocks-64KiB", remote.Options{SpanBytes: 64 << 10}},
		{"default", remote.Options{}},
	}
	for _, file := range []struct{ name, path string }{
		{"RadM1-C07", "abi/OR_ABI-L1b-RadM1-M6C07_G17_s20193002000275_e20193002000344_c20193002000390.nc"},
		{"RadC-C16", "abi/OR_ABI-L1b-RadC-M6C16_G16_s20200040316182_e20200040318566_c20200040319074.nc"},
	} {
		for _, c := range configs {
			b.Run(file.name+"/"+c.name, func(b *testing.B) {
				var open, total int64
				for i := 0; i < b.N; i++ {
					r, err := remote.OpenReader(context.Background(), s.URLOf(file.path), formats.OpenOptions{}, c.opts)
					if err != nil {
						b.Fatal(err)
					}
					st, _ := remote.StatsOf(r)
					open += st.Requests
					if _, err := readAll(r); err != nil {
						b.Fatal(err)
					}
					st, _ = remote.StatsOf(r)
					total += st.Requests
					r.Close()
				}
				b.ReportMetric(float64(open)/float64(b.N), "requests/open")
				b.ReportMetric(float64(total)/float64(b.N), "requests/file")
			})
		}
	}
}
