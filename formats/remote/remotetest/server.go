// Package remotetest serves files over HTTP range requests on the loopback
// interface, with injected latency and faults, for tests, benchmarks and
// the demo of package remote.
package remotetest

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Fault is what the server does to one request instead of answering it
// properly.
type Fault int

// The faults a [Server] can inject.
const (
	None        Fault = iota
	Drop              // close the connection without an answer
	Unavailable       // 503 Service Unavailable
	Truncate          // promise the whole range, send half of it, close
	WrongRange        // send the bytes one past the requested start, labelled as such
	IgnoreRange       // answer 200 with the whole file, as servers without range support do
	Hang              // answer nothing until the client gives up
	Forbidden         // 403 Forbidden
)

// Server serves the regular files of an fs.FS at /NAME, answering only
// range requests (206, as object stores do). It listens on 127.0.0.1.
type Server struct {
	*httptest.Server
	files fs.FS
	// Latency is slept before each answer (the request's round trip).
	Latency time.Duration
	fault   atomic.Pointer[func(n int64, r *http.Request) Fault]
	// Requests counts the requests received.
	Requests atomic.Int64
	// Bytes counts the body bytes sent.
	Bytes atomic.Int64
	// Version is part of every file's ETag: changing it stands for files
	// replaced on the server, which then fails requests whose If-Match
	// names the old ETag (412).
	Version atomic.Int64

	inFlight, maxInFlight atomic.Int64
}

// MaxInFlight returns the most requests that were being answered at once.
func (s *Server) MaxInFlight() int64 { return s.maxInFlight.Load() }

// NewServer starts a server for files; Close stops it.
func NewServer(files fs.FS, latency time.Duration) *Server {
	s := &Server{files: files, Latency: latency}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// SetFault installs pick, which chooses the fault for the n-th request
// (from 1); nil: none. It is safe to call while requests are served.
func (s *Server) SetFault(pick func(n int64, r *http.Request) Fault) {
	if pick == nil {
		s.fault.Store(nil)
		return
	}
	s.fault.Store(&pick)
}

// URLOf returns the URL of the file name.
func (s *Server) URLOf(name string) string { return s.Server.URL + "/" + name }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	n := s.Requests.Add(1)
	now := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxInFlight.Load()
		if now <= m || s.maxInFlight.CompareAndSwap(m, now) {
			break
		}
	}
	fault := None
	if pick := s.fault.Load(); pick != nil {
		fault = (*pick)(n, r)
	}
	if s.Latency > 0 {
		select {
		case <-time.After(s.Latency):
		case <-r.Context().Done():
			return
		}
	}
	switch fault {
	case Drop:
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	case Unavailable:
		http.Error(w, "slow down", http.StatusServiceUnavailable)
		return
	case Forbidden:
		http.Error(w, "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>", http.StatusForbidden)
		return
	case Hang:
		<-r.Context().Done()
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	data, err := fs.ReadFile(s.files, name)
	if err != nil {
		http.Error(w, "<Error><Code>NoSuchKey</Code></Error>", http.StatusNotFound)
		return
	}
	size := int64(len(data))
	etag := fmt.Sprintf("\"%d-%d\"", s.Version.Load(), size)
	if m := r.Header.Get("If-Match"); m != "" && m != etag {
		http.Error(w, "<Error><Code>PreconditionFailed</Code></Error>", http.StatusPreconditionFailed)
		return
	}
	w.Header().Set("ETag", etag)
	start, end, ok := parseRange(r.Header.Get("Range"), size)
	if !ok {
		w.Header().Set("Content-Range", fmt.Sprintf("bytes */%d", size))
		http.Error(w, "bad range", http.StatusRequestedRangeNotSatisfiable)
		return
	}
	if fault == IgnoreRange {
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		m, _ := w.Write(data)
		s.Bytes.Add(int64(m))
		return
	}
	if fault == WrongRange && end+1 < size {
		start, end = start+1, end+1
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, end, size))
	} else {
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, end, size))
	}
	body := data[start : end+1]
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusPartialContent)
	if fault == Truncate {
		body = body[:len(body)/2]
	}
	m, _ := w.Write(body)
	s.Bytes.Add(int64(m))
	if fault == Truncate {
		panic(http.ErrAbortHandler) // cut the connection: the body stays short
	}
}

// parseRange parses "bytes=A-B" or "bytes=A-" (one range) and clips B to
// the file.
func parseRange(h string, size int64) (int64, int64, bool) {
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return 0, 0, false
	}
	a, b, ok := strings.Cut(spec, "-")
	if !ok {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(a, 10, 64)
	if err != nil || start < 0 || start >= size {
		return 0, 0, false
	}
	end := size - 1
	if b != "" {
		e, err := strconv.ParseInt(b, 10, 64)
		if err != nil || e < start {
			return 0, 0, false
		}
		end = min(e, size-1)
	}
	return start, end, true
}
