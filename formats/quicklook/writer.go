package quicklook

import (
	"context"
	"image"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// Writer writes a single-band PNG quicklook. It implements formats.Writer:
// WriteRegion may be called from several goroutines at once, with regions
// in any order; Commit stretches, colours and encodes the picture and
// renames it into place. Memory is about 20 bytes per output pixel while
// writing, plus the picture and a sorted copy of the means at Commit.
type Writer struct {
	out     *output
	ds      *Downsampler
	limits  Limits
	gamma   float64
	cmap    *Colormap
	stretch Stretch // set by Commit
}

var _ formats.Writer = (*Writer)(nil)

// Create starts a quicklook at spec.Path with the options in spec.Options
// (see [ParseOptions]). It is the "png" format's Create function.
func Create(spec formats.CreateSpec) (*Writer, error) {
	opts, err := ParseOptions(spec.Options)
	if err != nil {
		return nil, err
	}
	return NewWriter(spec, opts)
}

// NewWriter starts a quicklook at spec.Path with typed options; spec.Options
// is ignored. Zero fields of opts take their defaults. The colormap "auto"
// is resolved against spec.Attrs. It returns an error for an empty shape or
// invalid options, before creating any file.
func NewWriter(spec formats.CreateSpec, opts Options) (*Writer, error) {
	if opts.MaxSize == 0 {
		opts.MaxSize = DefaultMaxSize
	}
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits
	}
	if opts.Gamma == 0 {
		opts.Gamma = 1
	}
	if err := validate(opts.MaxSize, opts.Limits, opts.Gamma); err != nil {
		return nil, err
	}
	cm, err := ResolveColormap(opts.Colormap, spec.Attrs)
	if err != nil {
		return nil, err
	}
	ds, err := NewDownsampler(spec.Shape, Factor(spec.Shape, opts.MaxSize))
	if err != nil {
		return nil, err
	}
	out, err := newOutput(spec)
	if err != nil {
		return nil, err
	}
	return &Writer{out: out, ds: ds, limits: opts.Limits, gamma: opts.Gamma, cmap: cm}, nil
}

// Factor returns the downsampling factor.
func (w *Writer) Factor() int { return w.ds.Factor() }

// OutShape returns the picture's size in rows (height) and columns (width).
func (w *Writer) OutShape() chunk.Shape { return w.ds.OutShape() }

// Colormap returns the colormap in use.
func (w *Writer) Colormap() *Colormap { return w.cmap }

// WriteRegion adds a, of any element type, to the quicklook. a.Rect must
// lie inside the shape the writer was created with. It is safe for
// concurrent use and returns ctx's error if ctx is done.
func (w *Writer) WriteRegion(ctx context.Context, a *chunk.Array) error {
	return w.out.add(ctx, w.ds, a)
}

// Commit computes the stretch limits from the downsampled values, renders
// the picture and renames the PNG into place. Pixels that received no
// finite value are transparent; if none did, the whole picture is.
func (w *Writer) Commit() error {
	return w.out.commit(func() image.Image {
		means := w.ds.Means()
		lo, hi, _ := w.limits.Resolve(means)
		w.stretch = Stretch{Lo: lo, Hi: hi, Gamma: w.gamma}
		return Render(means, w.ds.OutShape(), w.stretch, w.cmap)
	})
}

// Stretch returns the stretch Commit used; it is the zero Stretch before
// Commit, and must not be called concurrently with it.
func (w *Writer) Stretch() Stretch { return w.stretch }

// Abort removes the temporary file. It is safe to call more than once and
// after Commit, when it does nothing.
func (w *Writer) Abort() error { return w.out.abort() }
