package main

import (
	"fmt"
	"io"

	"chunkpipe/formats"
	"chunkpipe/formats/remote"
	"chunkpipe/pipeline"
)

// reportRemote prints a remote input's traffic under a text run summary:
// requests (and retries), bytes, and the summed time of the fetches, to set
// beside the read and compute times above it.
func reportRemote(w io.Writer, stats string, src pipeline.Source) {
	r, ok := src.(formats.Reader)
	if !ok {
		return
	}
	s, ok := remote.StatsOf(r)
	if !ok || stats != "text" {
		return
	}
	fmt.Fprintf(w, "remote: %d requests (%d retries), %.1f MiB, fetch %.3f s summed over concurrent requests, %d cache hits\n",
		s.Requests, s.Retries, float64(s.Bytes)/(1<<20), s.FetchTime.Seconds(), s.CacheHits)
}

// remoteSuffix is a batch summary line's note of a remote input's traffic
// (", 3 requests, 2.1 MiB fetched"), or "" for a local input.
func remoteSuffix(src pipeline.Source) string {
	r, ok := src.(formats.Reader)
	if !ok {
		return ""
	}
	s, ok := remote.StatsOf(r)
	if !ok {
		return ""
	}
	return fmt.Sprintf(", %d requests, %.1f MiB fetched", s.Requests, float64(s.Bytes)/(1<<20))
}
