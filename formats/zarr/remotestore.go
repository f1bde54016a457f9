package zarr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"

	"chunkpipe/formats"
	"chunkpipe/formats/remote"
	"chunkpipe/internal/regularfile"
)

// remoteStore is a store named by a URL (http://, https://, s3://): each
// key is fetched whole from URL/KEY. When the store has consolidated
// metadata (.zmetadata at its root), every metadata document comes from
// it, one request for all; a chunk key the server answers 404 for reads
// as the fill value, as a missing chunk file does.
type remoteStore struct {
	url  string // without a trailing slash
	ctx  context.Context
	opts remote.Options
	// meta holds the consolidated metadata documents by key, nil when
	// the store has none.
	meta map[string][]byte

	listOnce sync.Once
	listed   []string // the metadata keys an S3 listing found
	listErr  error

	// fetched remembers the metadata documents read one by one (stores
	// without consolidated metadata) and the keys found missing, so that
	// opening, which asks for some of them twice (a probe, then the
	// read), sends one request per document.
	fetchedMu sync.Mutex
	fetched   map[string]fetchedDoc
}

// fetchedDoc is a metadata document, or the fs.ErrNotExist error its
// request met.
type fetchedDoc struct {
	b   []byte
	err error
}

// OpenURL opens the array opts.Variable names in the Zarr v2 store at a
// URL such as https://host/path/store.zarr or s3://bucket/store.zarr, as
// [Open] opens a local store, fetching metadata documents and chunks by
// key under opts.Context. A group store is searched through its
// consolidated metadata when it has some, else, on S3, through a listing
// of its keys; a plain HTTP store without consolidated metadata needs the
// array named as the variable.
func OpenURL(u string, opts formats.OpenOptions) (*Reader, error) {
	return openURL(u, opts, remote.Options{})
}

func openURL(u string, opts formats.OpenOptions, ropts remote.Options) (*Reader, error) {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	s := &remoteStore{url: strings.TrimRight(u, "/"), ctx: ctx, opts: ropts}
	if err := s.loadConsolidated(); err != nil {
		return nil, fmt.Errorf("zarr: %s: %w", s.url, err)
	}
	return openStore(s, opts)
}

func (s *remoteStore) String() string { return s.url }

// keyURL is the URL of key, each path segment escaped.
func (s *remoteStore) keyURL(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return s.url + "/" + strings.Join(parts, "/")
}

// loadConsolidated fetches .zmetadata; a store without one is read
// document by document.
func (s *remoteStore) loadConsolidated() error {
	b, err := remote.Get(s.ctx, s.keyURL(zmetadataFile), maxMetaBytes, s.opts)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var doc struct {
		Metadata map[string]json.RawMessage `json:"metadata"`
		Format   int                        `json:"zarr_consolidated_format"`
	}
	if err := json.Unmarshal(quoteNonFinite(b), &doc); err != nil {
		return fmt.Errorf("%s: bad JSON: %v", zmetadataFile, err)
	}
	if doc.Format != 1 || doc.Metadata == nil {
		return fmt.Errorf("%s: zarr_consolidated_format %d with %d documents, want format 1", zmetadataFile, doc.Format, len(doc.Metadata))
	}
	s.meta = make(map[string][]byte, len(doc.Metadata))
	for k, v := range doc.Metadata {
		s.meta[k] = v
	}
	return nil
}

// isMetaKey reports whether key names a metadata document.
func isMetaKey(key string) bool {
	switch path.Base(key) {
	case zarrayFile, zattrsFile, zgroupFile:
		return true
	}
	return false
}

func (s *remoteStore) get(ctx context.Context, key string, max int64) ([]byte, error) {
	if s.meta != nil && isMetaKey(key) {
		b, ok := s.meta[key]
		if !ok {
			return nil, fmt.Errorf("%s: not in %s: %w", key, zmetadataFile, fs.ErrNotExist)
		}
		if int64(len(b)) > max {
			return nil, &regularfile.TooLargeError{Size: int64(len(b)), Max: max}
		}
		return b, nil
	}
	meta := isMetaKey(key)
	if meta {
		s.fetchedMu.Lock()
		d, ok := s.fetched[key]
		s.fetchedMu.Unlock()
		if ok && int64(len(d.b)) <= max {
			return d.b, d.err
		}
	}
	b, err := remote.Get(ctx, s.keyURL(key), max, s.opts)
	var tl *remote.TooLargeError
	if errors.As(err, &tl) {
		return nil, &regularfile.TooLargeError{Size: tl.Size, Max: max}
	}
	if meta && (err == nil || errors.Is(err, fs.ErrNotExist)) {
		// Only answers that will not change: a failed request is asked again.
		s.fetchedMu.Lock()
		if s.fetched == nil {
			s.fetched = map[string]fetchedDoc{}
		}
		s.fetched[key] = fetchedDoc{b: b, err: err}
		s.fetchedMu.Unlock()
	}
	return b, err
}

// dirs lists the directories holding metadata documents under dir: from
// the consolidated metadata, else from an S3 listing of the store.
func (s *remoteStore) dirs(dir string) ([]string, error) {
	keys := make([]string, 0, len(s.meta))
	if s.meta != nil {
		for k := range s.meta {
			keys = append(keys, k)
		}
	} else {
		if !strings.HasPrefix(strings.ToLower(s.url), "s3://") {
			return nil, fmt.Errorf("an HTTP store without consolidated metadata (%s) cannot be searched for arrays: name the array as the variable", zmetadataFile)
		}
		s.listOnce.Do(func() {
			all, err := remote.List(s.ctx, s.url)
			for _, k := range all {
				if isMetaKey(k) {
					s.listed = append(s.listed, k)
				}
			}
			s.listErr = err
		})
		if s.listErr != nil {
			return nil, s.listErr
		}
		keys = s.listed
	}
	return childDirs(keys, dir), nil
}

// childDirs returns the names of the directories directly in dir that
// hold metadata documents among keys, sorted.
func childDirs(keys []string, dir string) []string {
	prefix := ""
	if dir != "" {
		prefix = dir + "/"
	}
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || !isMetaKey(k) {
			continue
		}
		name, _, nested := strings.Cut(rest, "/")
		if nested && !strings.HasPrefix(name, ".") && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func (s *remoteStore) openContext() context.Context { return s.ctx }
