package kernels

import (
	"fmt"
	"maps"
	"sync"

	"chunkpipe/chunk"
)

// Chain is a parsed kernel chain: kernels applied in order, optionally
// ending in a [Reducer]. It computes any region of the chain's output
// from the matching region of the input so that the result is
// bit-identical to running every kernel over the whole array at once.
//
// Geometry: stage i maps its input domain D_i to D_{i+1} = D_i / f_i
// (rounded down; D_0 is the input shape). To produce a region R of the
// output, regions are propagated backwards: stage i needs
// R_{i+1}.Scale(f_i).Grow(h_i), of which it reads the part inside D_i;
// the rest is made up from that part with the stage's boundary mode, which
// equals padding the stage's whole input (also when the halo is wider than
// the chunk or the array). A Chain is immutable and safe for concurrent
// use; give each goroutine its own [Scratch].
type Chain struct {
	kernels []Kernel
	reducer Reducer
	text    string
	params  Params // what ParseChain read the kernels' parameters from

	// fusedN is how many kernels from the start form one table lookup on
	// 8- and 16-bit input: calibrate followed by pointwise kernels (0 or 1:
	// no fusion). fused holds their composed tables, built on first use.
	fusedN    int
	fusedOnce [4]sync.Once // int8, uint8, int16, uint16 (after _Unsigned)
	fused     [4][]float32

	// fixed holds the fixed-point form of the table prefix per dtype slot
	// (nil where it has none), built on first use: see runFromCounts.
	fixedOnce [4]sync.Once
	fixed     [4]*fixedTable
}

// pointwise is implemented by kernels that map every float32 element on
// its own, by a function of its value alone (no position, no neighbours):
// after a table-driven calibrate such kernels can be folded into the table.
type pointwise interface {
	Kernel
	mapRow(out, in []float32)
}

// scratchApplier is implemented by this package's kernels: Apply with a
// caller-owned Scratch, so chains do not allocate per chunk.
type scratchApplier interface {
	apply(dst, src *chunk.Array, p Pacer, s *Scratch) error
}

// NewChain returns the chain of ks ending in r (nil for an array output).
// It fails when a kernel is nil or a [RawInput] kernel has a halo (the
// boundary is made up on float32 data).
func NewChain(r Reducer, ks ...Kernel) (*Chain, error) {
	c := &Chain{kernels: append([]Kernel(nil), ks...), reducer: r}
	var names []string
	for i, k := range ks {
		if k == nil {
			return nil, fmt.Errorf("kernels: chain stage %d is nil", i)
		}
		if k.Factor() < 1 || k.Halo() < 0 {
			return nil, fmt.Errorf("kernels: chain stage %q has factor %d and halo %d", k.Name(), k.Factor(), k.Halo())
		}
		if _, raw := k.(RawInput); raw && k.Halo() > 0 {
			return nil, fmt.Errorf("kernels: raw-input kernel %q cannot have a halo", k.Name())
		}
		names = append(names, k.Name())
	}
	if r != nil {
		names = append(names, r.Name())
	}
	if len(ks) > 0 {
		if _, cal := ks[0].(*Calibrate); cal {
			n := 1
			for n < len(ks) {
				if _, pw := ks[n].(pointwise); !pw {
					break
				}
				n++
			}
			if n > 1 {
				c.fusedN = n
			}
		}
	}
	for i, n := range names {
		if i > 0 {
			c.text += ","
		}
		c.text += n
	}
	return c, nil
}

// physicalUnits is implemented by kernels that convert radiance to a
// physical quantity (bt, reflectance): their input must be calibrated.
type physicalUnits interface {
	Kernel
	wantsRadiance()
}

// CheckInput reports an error when the chain cannot mean anything on
// input of dtype t: bt or reflectance first on integer data, which are raw
// counts that calibrate has not turned into radiance (their result would
// be a number per count, not a temperature or reflectance).
func (c *Chain) CheckInput(t chunk.DType) error {
	if len(c.kernels) == 0 || t.IsFloat() {
		return nil
	}
	if k, ok := c.kernels[0].(physicalUnits); ok {
		return fmt.Errorf("kernels: %s takes radiance, but the input is %v raw counts: calibrate them first (-k calibrate,%s)", k.Name(), t, c.text)
	}
	return nil
}

// Params returns a copy of the parameters [ParseChain] built the chain
// from (nil for a chain made by [NewChain]), so that the chain can be
// parsed again elsewhere (a worker process) with the same constants.
func (c *Chain) Params() Params { return maps.Clone(c.params) }

// String returns the chain as it would be typed, e.g. "calibrate,blur:5".
func (c *Chain) String() string { return c.text }

// Kernels returns the chain's kernels in order (a copy of the list).
func (c *Chain) Kernels() []Kernel { return append([]Kernel(nil), c.kernels...) }

// Reducer returns the reducer that ends the chain, or nil when the chain
// ends in an array.
func (c *Chain) Reducer() Reducer { return c.reducer }

// Factor returns the product of the kernels' factors: how many input
// elements along each axis make one output element.
func (c *Chain) Factor() int {
	f := 1
	for _, k := range c.kernels {
		f *= k.Factor()
	}
	return f
}

// OutputShape returns the shape of the chain's output for an input of
// shape in: in / Factor() per axis, rounded down.
func (c *Chain) OutputShape(in chunk.Shape) chunk.Shape {
	f := c.Factor()
	return chunk.Shape{Rows: in.Rows / f, Cols: in.Cols / f}
}

// OutputRegion returns the output region an input chunk region produces,
// in.Shrink(Factor()). Chunk grids whose chunk sizes are multiples of
// Factor() make the output regions of their chunks tile the output.
func (c *Chain) OutputRegion(in chunk.Region) chunk.Region { return in.Shrink(c.Factor()) }

// OutDType returns the dtype of the chain's array output: Float32, or in
// itself for a chain without kernels.
func (c *Chain) OutDType(in chunk.DType) chunk.DType {
	if len(c.kernels) == 0 {
		return in
	}
	return chunk.Float32
}

// plan holds the regions of one run, stage by stage.
type plan struct {
	domain []chunk.Region // D_i: stage i's input domain (i = len: output)
	need   []chunk.Region // what stage i reads, unclipped
	read   []chunk.Region // need clipped to domain
}

// plan back-propagates out through the stages. The slices live in s.
func (c *Chain) plan(out chunk.Region, inShape chunk.Shape, s *Scratch) plan {
	n := len(c.kernels)
	p := plan{domain: s.regions(0, n+1), need: s.regions(1, n+1), read: s.regions(2, n+1)}
	d := inShape.Bounds()
	for i, k := range c.kernels {
		p.domain[i] = d
		f := k.Factor()
		d = chunk.Shape{Rows: d.Rows() / f, Cols: d.Cols() / f}.Bounds()
	}
	p.domain[n] = d
	r := out.Intersect(d)
	p.read[n] = r
	for i := n - 1; i >= 0; i-- {
		k := c.kernels[i]
		p.need[i] = r.Scale(k.Factor()).Grow(k.Halo())
		if r.Empty() {
			p.need[i] = chunk.Region{}
		}
		p.read[i] = p.need[i].Intersect(p.domain[i])
		r = p.read[i]
	}
	if n == 0 {
		p.need[0] = r
	}
	return p
}

// InputRegion returns the region of the input array (clipped to inShape)
// that [Chain.Apply] reads to produce the output region out.
// It is the same back-propagation as plan's, without storing the stages,
// so that it allocates nothing.
func (c *Chain) InputRegion(out chunk.Region, inShape chunk.Shape) chunk.Region {
	n := len(c.kernels)
	if n == 0 {
		return out.Intersect(inShape.Bounds())
	}
	// domain(i) is stage i's input domain: inShape shrunk by the factors of
	// the stages before it.
	domain := func(i int) chunk.Region {
		d := inShape.Bounds()
		for _, k := range c.kernels[:i] {
			f := k.Factor()
			d = chunk.Shape{Rows: d.Rows() / f, Cols: d.Cols() / f}.Bounds()
		}
		return d
	}
	r := out.Intersect(domain(n))
	for i := n - 1; i >= 0; i-- {
		k := c.kernels[i]
		need := r.Scale(k.Factor()).Grow(k.Halo())
		if r.Empty() {
			need = chunk.Region{}
		}
		r = need.Intersect(domain(i))
	}
	return r
}

// Apply computes the chain's output over dst.Rect into dst, whose dtype is
// OutDType(src.DType). src holds the input (in its stored dtype) over at
// least InputRegion(dst.Rect, inShape); inShape is the whole input's
// shape. src is never modified. With a reused s, Apply does not allocate.
func (c *Chain) Apply(dst, src *chunk.Array, inShape chunk.Shape, p Pacer, s *Scratch) error {
	if s == nil {
		s = NewScratch()
	}
	if p == nil {
		p = NoPace
	}
	if want := c.OutDType(src.DType); dst.DType != want {
		return fmt.Errorf("kernels: chain %q: output is %v, want %v", c.text, dst.DType, want)
	}
	if outB := c.OutputShape(inShape).Bounds(); !outB.Contains(dst.Rect) {
		return fmt.Errorf("kernels: chain %q: output region %v is outside the output %v", c.text, dst.Rect, outB)
	}
	pl := c.plan(dst.Rect, inShape, s)
	if !src.Rect.Contains(pl.read[0]) {
		return fmt.Errorf("kernels: chain %q: input %v does not cover %v needed for output %v", c.text, src.Rect, pl.read[0], dst.Rect)
	}
	if dst.Rect.Empty() {
		return nil
	}
	if len(c.kernels) == 0 {
		if dst.DType.Size() != src.DType.Size() {
			return fmt.Errorf("kernels: chain: cannot copy %v into %v", src.DType, dst.DType)
		}
		dst.CopyFrom(src)
		return nil
	}
	return c.run(dst, src, pl, p, s)
}

// fusedTable returns the composed table of the first fusedN kernels for
// raw input of dtype t, or nil when they do not fuse for t. Every entry is
// what the kernels compute one after the other for that raw value, so a
// lookup gives the same bits as running them.
func (c *Chain) fusedTable(t chunk.DType) []float32 {
	if c.fusedN < 2 {
		return nil
	}
	cal := c.kernels[0].(*Calibrate)
	t = cal.effective(t)
	slot := lutSlot(t)
	if slot < 0 {
		return nil
	}
	c.fusedOnce[slot].Do(func() {
		tab := append([]float32(nil), cal.lut(t)...)
		for _, k := range c.kernels[1:c.fusedN] {
			k.(pointwise).mapRow(tab, tab)
		}
		c.fused[slot] = tab
	})
	return c.fused[slot]
}

// run executes the stages forward, writing the last one into dst.
func (c *Chain) run(dst, src *chunk.Array, pl plan, p Pacer, s *Scratch) error {
	cur := src
	owned := -1 // index in s.bufs of the buffer cur is, -1 for the caller's src
	first := 0  // the first kernel the loop below runs
	if done, err := c.runFromCounts(dst, src, pl, p, s); done || err != nil {
		return err
	}
	if tab := c.fusedTable(src.DType); tab != nil {
		// calibrate and the pointwise kernels after it: one lookup.
		n := c.fusedN
		out := dst
		if n < len(c.kernels) {
			out = &s.bufs[0]
			out.Reset(chunk.Float32, pl.read[n])
			owned = 0
		}
		if err := c.kernels[0].(*Calibrate).applyTable(out, src, tab, p); err != nil {
			return err
		}
		if n == len(c.kernels) {
			return nil
		}
		cur, first = out, n
	} else if r, ok := c.kernels[0].(RawInput); !ok || !r.AcceptsRaw(src.DType) {
		if src.DType != chunk.Float32 {
			b := &s.bufs[0]
			b.Reset(chunk.Float32, pl.read[0])
			if err := castFloat32(b, src); err != nil {
				return err
			}
			cur, owned = b, 0
		}
	}
	return c.runFrom(dst, cur, pl, p, s, first, owned)
}

// runFromCounts runs the table prefix (calibrate and the pointwise kernels
// folded into it) together with the block mean or blur that follows it, in
// one pass over 16-bit raw counts with no calibrated intermediate, then
// the rest of the chain. done is false, with nothing written, when the
// chain or the input does not allow it.
func (c *Chain) runFromCounts(dst, src *chunk.Array, pl plan, p Pacer, s *Scratch) (done bool, err error) {
	tab, m := c.prefixTable(src.DType)
	if tab == nil || m >= len(c.kernels) || src.DType.Size() != 2 {
		return false, nil
	}
	out, owned := dst, -1
	if m+1 < len(c.kernels) {
		out, owned = &s.bufs[0], 0
		out.Reset(chunk.Float32, pl.read[m+1])
	}
	ft := c.fixedTable(src.DType, tab)
	switch k := c.kernels[m].(type) {
	case *Coarsen:
		if ft != nil {
			done, err = k.applyFixed(out, src, ft, p, s)
		}
		if !done && err == nil {
			done, err = true, k.applyTable(out, src, tab, p, s)
		}
	case *Blur:
		if ft != nil {
			done, err = k.applyFixed(out, src, ft, pl.domain[m], p, s)
		}
	}
	if !done || err != nil || m+1 == len(c.kernels) {
		return done, err
	}
	return true, c.runFrom(dst, out, pl, p, s, m+1, owned)
}

// fixedTable returns the fixed-point form of tab, the table prefix for
// raw input of dtype t, built once per chain and dtype; nil when the table
// has none.
func (c *Chain) fixedTable(t chunk.DType, tab []float32) *fixedTable {
	slot := lutSlot(c.kernels[0].(*Calibrate).effective(t))
	if slot < 0 {
		return nil
	}
	c.fixedOnce[slot].Do(func() { c.fixed[slot] = newFixedTable(tab) })
	return c.fixed[slot]
}

// runFrom runs kernels first.. on cur (whose buffer index in s.bufs is
// owned, -1 for the caller's src), writing the last one into dst.
func (c *Chain) runFrom(dst, cur *chunk.Array, pl plan, p Pacer, s *Scratch, first, owned int) error {
	last := len(c.kernels) - 1
	for i := first; i <= last; i++ {
		k := c.kernels[i]
		in := cur
		if k.Halo() > 0 && pl.need[i] != pl.read[i] {
			s.ext.Reset(chunk.Float32, pl.need[i])
			if err := k.Boundary().Extend(&s.ext, cur, pl.domain[i]); err != nil {
				return fmt.Errorf("kernels: chain stage %q: %w", k.Name(), err)
			}
			in = &s.ext
		}
		var out *chunk.Array
		next := owned
		switch {
		case i == last:
			out = dst
		case owned >= 0 && in == cur && k.Halo() == 0 && k.Factor() == 1:
			out = cur // elementwise: in place
		default:
			next = (max(owned, 0) + 1) % len(s.bufs)
			out = &s.bufs[next]
			out.Reset(chunk.Float32, pl.read[i+1])
		}
		if err := applyKernel(k, out, in, p, s); err != nil {
			return err
		}
		cur, owned = out, next
	}
	return nil
}

// applyKernel runs k with the scratch space when it can use it.
func applyKernel(k Kernel, dst, src *chunk.Array, p Pacer, s *Scratch) error {
	if a, ok := k.(scratchApplier); ok {
		return a.apply(dst, src, p, s)
	}
	return k.Apply(dst, src, p)
}

// Reduce computes the chain's kernels over the output region out (the
// region of the reducer's input this chunk contributes; normally
// OutputRegion of the input chunk's region) and folds the result into
// part with its Add. src holds the input over at least
// InputRegion(out, inShape). Partials of chunks whose out regions tile the
// output merge, in any grouping, to the whole-array result.
func (c *Chain) Reduce(part Partial, out chunk.Region, src *chunk.Array, inShape chunk.Shape, p Pacer, s *Scratch) error {
	if c.reducer == nil {
		return fmt.Errorf("kernels: chain %q has no reducer", c.text)
	}
	if part == nil {
		return fmt.Errorf("kernels: chain %q: nil partial", c.text)
	}
	if s == nil {
		s = NewScratch()
	}
	if p == nil {
		p = NoPace
	}
	if len(c.kernels) == 0 {
		if !src.Rect.Contains(out) || !inShape.Bounds().Contains(out) {
			return fmt.Errorf("kernels: chain %q: input %v does not cover %v", c.text, src.Rect, out)
		}
		if out.Empty() {
			return nil
		}
		s.res.Reset(chunk.Float32, out)
		if err := castFloat32(&s.res, src); err != nil {
			return err
		}
		part.Add(&s.res, p)
		return nil
	}
	if done, err := c.reduceByCounts(part, out, src, p, s); done || err != nil {
		return err
	}
	s.res.Reset(chunk.Float32, out)
	if err := c.Apply(&s.res, src, inShape, p, s); err != nil {
		return err
	}
	if !out.Empty() {
		part.Add(&s.res, p)
	}
	return nil
}

// prefixTable returns the table that maps a raw 8- or 16-bit value of type
// t to the output of the chain's first m kernels (calibrate, and the
// pointwise kernels folded into it), or nil.
func (c *Chain) prefixTable(t chunk.DType) (tab []float32, m int) {
	if c.fusedN >= 2 {
		if tab := c.fusedTable(t); tab != nil {
			return tab, c.fusedN
		}
	}
	if len(c.kernels) == 0 {
		return nil, 0
	}
	cal, ok := c.kernels[0].(*Calibrate)
	if !ok {
		return nil, 0
	}
	et := cal.effective(t)
	if lutSlot(et) < 0 {
		return nil, 0
	}
	return cal.lut(et), 1
}
