package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"chunkpipe/formats"
	"chunkpipe/formats/remote"
)

// globURL expands a pattern over an S3 prefix (s3://bucket/prefix/*C07*.nc)
// into the matching objects' URLs, sorted; matching nothing is an error.
func globURL(pattern string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	m, err := remote.Glob(ctx, pattern)
	if err != nil {
		return nil, usage(err)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("no object matches %q", pattern)
	}
	return m, nil
}

// reportRemote prints a remote input's traffic under a text run summary:
// requests (and retries), bytes, and the summed time of the fetches, to set
// beside the read and compute times above it.
func reportRemote(w io.Writer, stats string, r formats.Reader) {
	s, ok := remote.StatsOf(r)
	if !ok || stats != "text" {
		return
	}
	fmt.Fprintf(w, "remote: %d requests (%d retries), %.1f MiB, fetch %.3f s summed over concurrent requests, %d cache hits\n",
		s.Requests, s.Retries, float64(s.Bytes)/(1<<20), s.FetchTime.Seconds(), s.CacheHits)
}

// remoteSuffix is a batch summary line's note of a remote input's traffic
// (", 3 requests, 2.1 MiB fetched"), or "" for a local input.
func remoteSuffix(r formats.Reader) string {
	s, ok := remote.StatsOf(r)
	if !ok {
		return ""
	}
	return fmt.Sprintf(", %d requests, %.1f MiB fetched", s.Requests, float64(s.Bytes)/(1<<20))
}
