package zarr

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"chunkpipe/formats"
	"chunkpipe/formats/remote"
	"chunkpipe/internal/regularfile"
)

// maxRefsBytes bounds the size of a reference document read into memory.
const maxRefsBytes = 256 << 20

// ref is one entry of a reference document: inline bytes, or a byte
// range of a file (the whole file when n < 0).
type ref struct {
	inline []byte
	url    string
	off, n int64
}

// refStore is a Zarr store described by a kerchunk reference document
// (version 1: {"version": 1, "refs": {KEY: VALUE}}, or version 0, the refs
// object alone). A VALUE is the key's content as a string ("base64:..."
// for binary content), [URL] for a whole file or [URL, OFFSET, LENGTH] for
// a byte range of one. URLs are http(s):// or s3:// URLs, fetched by
// range requests, or local paths (file:// or plain). A key the document
// lacks is missing: a chunk reads as the fill value.
type refStore struct {
	name string // the document's path, for messages
	ctx  context.Context
	refs map[string]ref
	opts remote.Options
	// spans joins the fetches of neighbouring remote chunks.
	spans *spans
}

// OpenRefs opens the array opts.Variable names in the store that the
// kerchunk reference document at path (a local file or a URL) describes,
// as [Open] opens a store. The document replaces the metadata reads of
// the file it indexes: opening reads only the document, and each chunk is
// one range request (or read) of the bytes the document names.
func OpenRefs(path string, opts formats.OpenOptions) (*Reader, error) {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	var data []byte
	var err error
	if formats.IsURL(path) {
		data, err = remote.Get(ctx, path, maxRefsBytes, remote.Options{})
	} else {
		data, err = regularfile.ReadAll(ctx, path, maxRefsBytes)
	}
	if err != nil {
		return nil, fmt.Errorf("zarr: %s: %w", path, err)
	}
	s, err := parseRefs(data)
	if err != nil {
		return nil, fmt.Errorf("zarr: %s: %w", path, err)
	}
	s.name, s.ctx = path, ctx
	return openStore(s, opts)
}

// parseRefs parses a reference document.
func parseRefs(data []byte) (*refStore, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("bad reference JSON: %v", err)
	}
	raw := doc
	if v, ok := doc["version"]; ok {
		if string(v) != "1" {
			return nil, fmt.Errorf("reference document version %s (want 1)", v)
		}
		for _, k := range []string{"templates", "gen"} {
			if _, ok := doc[k]; ok {
				return nil, fmt.Errorf("reference document with %q: not supported", k)
			}
		}
		raw = nil // a fresh map: Unmarshal would merge into doc
		if err := json.Unmarshal(doc["refs"], &raw); err != nil || raw == nil {
			return nil, fmt.Errorf("reference document without a refs object")
		}
	}
	s := &refStore{refs: make(map[string]ref, len(raw))}
	for k, v := range raw {
		r, err := parseRef(v)
		if err != nil {
			return nil, fmt.Errorf("reference %q: %v", k, err)
		}
		s.refs[k] = r
	}
	s.spans = newSpans(s.refs)
	return s, nil
}

func parseRef(v json.RawMessage) (ref, error) {
	var str string
	if json.Unmarshal(v, &str) == nil {
		if b64, ok := strings.CutPrefix(str, "base64:"); ok {
			b, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				return ref{}, fmt.Errorf("bad base64: %v", err)
			}
			return ref{inline: b}, nil
		}
		return ref{inline: []byte(str)}, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(v, &list); err != nil || (len(list) != 1 && len(list) != 3) {
		return ref{}, fmt.Errorf("want a string, [URL] or [URL, OFFSET, LENGTH], not %.80s", v)
	}
	r := ref{n: -1}
	if err := json.Unmarshal(list[0], &r.url); err != nil || r.url == "" {
		return ref{}, fmt.Errorf("bad URL %.80s", list[0])
	}
	if len(list) == 3 {
		if json.Unmarshal(list[1], &r.off) != nil || json.Unmarshal(list[2], &r.n) != nil || r.off < 0 || r.n < 0 {
			return ref{}, fmt.Errorf("bad offset or length in %.80s", v)
		}
	}
	return r, nil
}

func (s *refStore) String() string { return s.name }

func (s *refStore) get(ctx context.Context, key string, max int64) ([]byte, error) {
	r, ok := s.refs[key]
	if !ok {
		return nil, fmt.Errorf("%s: no reference: %w", key, fs.ErrNotExist)
	}
	if r.url == "" {
		if int64(len(r.inline)) > max {
			return nil, &regularfile.TooLargeError{Size: int64(len(r.inline)), Max: max}
		}
		return r.inline, nil
	}
	if r.n > max {
		return nil, &regularfile.TooLargeError{Size: r.n, Max: max}
	}
	var b []byte
	var err error
	switch {
	case formats.IsURL(r.url) && r.n < 0:
		b, err = remote.Get(ctx, r.url, max, s.opts)
		var tl *remote.TooLargeError
		if errors.As(err, &tl) {
			return nil, &regularfile.TooLargeError{Size: tl.Size, Max: max}
		}
	case formats.IsURL(r.url):
		b, err = s.getSpan(ctx, key)
	case r.n < 0:
		b, err = regularfile.ReadAll(ctx, strings.TrimPrefix(r.url, "file://"), max)
	default:
		b, err = readLocalRange(strings.TrimPrefix(r.url, "file://"), r.off, r.n)
	}
	if errors.Is(err, fs.ErrNotExist) {
		// The store has the key; the file it points into is gone.
		return nil, fmt.Errorf("%s: %v", r.url, err)
	}
	return b, err
}

// readLocalRange reads n bytes at off of a local file; a file too short
// for them is an error.
func readLocalRange(path string, off, n int64) ([]byte, error) {
	f, _, err := regularfile.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n)
	if _, err := f.ReadAt(b, off); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: %d bytes at %d: file too short", path, n, off)
		}
		return nil, err
	}
	return b, nil
}

// dirs lists the directories holding metadata documents under dir.
func (s *refStore) dirs(dir string) ([]string, error) {
	keys := make([]string, 0, len(s.refs))
	for k := range s.refs {
		keys = append(keys, k)
	}
	return childDirs(keys, dir), nil
}

func isRemote(u string) bool { return formats.IsURL(u) }

func (s *refStore) openContext() context.Context { return s.ctx }
