package remote

import (
	"context"
	"fmt"
	"io"
	"net/url"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

func init() {
	formats.RegisterRemote(func(u string, opts formats.OpenOptions) (formats.Reader, error) {
		ctx := opts.Context
		if ctx == nil {
			ctx = context.Background()
		}
		return OpenReader(ctx, u, opts, Options{})
	})
}

// Reader is a format reader over a remote [File]. Cancelling the context
// of a ReadRegion call stops the file's fetches in flight (and the file's
// later reads), so an interrupted run does not wait for a hung server.
// It is safe for concurrent use.
type Reader struct {
	formats.Reader
	file *File
}

// describingReader is a Reader whose format describes whole files.
type describingReader struct{ *Reader }

// Describe prints the format reader's description of the file.
func (r describingReader) Describe(w io.Writer, o formats.DescribeOptions) error {
	return r.Reader.Reader.(formats.Describer).Describe(w, o)
}

var (
	_ formats.ScalarReader   = (*Reader)(nil)
	_ formats.VariableLister = (*Reader)(nil)
	_ formats.Describer      = describingReader{}
)

// OpenReader opens url, finds its format by magic bytes or by the
// extension of its path (opts.Raw selects the raw format) and opens the
// variable opts names with that format's reader, reading through a [File]
// opened with ropts. Fetches run under ctx until Close.
func OpenReader(ctx context.Context, u string, opts formats.OpenOptions, ropts Options) (formats.Reader, error) {
	f, err := Open(ctx, u, ropts)
	if err != nil {
		return nil, err
	}
	fr, err := openFormat(f, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	r := &Reader{Reader: fr, file: f}
	if _, ok := fr.(formats.Describer); ok {
		return describingReader{r}, nil
	}
	return r, nil
}

func openFormat(f *File, opts formats.OpenOptions) (formats.Reader, error) {
	var fm formats.Format
	if opts.Raw.DType != chunk.Invalid {
		var ok bool
		if fm, ok = formats.Lookup("raw"); !ok {
			return nil, fmt.Errorf("formats: raw format not registered")
		}
	} else {
		head := make([]byte, min(1024, f.Size()))
		if _, err := f.ReadAt(head, 0); err != nil {
			return nil, err
		}
		name := f.url
		if pu, err := url.Parse(f.url); err == nil {
			name = pu.Path
		}
		var err error
		if fm, err = formats.Detect(name, head); err != nil {
			return nil, fmt.Errorf("%s: %w", f.url, err)
		}
	}
	if fm.OpenAt == nil {
		return nil, fmt.Errorf("formats: %s: the %s format cannot be read from a URL", f.url, fm.Name)
	}
	return fm.OpenAt(f, f.Size(), f.url, opts)
}

// ReadRegion reads region reg as the format reader does; if ctx ends
// first, the file's fetches stop with ctx's cause.
func (r *Reader) ReadRegion(ctx context.Context, reg chunk.Region, dst *chunk.Array) error {
	stop := context.AfterFunc(ctx, func() { r.file.Abort(context.Cause(ctx)) })
	defer stop()
	return r.Reader.ReadRegion(ctx, reg, dst)
}

// Close closes the format reader and the remote file.
func (r *Reader) Close() error {
	err := r.Reader.Close()
	if cerr := r.file.Close(); err == nil {
		err = cerr
	}
	return err
}

// File returns the remote file the reader reads through.
func (r *Reader) File() *File { return r.file }

// Stats returns the remote file's traffic so far.
func (r *Reader) Stats() Stats { return r.file.Stats() }

// Scalars returns the format reader's scalar variables, if it has any.
func (r *Reader) Scalars() formats.Attrs {
	if s, ok := r.Reader.(formats.ScalarReader); ok {
		return s.Scalars()
	}
	return nil
}

// Variables lists the format reader's 2-D variables, if it lists any.
func (r *Reader) Variables() []string {
	if v, ok := r.Reader.(formats.VariableLister); ok {
		return v.Variables()
	}
	return nil
}

// StatsOf returns the remote traffic of a reader opened by [OpenReader]
// (or by formats.Open of a URL), and false for any other reader.
func StatsOf(r formats.Reader) (Stats, bool) {
	switch x := r.(type) {
	case *Reader:
		return x.Stats(), true
	case describingReader:
		return x.Stats(), true
	}
	return Stats{}, false
}
