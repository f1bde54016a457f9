package resample

import (
	"context"
	"fmt"
	"math"
	"sync"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// Options tune a [Reader].
type Options struct {
	Method Method
	// Tolerance is the error, in input pixels, allowed when coordinates are
	// interpolated along output rows instead of projected for every pixel
	// (gdalwarp's -et). 0 means the default, 0.125 as in gdalwarp; a
	// negative value projects every pixel exactly.
	Tolerance float64
}

// DefaultTolerance is gdalwarp's default approximation error, in pixels.
const DefaultTolerance = 0.125

// Reader presents an input resampled onto a target grid as a
// [formats.Reader], so that the pipeline reads, computes and writes the
// target grid chunk by chunk as it would a file.
//
// For each output region, ReadRegion maps the output pixel centres to the
// input (inverse projection of the target, forward projection of the
// input), reads only the bounding box of the input pixels they need (a
// halo that follows the geometry, not a constant), and resamples it.
// Memory per call is the region's coordinates (16 bytes a pixel) and that
// input box, about the region's size times the squared ratio of output to
// input pixel size, but never more than [MaxFootprint] pixels: a region
// whose box is larger (heavy downsampling) is resampled in halves.
//
// Nearest output keeps the input's element type and attributes; bilinear
// and average output float32 with NaN for missing pixels, keeping
// scale_factor and add_offset (both commute with interpolation, so
// calibrate after resampling equals resampling calibrated values). Kernels
// run after resampling.
//
// The output is georeferenced by Info().Geo, a *geotiff.Georef naming the
// target's EPSG code. A Reader is safe for concurrent use.
type Reader struct {
	src     formats.Reader
	srcInfo formats.Info
	srcGrid Grid
	dstGrid Grid
	opts    Options
	toSrc   *mapper // output pixel centres to input indices
	toDst   *mapper // input pixel centres to output indices (average)
	info    formats.Info
	fill    []byte // nearest: one output element marking a missing pixel
	fills   fillSpec
	maxFoot int       // input pixels one read may cover before the region is split
	scratch sync.Pool // *scratch
}

// MaxFootprint is the most input pixels a Reader reads at once (64 MiB as
// float32): an output region whose input box is larger, as when
// downsampling a full disk to a coarse grid, is resampled in halves.
const MaxFootprint = 1 << 24

type scratch struct {
	rs, cs []float64
	raw    chunk.Array
	vals   []float32
	sum    []float64
	count  []int32
}

// New wraps src, whose georeferencing is srcGrid, as a reader of the
// target grid dst. It does not take ownership of src until it returns
// without error; Close then closes src.
func New(src formats.Reader, srcGrid, dst Grid, opts Options) (*Reader, error) {
	if err := srcGrid.validate("input"); err != nil {
		return nil, err
	}
	if err := dst.validate("target"); err != nil {
		return nil, err
	}
	in := src.Info()
	if in.Shape != srcGrid.Shape {
		return nil, fmt.Errorf("resample: %s: grid shape %v differs from the variable's %v", inputName(in), srcGrid.Shape, in.Shape)
	}
	if in.DType.Size() == 0 {
		return nil, fmt.Errorf("resample: %s: cannot resample %v elements", inputName(in), in.DType)
	}
	if dst.CRS.EPSG == 0 || dst.CRS.EPSG > math.MaxUint16 {
		return nil, fmt.Errorf("resample: target CRS %s has no EPSG code that GeoTIFF can name", dst.CRS)
	}
	if opts.Method < Nearest || opts.Method > Average {
		return nil, fmt.Errorf("resample: unknown method %v", opts.Method)
	}
	tol := opts.Tolerance
	if tol == 0 {
		tol = DefaultTolerance
	}
	r := &Reader{src: src, srcInfo: in, srcGrid: srcGrid, dstGrid: dst, opts: opts,
		toSrc: newMapper(dst, srcGrid, tol), toDst: newMapper(srcGrid, dst, tol), fills: newFillSpec(in), maxFoot: MaxFootprint}
	info := in
	info.Shape, info.Storage = dst.Shape, chunk.Shape{}
	info.Geo = targetGeoref(dst)
	info.Dims = []string{"y", "x"}
	if dst.CRS.Geographic() {
		info.Dims = []string{"lat", "lon"}
	}
	if opts.Method == Nearest {
		fill, err := fillElement(in)
		if err != nil {
			return nil, err
		}
		r.fill = fill
		info.Attrs = append(formats.Attrs(nil), in.Attrs...)
	} else {
		info.DType = chunk.Float32
		info.Attrs = floatAttrs(in.Attrs)
	}
	// The input's grid_mapping and coordinates name variables of its own
	// grid, which the output no longer has; a NetCDF output gets a "crs"
	// variable instead (see netcdf.go).
	kept := info.Attrs[:0:0]
	for _, a := range info.Attrs {
		if a.Name != "grid_mapping" && a.Name != "coordinates" {
			kept = append(kept, a)
		}
	}
	info.Attrs = kept.Set("grid_mapping", CRSVariable).Set("resampling", fmt.Sprintf("%s to %s", opts.Method, dst.CRS))
	r.info = info
	return r, nil
}

// Info describes the resampled variable: the target grid's shape, the
// output element type and the target georeferencing.
func (r *Reader) Info() formats.Info { return r.info }

// Grids returns the input and target grids.
func (r *Reader) Grids() (src, dst Grid) { return r.srcGrid, r.dstGrid }

// Close closes the input.
func (r *Reader) Close() error { return r.src.Close() }

// Scalars passes on the input's scalar variables (ABI's calibration
// constants) when it has them.
func (r *Reader) Scalars() formats.Attrs {
	if s, ok := r.src.(formats.ScalarReader); ok {
		return s.Scalars()
	}
	return nil
}

var (
	_ formats.Reader       = (*Reader)(nil)
	_ formats.ScalarReader = (*Reader)(nil)
)

// ReadRegion resamples region reg of the target grid into dst.
func (r *Reader) ReadRegion(ctx context.Context, reg chunk.Region, dst *chunk.Array) error {
	if !r.info.Shape.Bounds().Contains(reg) || reg.Empty() {
		return fmt.Errorf("resample: %s: region %v outside the target grid %v", inputName(r.srcInfo), reg, r.info.Shape)
	}
	if dst.DType != r.info.DType || dst.Rect != reg {
		return fmt.Errorf("resample: %s: region %v: destination is %v %v, want %v", inputName(r.srcInfo), reg, dst.DType, dst.Rect, r.info.DType)
	}
	s, _ := r.scratch.Get().(*scratch)
	if s == nil {
		s = &scratch{}
	}
	defer r.scratch.Put(s)
	if err := r.resample(ctx, reg, dst, s); err != nil {
		return fmt.Errorf("resample: %s: %s chunk %v: %w", inputName(r.srcInfo), r.opts.Method, reg, err)
	}
	return nil
}

// resample fills dst (region reg) by the reader's method.
func (r *Reader) resample(ctx context.Context, reg chunk.Region, dst *chunk.Array, s *scratch) error {
	if r.opts.Method == Average {
		return r.average(ctx, reg, dst, s)
	}
	return r.interpolate(ctx, reg, dst, s)
}

// split resamples reg in two halves, across its longer side, when its
// input box foot is over the footprint limit; it reports false when reg
// is small enough (or a single pixel, which is never split).
func (r *Reader) split(ctx context.Context, foot, reg chunk.Region, dst *chunk.Array, s *scratch) (bool, error) {
	if foot.Len() <= r.maxFoot || reg.Len() <= 1 {
		return false, nil
	}
	a, b := reg, reg
	if reg.Rows() >= reg.Cols() {
		a.Row1 = reg.Row0 + reg.Rows()/2
		b.Row0 = a.Row1
	} else {
		a.Col1 = reg.Col0 + reg.Cols()/2
		b.Col0 = a.Col1
	}
	for _, half := range []chunk.Region{a, b} {
		if err := r.resample(ctx, half, dst.Sub(half), s); err != nil {
			return true, err
		}
	}
	return true, nil
}

// readInput reads region foot of the input into s.raw.
func (r *Reader) readInput(ctx context.Context, foot chunk.Region, s *scratch) error {
	s.raw.Reset(r.srcInfo.DType, foot)
	if err := r.src.ReadRegion(ctx, foot, &s.raw); err != nil {
		return fmt.Errorf("reading input region %v: %w", foot, err)
	}
	return nil
}

// inputFloats converts s.raw to float32 in s.vals, NaN where missing.
func (r *Reader) inputFloats(s *scratch) error {
	s.vals = grow(s.vals, s.raw.Rect.Len())
	return r.fills.toFloat32(s.vals, &s.raw)
}

func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}

// interpolate does nearest and bilinear.
func (r *Reader) interpolate(ctx context.Context, reg chunk.Region, dst *chunk.Array, s *scratch) error {
	w, n := reg.Cols(), reg.Len()
	s.rs, s.cs = grow(s.rs, n), grow(s.cs, n)
	rmin, cmin, rmax, cmax := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := range reg.Rows() {
		rs, cs := s.rs[i*w:(i+1)*w], s.cs[i*w:(i+1)*w]
		r.toSrc.row(reg.Row0+i, reg.Col0, rs, cs)
		for j := range rs {
			if !math.IsNaN(rs[j]) && !math.IsNaN(cs[j]) {
				rmin, rmax = min(rmin, rs[j]), max(rmax, rs[j])
				cmin, cmax = min(cmin, cs[j]), max(cmax, cs[j])
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	// Nearest needs the pixels at floor(x+0.5), bilinear floor(x) and
	// floor(x)+1: both lie in [floor(min), floor(max)+2).
	foot := chunk.Region{}
	if rmin <= rmax {
		lim := r.srcGrid.Shape.Bounds()
		foot = chunk.Rect(clampIdx(math.Floor(rmin), lim.Row1), clampIdx(math.Floor(cmin), lim.Col1),
			clampIdx(math.Floor(rmax)+2, lim.Row1), clampIdx(math.Floor(cmax)+2, lim.Col1)).Intersect(lim)
	}
	if foot.Empty() {
		r.fillAll(dst)
		return nil
	}
	if done, err := r.split(ctx, foot, reg, dst, s); done {
		return err
	}
	if err := r.readInput(ctx, foot, s); err != nil {
		return err
	}
	if r.opts.Method == Nearest {
		nearest(dst, &s.raw, s.rs, s.cs, r.fill)
		return nil
	}
	if err := r.inputFloats(s); err != nil {
		return err
	}
	bilinear(dst, s.vals, foot, r.srcGrid.Shape, s.rs, s.cs)
	return nil
}

// clampIdx converts an index to int, clamped to [-1, n+1] so that NaN-free
// but huge values cannot overflow.
func clampIdx(x float64, n int) int {
	if x < -1 {
		return -1
	}
	if x > float64(n+1) {
		return n + 1
	}
	return int(x)
}

// fillAll marks every pixel of dst missing.
func (r *Reader) fillAll(dst *chunk.Array) {
	if r.info.DType == chunk.Float32 && r.opts.Method != Nearest {
		out := chunk.Elems[float32](dst)
		for row := range dst.Rect.Rows() {
			line := out[row*dst.Stride : row*dst.Stride+dst.Rect.Cols()]
			for i := range line {
				line[i] = float32(math.NaN())
			}
		}
		return
	}
	sz := len(r.fill)
	for row := dst.Rect.Row0; row < dst.Rect.Row1; row++ {
		b := dst.RowBytes(row)
		for i := 0; i < len(b); i += sz {
			copy(b[i:i+sz], r.fill)
		}
	}
}
