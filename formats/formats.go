package formats

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"chunkpipe/chunk"
	"chunkpipe/internal/regularfile"
)

// ErrFormat reports that a file is not in any registered format.
var ErrFormat = errors.New("formats: unknown format")

// ErrBadFile marks errors about an input's content (as opposed to how the
// program was called): a command reports them as failures, not usage
// errors.
var ErrBadFile = errors.New("bad file")

// Reader reads regions of one 2-D variable of a file. Implementations are
// safe for concurrent use: the pipeline's read workers call ReadRegion from
// several goroutines at once.
type Reader interface {
	// Info describes the variable; it is cheap and never fails.
	Info() Info
	// ReadRegion reads region r of the variable into dst, whose DType is
	// Info().DType and whose Rect is r (dst may be strided). Elements are
	// stored in host byte order, undecoded: CF scaling is a kernel's job.
	ReadRegion(ctx context.Context, r chunk.Region, dst *chunk.Array) error
	// Close releases the file.
	Close() error
}

// Describer is implemented by readers that can print a detailed, ncdump-like
// description of the whole file (groups, variables, attributes, storage).
type Describer interface {
	Describe(w io.Writer, o DescribeOptions) error
}

// Info describes one variable of a file as a [Reader] sees it.
type Info struct {
	Path     string      // the file
	Format   string      // registered format name, e.g. "npy"
	Variable string      // variable name or path; "" when the file holds one array
	Shape    chunk.Shape // rows x cols
	DType    chunk.DType // element type as stored
	Storage  chunk.Shape // storage chunk or tile shape; zero when contiguous
	Attrs    Attrs       // the variable's attributes (CF: scale_factor, _FillValue, ...)
	Global   Attrs       // the file's global attributes
	Dims     []string    // dimension names, outermost first, when the format has them
	// Geo carries format-specific georeferencing (GeoTIFF tags, ABI
	// projection variables) that writers of the same family may copy.
	Geo any
}

// Attr is one named attribute. Value is a string, a float64, an int64, or a
// slice of float64 or int64 for array attributes.
type Attr struct {
	Name  string
	Value any
}

// Attrs is an ordered list of attributes.
type Attrs []Attr

// Get returns the value of the named attribute.
func (a Attrs) Get(name string) (any, bool) {
	for _, x := range a {
		if x.Name == name {
			return x.Value, true
		}
	}
	return nil, false
}

// Float returns the named attribute as a float64 when it is numeric (the
// first element of an array attribute).
func (a Attrs) Float(name string) (float64, bool) {
	v, ok := a.Get(name)
	if !ok {
		return 0, false
	}
	return ToFloats(v)
}

// Floats returns the named attribute as float64s when it is numeric.
func (a Attrs) Floats(name string) ([]float64, bool) {
	v, ok := a.Get(name)
	if !ok {
		return nil, false
	}
	return toFloatSlice(v)
}

// String returns the named attribute when it is a string.
func (a Attrs) String(name string) (string, bool) {
	v, ok := a.Get(name)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	return s, ok
}

// Set replaces or appends the named attribute and returns the list.
func (a Attrs) Set(name string, v any) Attrs {
	for i := range a {
		if a[i].Name == name {
			a[i].Value = v
			return a
		}
	}
	return append(a, Attr{name, v})
}

// ToFloats converts a numeric attribute value (scalar or the first element
// of a slice) to float64.
func ToFloats(v any) (float64, bool) {
	f, ok := toFloatSlice(v)
	if !ok || len(f) == 0 {
		return 0, false
	}
	return f[0], true
}

func toFloatSlice(v any) ([]float64, bool) {
	switch x := v.(type) {
	case float64:
		return []float64{x}, true
	case float32:
		return []float64{float64(x)}, true
	case int64:
		return []float64{float64(x)}, true
	case int:
		return []float64{float64(x)}, true
	case []float64:
		return x, true
	case []int64:
		out := make([]float64, len(x))
		for i, e := range x {
			out[i] = float64(e)
		}
		return out, true
	}
	return nil, false
}

// OpenOptions select what to read from a file.
type OpenOptions struct {
	// Variable names the variable (NetCDF/HDF5/Zarr group member) or band
	// ("band:3" for GeoTIFF). Empty picks the format's default.
	Variable string
	// Raw describes headerless binary input (raw format only).
	Raw RawSpec
	// Mask names a quality-flag variable of the same file (ABI's DQF):
	// pixels whose flag exceeds MaskMax, or is the flag's fill value, read
	// as the variable's fill value, so calibrate turns them into NaN.
	// Formats without variables ignore it.
	Mask    string
	MaskMax int64
	// Context bounds the fetches of a remote input (see [IsURL]) for as
	// long as its reader is open: when it ends, they stop. nil: no bound.
	Context context.Context
}

// RawSpec describes a flat binary file: element type, shape and byte order.
type RawSpec struct {
	DType     chunk.DType
	Shape     chunk.Shape
	BigEndian bool
}

// Writer receives the regions of one output array, in any order and from
// several goroutines at once (regions never overlap), and makes the output
// appear atomically on Commit.
type Writer interface {
	// WriteRegion stores a, whose DType is the one the writer was created
	// with and whose Rect lies inside the output shape.
	WriteRegion(ctx context.Context, a *chunk.Array) error
	// Commit finishes the file and renames it into place.
	Commit() error
	// Abort removes everything written so far. It is safe to call after a
	// failed Commit and more than once.
	Abort() error
}

// CreateSpec describes the output a [Writer] is created for.
type CreateSpec struct {
	Path     string
	Shape    chunk.Shape
	DType    chunk.DType
	Chunk    chunk.Shape // the compute grid's chunk shape (writers may use it as tiles)
	Variable string      // output variable name ("" for the format's default)
	Attrs    Attrs       // variable attributes to write (units, long_name, _FillValue)
	Global   Attrs       // global attributes (history)
	Source   *Info       // the input, when one exists, for carrying georeferencing over
	Factor   int         // how many input pixels one output pixel spans (coarsen), 1 if none
	// Bands is the number of bands of a multi-band output (0 or 1: one).
	// Its regions then carry Bands planes, band k in plane k; only formats
	// with Format.MultiBand accept more than one.
	Bands     int
	BandNames []string // optional description of each band
	Options   map[string]string
	Overwrite bool // replace an existing output
}

// Format is one registered file format.
type Format struct {
	Name string   // short name, e.g. "npy"
	Exts []string // file extensions including the dot, e.g. ".npy"
	// Magic lists byte prefixes that identify the format; '?' matches any byte.
	Magic []string
	// Open opens a variable of a file for reading; nil for write-only formats.
	Open func(path string, opts OpenOptions) (Reader, error)
	// OpenAt opens a variable of a file read through ra, size bytes long,
	// as Open does: the remote inputs of [Open] (see [IsURL]) use it. name
	// stands for the file in errors and Info.Path. The reader does not
	// close ra. nil: the format reads local paths only.
	OpenAt func(ra io.ReaderAt, size int64, name string, opts OpenOptions) (Reader, error)
	// OpenURL opens a variable of a store named by a URL, for directory
	// formats read key by key (Zarr); [Open] uses it for URLs whose path
	// has one of Exts. nil: URLs are read through OpenAt.
	OpenURL func(url string, opts OpenOptions) (Reader, error)
	// Create starts a new output; nil for read-only formats.
	Create func(spec CreateSpec) (Writer, error)
	// MultiBand is true for formats that write several bands into one
	// output (CreateSpec.Bands > 1): GeoTIFF.
	MultiBand bool
	// Dir is true for formats stored as a directory (Zarr).
	Dir bool
	// RowMajor is true for formats that store the array row after row
	// (.npy, raw, NetCDF classic): full-width chunks read and write as one
	// contiguous call, so auto chunking prefers them.
	RowMajor bool
}

var (
	registryMu sync.RWMutex
	registry   []Format
)

// Register adds a format. It is meant to be called from init functions.
func Register(f Format) {
	registryMu.Lock()
	defer registryMu.Unlock()
	registry = append(registry, f)
}

// Formats returns the registered formats sorted by name.
func Formats() []Format {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := append([]Format(nil), registry...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup returns the format registered under name.
func Lookup(name string) (Format, bool) {
	for _, f := range Formats() {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

func byExt(path string) (Format, bool) {
	ext := strings.ToLower(filepath.Ext(strings.TrimRight(path, "/")))
	for _, f := range Formats() {
		for _, e := range f.Exts {
			if e == ext {
				return f, true
			}
		}
	}
	return Format{}, false
}

func match(magic string, b []byte) bool {
	if len(b) < len(magic) {
		return false
	}
	for i := 0; i < len(magic); i++ {
		if magic[i] != '?' && magic[i] != b[i] {
			return false
		}
	}
	return true
}

// Sniff identifies the format of path: by magic bytes first, then for
// directories and headerless files by extension.
func Sniff(path string) (Format, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Format{}, fmt.Errorf("formats: %w", err)
	}
	if !st.IsDir() && !st.Mode().IsRegular() {
		// A FIFO would block the open below; a device would never end.
		return Format{}, fmt.Errorf("formats: %w", &regularfile.NotRegularError{Path: path, Mode: st.Mode()})
	}
	if !st.IsDir() {
		fh, err := os.Open(path)
		if err != nil {
			return Format{}, fmt.Errorf("formats: %w", err)
		}
		head := make([]byte, 1024)
		n, _ := io.ReadFull(fh, head)
		fh.Close()
		head = head[:n]
		for _, f := range Formats() {
			if f.Open == nil {
				continue
			}
			for _, m := range f.Magic {
				if match(m, head) {
					return f, nil
				}
			}
		}
	}
	if f, ok := byExt(path); ok && f.Open != nil && f.Dir == st.IsDir() {
		return f, nil
	}
	if st.IsDir() {
		for _, f := range Formats() {
			if f.Dir && f.Open != nil {
				return f, nil
			}
		}
	}
	return Format{}, fmt.Errorf("%w: %s (known: %s)", ErrFormat, path, knownNames())
}

func knownNames() string {
	var names []string
	for _, f := range Formats() {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}

// Open opens path with the format its magic bytes or extension name. A raw
// spec in opts, or a "PATH:DTYPE:ROWSxCOLS" path, selects the raw format.
func Open(path string, opts OpenOptions) (Reader, error) {
	if p, spec, ok := SplitRawPath(path); ok {
		path, opts.Raw = p, spec
	}
	if IsURL(path) {
		return checkOpened(openURL(path, opts))
	}
	if opts.Raw.DType != chunk.Invalid {
		f, ok := Lookup("raw")
		if !ok {
			return nil, fmt.Errorf("formats: raw format not registered")
		}
		return checkOpened(f.Open(path, opts))
	}
	f, err := Sniff(path)
	if err != nil {
		return nil, err
	}
	return checkOpened(f.Open(path, opts))
}

// checkOpened passes on what a format's Open returned, refusing a reader
// whose shape has more than chunk.MaxElements elements: such a shape comes
// from a bad file (a Zarr or HDF5 header declaring 2^26 x 2^26), and left
// to the chunk grid it was reported without the file's name, as a usage
// error (exit status 2).
func checkOpened(r Reader, err error) (Reader, error) {
	if err != nil {
		return nil, err
	}
	info := r.Info()
	if err := chunk.CheckShape(info.Shape); err != nil {
		r.Close()
		where := info.Path
		if info.Variable != "" {
			where += ": variable " + info.Variable
		}
		return nil, fmt.Errorf("%s: %w: %v", where, ErrBadFile, err)
	}
	return r, nil
}

// ForOutput returns the format that writes path, chosen by its extension.
func ForOutput(path string) (Format, error) {
	f, ok := byExt(path)
	if !ok || f.Create == nil {
		var exts []string
		for _, g := range Formats() {
			if g.Create != nil {
				exts = append(exts, g.Exts...)
			}
		}
		return Format{}, fmt.Errorf("%w: cannot write %s (writable extensions: %s)", ErrFormat, path, strings.Join(exts, " "))
	}
	return f, nil
}

// Create starts an output in the format chosen by spec.Path's extension,
// after checking that its directory exists and that it does not exist yet
// (unless spec.Overwrite).
func Create(spec CreateSpec) (Writer, error) {
	f, err := ForOutput(spec.Path)
	if err != nil {
		return nil, err
	}
	if spec.Bands > 1 && !f.MultiBand {
		return nil, fmt.Errorf("formats: %s: the %s format writes one band, not %d (write several bands to a .tif)", spec.Path, f.Name, spec.Bands)
	}
	if err := CheckTarget(spec.Path, spec.Overwrite); err != nil {
		return nil, err
	}
	return f.Create(spec)
}

// CheckTarget reports an error when path's directory does not exist, or when
// path exists and overwrite is false.
func CheckTarget(path string, overwrite bool) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("formats: output directory %s does not exist", dir)
	}
	if !st.IsDir() {
		return fmt.Errorf("formats: output directory %s is not a directory", dir)
	}
	if _, err := os.Lstat(path); err == nil && !overwrite {
		return fmt.Errorf("formats: output %s exists (use --overwrite to replace it)", path)
	}
	return nil
}

// ScalarReader is implemented by readers of files that keep calibration
// constants as scalar variables beside the data (ABI L1b keeps kappa0 and
// the Planck coefficients this way). Scalars returns each scalar numeric
// variable of the file by name.
type ScalarReader interface {
	Scalars() Attrs
}

// VariableLister is implemented by readers of multi-variable files; it
// lists the 2-D variables that OpenOptions.Variable may name.
type VariableLister interface {
	Variables() []string
}
