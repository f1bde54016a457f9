package formats

import (
	"fmt"
	"io"
	"strings"
	"sync"
)

var (
	remoteMu   sync.RWMutex
	remoteOpen func(url string, opts OpenOptions) (Reader, error)
)

// RegisterRemote installs the function that opens URL inputs (http://,
// https://, s3://) for [Open]; package chunkpipe/formats/remote calls it
// from its init function.
func RegisterRemote(open func(url string, opts OpenOptions) (Reader, error)) {
	remoteMu.Lock()
	defer remoteMu.Unlock()
	remoteOpen = open
}

// IsURL reports whether path names a remote input (http://, https:// or
// s3://) rather than a local file.
func IsURL(path string) bool {
	l := strings.ToLower(path)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "s3://")
}

func openURL(url string, opts OpenOptions) (Reader, error) {
	if f, ok := byExt(urlPath(url)); ok && f.OpenURL != nil {
		return f.OpenURL(url, opts)
	}
	remoteMu.RLock()
	open := remoteOpen
	remoteMu.RUnlock()
	if open == nil {
		return nil, fmt.Errorf("formats: %s: remote inputs need package chunkpipe/formats/remote", url)
	}
	return open(url, opts)
}

// Detect identifies the format of a file that is not on the local file
// system from its name (for the extension) and its first bytes (up to
// 1024), as [Sniff] does for local files: magic bytes first, then the
// extension. Only formats that can read through an io.ReaderAt (OpenAt)
// qualify.
func Detect(name string, head []byte) (Format, error) {
	if len(head) > 1024 {
		head = head[:1024]
	}
	for _, f := range Formats() {
		if f.OpenAt == nil {
			continue
		}
		for _, m := range f.Magic {
			if match(m, head) {
				return f, nil
			}
		}
	}
	if f, ok := byExt(name); ok && f.OpenAt != nil && !f.Dir {
		return f, nil
	}
	var names []string
	for _, f := range Formats() {
		if f.OpenAt != nil {
			names = append(names, f.Name)
		}
	}
	return Format{}, fmt.Errorf("%w: %s (readable from a URL: %s)", ErrFormat, name, strings.Join(names, ", "))
}

// NopCloser returns r as an io.ReaderAt whose Close does nothing, for
// readers that close their file but were handed one they do not own.
func NopCloser(r io.ReaderAt) interface {
	io.ReaderAt
	io.Closer
} {
	return nopCloser{r}
}

type nopCloser struct{ io.ReaderAt }

func (nopCloser) Close() error { return nil }

// urlPath is the path part of a URL (the key of an s3:// URL), without
// query or fragment.
func urlPath(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.Index(u, "/"); i >= 0 {
		u = u[i:]
	} else {
		return ""
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}
