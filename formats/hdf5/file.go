package hdf5

import (
	"fmt"
	"io"
	"strings"

	"chunkpipe/internal/regularfile"
)

// File is an open HDF5 file. All metadata (groups, datasets, attributes)
// is read by Open; raw data is read on demand through io.ReaderAt, so a
// File and its objects are safe for concurrent use without locking.
type File struct {
	name       string
	r          io.ReaderAt
	size       int64
	closer     io.Closer
	offsetSize int
	lengthSize int
	base       uint64
	version    int
	root       *Group
	objects    map[uint64]any    // object header address -> *Group / *Dataset
	gheaps     map[uint64][]byte // global heap collections, used while opening
	cycles     []string
}

// Open opens the HDF5 (or netCDF-4) file at path.
func Open(path string) (*File, error) {
	fh, st, err := regularfile.Open(path)
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	f, err := OpenReaderAt(fh, st.Size(), path)
	if err != nil {
		fh.Close()
		return nil, err
	}
	f.closer = fh
	return f, nil
}

// OpenReaderAt reads an HDF5 file of the given size from r; name is used
// in error messages. r must stay valid until the File is no longer used
// and must support concurrent ReadAt calls (as *os.File and
// *bytes.Reader do).
func OpenReaderAt(r io.ReaderAt, size int64, name string) (*File, error) {
	f := &File{name: name, r: r, size: size, objects: map[uint64]any{}, gheaps: map[uint64][]byte{}}
	if size < 0 {
		return nil, &Error{File: name, Err: corruptf("negative size")}
	}
	sb, err := f.readSuperblock()
	if err != nil {
		return nil, f.objError("superblock", err)
	}
	f.version = sb.version
	f.base = sb.base
	rootAddr := f.addr(sb.rootAddr)
	oh, err := f.readObjectHeader(rootAddr)
	if err != nil {
		return nil, f.objError("group /", err)
	}
	if sb.rootBTree != undefAddr && oh.find(msgSymbolTable) == nil && oh.find(msgLinkInfo) == nil && oh.find(msgLink) == nil {
		// Use the symbol table cached in the superblock.
		data := make([]byte, 2*f.offsetSize)
		putAddr(data[:f.offsetSize], sb.rootBTree)
		putAddr(data[f.offsetSize:], sb.rootHeap)
		oh.messages = append(oh.messages, message{typ: msgSymbolTable, data: data})
	}
	root, err := f.loadGroup(oh, "/", "/", map[uint64]bool{})
	if err != nil {
		return nil, err
	}
	f.root = root
	f.resolveDimensions()
	f.gheaps = nil
	return f, nil
}

// putAddr encodes a little-endian address into b.
func putAddr(b []byte, v uint64) {
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
}

// Close closes the underlying file when the File was created by Open.
func (f *File) Close() error {
	if f.closer != nil {
		return f.closer.Close()
	}
	return nil
}

// Name returns the path or name the file was opened with.
func (f *File) Name() string { return f.name }

// Size returns the file size in bytes.
func (f *File) Size() int64 { return f.size }

// SuperblockVersion returns the superblock version (0 to 3).
func (f *File) SuperblockVersion() int { return f.version }

// Root returns the root group.
func (f *File) Root() *Group { return f.root }

// Attrs returns the user-facing global (root group) attributes.
func (f *File) Attrs() []Attribute { return f.root.Attrs() }

// Cycles returns the paths of hard links that pointed back to one of their
// own ancestor groups and were therefore not followed.
func (f *File) Cycles() []string { return append([]string(nil), f.cycles...) }

// Dataset returns a variable by name ("Rad", a dataset of the root group)
// or by absolute path ("/NS/SLV/zFactorCorrected").
func (f *File) Dataset(nameOrPath string) (*Dataset, error) {
	p := nameOrPath
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if obj, ok := f.root.Lookup(p); ok {
		if ds, ok := obj.(*Dataset); ok {
			return ds, nil
		}
		return nil, &Error{File: f.name, Object: "variable " + p, Err: fmt.Errorf("is a group, not a variable")}
	}
	return nil, &Error{File: f.name, Object: "variable " + p, Err: fmt.Errorf("no such variable")}
}

// Datasets returns every dataset in the file, depth first in name order.
func (f *File) Datasets() []*Dataset {
	var out []*Dataset
	f.root.WalkDatasets(func(d *Dataset) error {
		out = append(out, d)
		return nil
	})
	return out
}

// maxReadAll bounds ReadAll allocations.
const maxReadAll = 1 << 40
