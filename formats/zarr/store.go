package zarr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"chunkpipe/internal/regularfile"
)

// Metadata file names of a Zarr v2 store.
const (
	zarrayFile    = ".zarray"
	zattrsFile    = ".zattrs"
	zgroupFile    = ".zgroup"
	zmetadataFile = ".zmetadata"
)

// maxMetaBytes bounds the size of a metadata file read into memory.
const maxMetaBytes = 16 << 20

// maxGroupDepth bounds how deep the search for arrays descends.
const maxGroupDepth = 32

// member is one array of a store: its path inside the store ("" when the
// store is itself an array, else slash-separated like "sub/Rad") and the
// shape its .zarray declares.
type member struct {
	Path  string
	Shape []int64
}

func (m member) String() string {
	dims := make([]string, len(m.Shape))
	for i, n := range m.Shape {
		dims[i] = fmt.Sprint(n)
	}
	return fmt.Sprintf("%s (%s)", m.Path, strings.Join(dims, "x"))
}

// store reads the files of a Zarr store by key: a slash-separated path
// relative to the store's root, such as "Rad/.zarray" or "Rad/0.0". The
// local directory store is [dirStore]; stores named by a URL are
// [remoteStore]s.
type store interface {
	// get returns the bytes of key, which may hold at most max bytes. A
	// missing key is an error wrapping fs.ErrNotExist, a larger one a
	// *regularfile.TooLargeError.
	get(ctx context.Context, key string, max int64) ([]byte, error)
	// dirs returns the names of the directories in dir ("" for the
	// root) that may hold arrays or groups, sorted.
	dirs(dir string) ([]string, error)
	// String names the store in messages: its path or URL.
	String() string
	// openContext is the context the store was opened with, which bounds
	// the reads made outside a ReadRegion call (metadata, scalars).
	openContext() context.Context
}

// dirStore is a store in a local directory.
type dirStore struct{ root string }

func (s dirStore) String() string { return s.root }

func (dirStore) openContext() context.Context { return context.Background() }

// get reads a file, refusing files larger than max and files that are not
// regular files (a FIFO would block the open, a link to /dev/zero never
// ends).
func (s dirStore) get(ctx context.Context, key string, max int64) ([]byte, error) {
	return regularfile.ReadAll(ctx, filepath.Join(s.root, filepath.FromSlash(key)), max)
}

func (s dirStore) dirs(dir string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(s.root, filepath.FromSlash(dir)))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") && e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// readMeta reads a metadata document, refusing documents larger than
// maxMetaBytes. A missing document is reported with an error wrapping
// fs.ErrNotExist.
func readMeta(s store, key string) ([]byte, error) {
	b, err := s.get(s.openContext(), key, maxMetaBytes)
	var tl *regularfile.TooLargeError
	if errors.As(err, &tl) {
		return nil, fmt.Errorf("%s: %d bytes is too large for metadata", path.Base(key), tl.Size)
	}
	return b, err
}

// exists reports whether key is in the store: true unless reading it
// fails with fs.ErrNotExist, so that the read that follows reports any
// other failure (a FIFO, a refused request).
func exists(s store, key string) bool {
	_, err := readMeta(s, key)
	return !errors.Is(err, fs.ErrNotExist)
}

// isArrayStore reports whether the store root is itself an array.
func isArrayStore(s store) bool { return exists(s, zarrayFile) }

// listArrays finds the arrays of a group store, depth first in name order.
func listArrays(s store) ([]member, error) {
	if !exists(s, zgroupFile) {
		return nil, fmt.Errorf("not a Zarr v2 store: no %s or %s", zarrayFile, zgroupFile)
	}
	var out []member
	var walk func(rel string, depth int) error
	walk = func(rel string, depth int) error {
		if depth > maxGroupDepth {
			return fmt.Errorf("groups nested deeper than %d at %s", maxGroupDepth, rel)
		}
		names, err := s.dirs(rel)
		if err != nil {
			return err
		}
		for _, n := range names {
			name := path.Join(rel, n)
			if b, err := readMeta(s, name+"/"+zarrayFile); err == nil {
				out = append(out, member{Path: name, Shape: peekShape(b)})
			} else if !errors.Is(err, fs.ErrNotExist) {
				return err
			} else if exists(s, name+"/"+zgroupFile) {
				if err := walk(name, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk("", 0); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// metaKey returns the key of a metadata document of the array or group
// at dir ("" for the root).
func metaKey(dir, doc string) string {
	if dir == "" {
		return doc
	}
	return dir + "/" + doc
}

// peekShape returns the shape a .zarray declares, nil when unreadable.
func peekShape(b []byte) []int64 {
	var z struct {
		Shape []int64 `json:"shape"`
	}
	if json.Unmarshal(b, &z) != nil {
		return nil
	}
	return z.Shape
}

// pickArray returns the path of the array a reader opens: variable when
// given, else the store's only 2-D array.
func pickArray(s store, variable string) (string, error) {
	v := strings.Trim(variable, "/")
	if isArrayStore(s) {
		if v != "" {
			return "", fmt.Errorf("store is a single array; it has no variable %q", variable)
		}
		return "", nil
	}
	for _, part := range strings.Split(v, "/") {
		if v != "" && (part == "" || part == "." || part == "..") {
			return "", fmt.Errorf("bad variable %q: want a path such as sub/Rad", variable)
		}
	}
	if v != "" && exists(s, metaKey(v, zarrayFile)) {
		return v, nil // found without a listing, which HTTP stores lack
	}
	arrays, err := listArrays(s)
	if err != nil {
		return "", err
	}
	if v != "" {
		for _, m := range arrays {
			if m.Path == v {
				return v, nil
			}
		}
		return "", fmt.Errorf("no array %q (arrays: %s)", variable, listNames(arrays))
	}
	var twoD []member
	for _, m := range arrays {
		if len(m.Shape) == 2 {
			twoD = append(twoD, m)
		}
	}
	switch len(twoD) {
	case 1:
		return twoD[0].Path, nil
	case 0:
		return "", fmt.Errorf("no 2-D array in the store (arrays: %s)", listNames(arrays))
	}
	return "", fmt.Errorf("%d 2-D arrays; pick one as the variable: %s", len(twoD), listNames(twoD))
}

func listNames(ms []member) string {
	if len(ms) == 0 {
		return "none"
	}
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = m.String()
	}
	return strings.Join(s, ", ")
}
