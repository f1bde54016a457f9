package bandmath

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/kernels"
)

// The grid choices of [NewSource] besides an input name.
const (
	GridCoarsest = "coarsest" // the input with the fewest elements
	GridFinest   = "finest"   // the input with the most elements
)

// Input is one named input array of a multi-band run: an open reader and
// the parameters its calibration and kernels read (CF attributes, ABI
// scalar variables; see [ParamsOf]).
type Input struct {
	Name   string
	Reader formats.Reader
	Params kernels.Params
}

// Source reads a region of the target grid from every input: plane k of
// the destination gets input Names()[k], calibrated to float32 and brought
// onto the target grid. It implements the pipeline's Source interface.
//
// An input f times finer than the target is reduced by the NaN-ignoring
// f x f block mean of kernels.Coarsen (NaN where a block has no valid
// value); an input f times coarser is repeated f x f times. Only the part
// of each input under the region is read.
//
// ReadRegion is safe for concurrent use when the readers are; [Source.Order]
// is not, and must come before reading.
type Source struct {
	shape   chunk.Shape
	storage chunk.Shape
	target  string
	inputs  []*source // in NewSource order
	order   []*source // by plane
	pool    sync.Pool // *readBufs
}

// source is one input with its geometry relative to the target.
type source struct {
	Input
	info    formats.Info
	cal     *kernels.Calibrate
	down    int              // > 1: f times finer than the target (block mean)
	up      int              // > 1: f times coarser than the target (repeat)
	coarsen *kernels.Coarsen // when down > 1
}

// readBufs are one ReadRegion call's buffers.
type readBufs struct {
	raw, cal, plane chunk.Array
}

// NewSource checks the inputs and picks the target grid: grid is
// [GridCoarsest], [GridFinest] or an input's name, and the target shape is
// that input's shape. Every other input's shape must be the target's times
// or divided by one whole factor, the same on both axes. Names must be
// distinct and valid in expressions ([ValidName]). The planes are the
// inputs in the given order until [Source.Order] says otherwise.
func NewSource(inputs []Input, grid string) (*Source, error) {
	if len(inputs) == 0 {
		return nil, fmt.Errorf("bandmath: no inputs")
	}
	s := &Source{}
	seen := map[string]bool{}
	for i, in := range inputs {
		switch {
		case !ValidName(in.Name):
			return nil, fmt.Errorf("bandmath: input %d: name %q is not a valid expression name (letters, digits and _, not starting with a digit)", i, in.Name)
		case seen[in.Name]:
			return nil, fmt.Errorf("bandmath: input name %q given twice", in.Name)
		case in.Reader == nil:
			return nil, fmt.Errorf("bandmath: input %s has no reader", in.Name)
		}
		seen[in.Name] = true
		info := in.Reader.Info()
		if info.Shape.Rows <= 0 || info.Shape.Cols <= 0 {
			return nil, fmt.Errorf("bandmath: input %s has empty shape %v", in.Name, info.Shape)
		}
		cal, err := kernels.NewCalibrate(in.Params)
		if err != nil {
			return nil, fmt.Errorf("bandmath: input %s: %w", in.Name, err)
		}
		s.inputs = append(s.inputs, &source{Input: in, info: info, cal: cal, down: 1, up: 1})
	}
	t, err := s.pick(grid)
	if err != nil {
		return nil, err
	}
	s.shape, s.target = t.info.Shape, t.Name
	finest := s.inputs[0]
	for _, in := range s.inputs {
		if err := s.relate(in, t); err != nil {
			return nil, err
		}
		if in.info.Shape.Len() > finest.info.Shape.Len() {
			finest = in
		}
	}
	s.storage = mapStorage(finest)
	s.order = s.inputs
	s.pool.New = func() any { return new(readBufs) }
	return s, nil
}

// pick returns the target input for grid.
func (s *Source) pick(grid string) (*source, error) {
	var t *source
	switch grid {
	case GridCoarsest, GridFinest:
		for _, in := range s.inputs {
			n := in.info.Shape.Len()
			if t == nil || grid == GridCoarsest && n < t.info.Shape.Len() || grid == GridFinest && n > t.info.Shape.Len() {
				t = in
			}
		}
		return t, nil
	}
	for _, in := range s.inputs {
		if in.Name == grid {
			return in, nil
		}
	}
	return nil, fmt.Errorf("bandmath: grid %q: want %q, %q or an input name (%s)", grid, GridCoarsest, GridFinest, strings.Join(s.names(s.inputs), ", "))
}

// relate sets in's factor relative to the target t.
func (s *Source) relate(in, t *source) error {
	a, b := in.info.Shape, t.info.Shape
	switch {
	case a == b:
		return nil
	case a.Rows%b.Rows == 0 && a.Cols%b.Cols == 0 && a.Rows/b.Rows == a.Cols/b.Cols:
		in.down = a.Rows / b.Rows
		k, err := kernels.NewCoarsen(in.down)
		if err != nil {
			return fmt.Errorf("bandmath: input %s (%v) onto %s (%v): %w", in.Name, a, t.Name, b, err)
		}
		in.coarsen = k
		return nil
	case b.Rows%a.Rows == 0 && b.Cols%a.Cols == 0 && b.Rows/a.Rows == b.Cols/a.Cols:
		in.up = b.Rows / a.Rows
		return nil
	}
	return fmt.Errorf("bandmath: %s is %v and %s is %v: the shapes are not whole multiples of each other (same factor on both axes)", in.Name, a, t.Name, b)
}

// mapStorage maps the storage chunk of the finest input to target
// coordinates, rounding up.
func mapStorage(in *source) chunk.Shape {
	st := in.info.Storage
	if st.Rows <= 0 || st.Cols <= 0 {
		return chunk.Shape{}
	}
	f := in.down
	return chunk.Shape{Rows: (st.Rows + f - 1) / f, Cols: (st.Cols + f - 1) / f}
}

func (s *Source) names(list []*source) []string {
	out := make([]string, len(list))
	for i, in := range list {
		out[i] = in.Name
	}
	return out
}

// Order makes the planes the named inputs in that order (a [Program]'s
// Inputs()); inputs not named are not read. Every name must be an input
// and appear once. Order must not run concurrently with ReadRegion.
func (s *Source) Order(names []string) error {
	if len(names) == 0 {
		return fmt.Errorf("bandmath: no inputs to read")
	}
	order := make([]*source, 0, len(names))
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			return fmt.Errorf("bandmath: input %q named twice", n)
		}
		seen[n] = true
		var found *source
		for _, in := range s.inputs {
			if in.Name == n {
				found = in
			}
		}
		if found == nil {
			return fmt.Errorf("bandmath: no input named %q (have %s)", n, strings.Join(s.names(s.inputs), ", "))
		}
		order = append(order, found)
	}
	s.order = order
	return nil
}

// Names returns the input name of each plane, in plane order.
func (s *Source) Names() []string { return s.names(s.order) }

// Target returns the name of the input whose shape is the target grid.
func (s *Source) Target() string { return s.target }

// Shape returns the target grid's shape.
func (s *Source) Shape() chunk.Shape { return s.shape }

// Storage returns the finest input's storage chunk in target coordinates
// (divided by its factor, rounded up), for aligning compute chunks with
// storage; zero when that input is stored contiguously.
func (s *Source) Storage() chunk.Shape { return s.storage }

// Planes returns the number of planes ReadRegion writes.
func (s *Source) Planes() int { return len(s.order) }

// Factor returns how input name relates to the target grid: down > 1 when
// it is down times finer (block-averaged), up > 1 when it is up times
// coarser (repeated), both 1 when it is the target's shape.
func (s *Source) Factor(name string) (down, up int, ok bool) {
	for _, in := range s.inputs {
		if in.Name == name {
			return in.down, in.up, true
		}
	}
	return 0, 0, false
}

// ReadRegion reads region r of the target grid into dst: a Float32 array
// with Rect r and Planes() planes (the caller sizes it, e.g. with
// chunk.Array.ResetPlanes). Errors name the input.
func (s *Source) ReadRegion(ctx context.Context, r chunk.Region, dst *chunk.Array) error {
	if !s.shape.Bounds().Contains(r) {
		return fmt.Errorf("bandmath: region %v is outside the grid %v", r, s.shape)
	}
	if dst == nil || dst.DType != chunk.Float32 || dst.Rect != r || dst.NumPlanes() != len(s.order) {
		return fmt.Errorf("bandmath: destination must be float32 over %v with %d planes", r, len(s.order))
	}
	if _, _, err := floats(dst, len(s.order)); err != nil {
		return fmt.Errorf("bandmath: destination: %w", err)
	}
	if r.Empty() {
		return nil
	}
	b := s.pool.Get().(*readBufs)
	defer s.pool.Put(b)
	n := dst.Stride * r.Rows() * 4
	for k, in := range s.order {
		if err := ctx.Err(); err != nil {
			return err
		}
		b.plane = chunk.Array{DType: chunk.Float32, Rect: r, Stride: dst.Stride,
			Data: dst.Data[k*n : min((k+1)*n, len(dst.Data))]}
		if err := in.read(ctx, r, &b.plane, b); err != nil {
			return err
		}
	}
	return nil
}

// region returns the region of the input under target region r.
func (in *source) region(r chunk.Region) chunk.Region {
	switch {
	case in.down > 1:
		return r.Scale(in.down)
	case in.up > 1:
		f := in.up
		return chunk.Region{Row0: r.Row0 / f, Col0: r.Col0 / f, Row1: (r.Row1 + f - 1) / f, Col1: (r.Col1 + f - 1) / f}
	}
	return r
}

// read fills plane (Rect r) with the input's calibrated values on the
// target grid.
func (in *source) read(ctx context.Context, r chunk.Region, plane *chunk.Array, b *readBufs) error {
	ir := in.region(r)
	b.raw.Reset(in.info.DType, ir)
	if err := in.Reader.ReadRegion(ctx, ir, &b.raw); err != nil {
		return fmt.Errorf("bandmath: reading %s %v: %w", in.Name, ir, err)
	}
	if in.down == 1 && in.up == 1 {
		if err := in.cal.Apply(plane, &b.raw, kernels.NoPace); err != nil {
			return fmt.Errorf("bandmath: calibrating %s: %w", in.Name, err)
		}
		return nil
	}
	b.cal.Reset(chunk.Float32, ir)
	if err := in.cal.Apply(&b.cal, &b.raw, kernels.NoPace); err != nil {
		return fmt.Errorf("bandmath: calibrating %s: %w", in.Name, err)
	}
	if in.down > 1 {
		if err := in.coarsen.Apply(plane, &b.cal, kernels.NoPace); err != nil {
			return fmt.Errorf("bandmath: averaging %s: %w", in.Name, err)
		}
		return nil
	}
	return replicate(plane, &b.cal, in.up)
}
