package quicklook

import (
	"context"
	"fmt"
	"image"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// Composite writes an RGB PNG quicklook from three channels of the same
// shape, each downsampled like a [Writer] and stretched with its own
// limits and gamma, clipping to [0, 1] and then raising to 1/gamma (satpy's
// convention). A pixel missing in any channel is transparent. Its methods
// are safe for concurrent use; memory is about 60 bytes per output pixel.
type Composite struct {
	out     *output
	ds      [3]*Downsampler
	limits  [3]Limits
	gamma   [3]float64
	stretch [3]Stretch // set by Commit
}

// NewComposite starts an RGB quicklook at spec.Path with the options in
// spec.Options (see [ParseRGBOptions]). spec.Shape is every channel's
// shape; a _FillValue in spec.Attrs marks missing values in all channels.
func NewComposite(spec formats.CreateSpec) (*Composite, error) {
	opts, err := ParseRGBOptions(spec.Options)
	if err != nil {
		return nil, err
	}
	return NewCompositeWith(spec, opts)
}

// NewCompositeWith is [NewComposite] with typed options; spec.Options is
// ignored and zero fields of opts take their defaults.
func NewCompositeWith(spec formats.CreateSpec, opts RGBOptions) (*Composite, error) {
	if opts.MaxSize == 0 {
		opts.MaxSize = DefaultMaxSize
	}
	c := &Composite{}
	for i := range 3 {
		if opts.Limits[i] == (Limits{}) {
			opts.Limits[i] = DefaultLimits
		}
		if opts.Gamma[i] == 0 {
			opts.Gamma[i] = 1
		}
		if err := validate(opts.MaxSize, opts.Limits[i], opts.Gamma[i]); err != nil {
			return nil, fmt.Errorf("%w (channel %d)", err, i)
		}
		ds, err := NewDownsampler(spec.Shape, Factor(spec.Shape, opts.MaxSize))
		if err != nil {
			return nil, err
		}
		c.ds[i] = ds
	}
	c.limits, c.gamma = opts.Limits, opts.Gamma
	out, err := newOutput(spec)
	if err != nil {
		return nil, err
	}
	c.out = out
	return c, nil
}

// Factor returns the downsampling factor.
func (c *Composite) Factor() int { return c.ds[0].Factor() }

// OutShape returns the picture's size in rows (height) and columns (width).
func (c *Composite) OutShape() chunk.Shape { return c.ds[0].OutShape() }

// WriteChannel adds region a of channel ch (0 red, 1 green, 2 blue), of
// any element type. Regions of each channel arrive in any order, from any
// goroutine.
func (c *Composite) WriteChannel(ctx context.Context, ch int, a *chunk.Array) error {
	if ch < 0 || ch > 2 {
		return fmt.Errorf("quicklook: channel %d outside [0, 2]", ch)
	}
	return c.out.add(ctx, c.ds[ch], a)
}

// Commit resolves each channel's limits on its downsampled values, renders
// the picture and renames the PNG into place.
func (c *Composite) Commit() error {
	return c.out.commit(func() image.Image {
		var means [3][]float64
		for i := range 3 {
			means[i] = c.ds[i].Means()
			lo, hi, _ := c.limits[i].Resolve(means[i])
			c.stretch[i] = Stretch{Lo: lo, Hi: hi, Gamma: c.gamma[i]}
		}
		return RenderRGB(means, c.ds[0].OutShape(), c.stretch)
	})
}

// Stretches returns the per-channel stretches Commit used; they are zero
// before Commit, and it must not be called concurrently with it.
func (c *Composite) Stretches() [3]Stretch { return c.stretch }

// Abort removes the temporary file. It is safe to call more than once and
// after Commit, when it does nothing.
func (c *Composite) Abort() error { return c.out.abort() }
