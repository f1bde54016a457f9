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

// readMeta reads a metadata file, refusing files larger than maxMetaBytes
// and files that are not regular files (a FIFO would block the open).
// A missing file is reported with an error wrapping fs.ErrNotExist.
func readMeta(p string) ([]byte, error) {
	b, err := regularfile.ReadAll(context.Background(), p, maxMetaBytes)
	var tl *regularfile.TooLargeError
	if errors.As(err, &tl) {
		return nil, fmt.Errorf("%s: %d bytes is too large for metadata", filepath.Base(p), tl.Size)
	}
	return b, err
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// isArrayStore reports whether the store root is itself an array.
func isArrayStore(root string) bool { return exists(filepath.Join(root, zarrayFile)) }

// listArrays finds the arrays of a group store, depth first in name order.
func listArrays(root string) ([]member, error) {
	if !exists(filepath.Join(root, zgroupFile)) {
		return nil, fmt.Errorf("not a Zarr v2 store: no %s or %s", zarrayFile, zgroupFile)
	}
	var out []member
	var walk func(dir, rel string, depth int) error
	walk = func(dir, rel string, depth int) error {
		if depth > maxGroupDepth {
			return fmt.Errorf("groups nested deeper than %d at %s", maxGroupDepth, rel)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") || !e.IsDir() {
				continue
			}
			sub, name := filepath.Join(dir, e.Name()), path.Join(rel, e.Name())
			if b, err := readMeta(filepath.Join(sub, zarrayFile)); err == nil {
				out = append(out, member{Path: name, Shape: peekShape(b)})
			} else if !errors.Is(err, fs.ErrNotExist) {
				return err
			} else if exists(filepath.Join(sub, zgroupFile)) {
				if err := walk(sub, name, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(root, "", 0); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
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
func pickArray(root, variable string) (string, error) {
	v := strings.Trim(variable, "/")
	if isArrayStore(root) {
		if v != "" {
			return "", fmt.Errorf("store is a single array; it has no variable %q", variable)
		}
		return "", nil
	}
	arrays, err := listArrays(root)
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
