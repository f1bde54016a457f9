package kernels

import (
	"fmt"
	"math"
	"strings"
	"sync"

	"chunkpipe/chunk"
)

// Calibrate is the CF decoding kernel: raw counts to radiance.
//
//	raw' = raw reinterpreted as unsigned        if _Unsigned == "true"
//	rad  = NaN                                  if raw' is _FillValue or a missing_value,
//	                                            or outside valid_range (valid_min, valid_max)
//	rad  = float32(float32(float32(raw')*scale_factor) + add_offset)   otherwise
//
// scale_factor and add_offset are rounded to float32 first, and every
// operation is rounded to float32 on its own (no fused multiply-add), as
// numpy computes it. With _Unsigned, negative _FillValue, missing_value and
// valid_range values are reinterpreted as unsigned too (netCDF4-python
// does the same). Absent parameters are the identity of CF decoding, as
// xarray's decode_cf reads them: scale_factor 1, add_offset 0, no
// _FillValue, no missing_value, no valid range. On a variable without
// scale_factor and add_offset (MODIS L2P lat/lon, a radar's float field)
// calibrate only turns fill and out-of-range values into NaN. The
// synthetic granule's constants come only from its own attributes or from
// the "anchors" [Preset].
// Comparisons are made in float64, so they are exact for every type but
// 64-bit integers beyond 2^53.
//
// Calibrate takes every stored dtype ([RawInput]); float inputs keep NaN.
// 8- and 16-bit inputs go through a lookup table of every possible count,
// built once per kernel and dtype. Calibrate is safe for concurrent use.
type Calibrate struct {
	scale, offset float32
	fills         []float64 // _FillValue and missing_value (raw domain, signed)
	lo, hi        float64   // valid range (raw domain, signed)
	unsigned      bool

	udom  [9]domainVals // by element size: the unsigned value domain
	dom32 calDomain32   // the float32 form of fills, lo and hi (float input)

	lutOnce [4]sync.Once // int8, uint8, int16, uint16
	luts    [4][]float32
}

// domainVals is the fill values and valid range in one value domain.
type domainVals struct {
	fills  []float64
	lo, hi float64
}

var (
	_ Kernel   = (*Calibrate)(nil)
	_ RawInput = (*Calibrate)(nil)
)

// NewCalibrate builds the kernel from the CF parameters in p (see
// [Calibrate]). It fails on a valid_range that is not two numbers, on an
// empty valid range (lo > hi without _Unsigned), and on a scale_factor or add_offset that is not finite.
func NewCalibrate(p Params) (*Calibrate, error) {
	c := &Calibrate{scale: 1, offset: 0, lo: math.Inf(-1), hi: math.Inf(1)}
	// A CF attribute that is present but not numeric (scale_factor =
	// "0.5 W m-2") is an error, never a silent fall back to the identity.
	for _, name := range []string{"scale_factor", "add_offset", "_FillValue", "missing_value", "valid_range", "valid_min", "valid_max"} {
		if q, ok := p[name]; ok && len(q.Values) == 0 {
			return nil, fmt.Errorf("kernels: calibrate: %s = %q (%s) is not a number", name, q.Text, q.Source)
		}
	}
	if v, ok := p.Float("scale_factor"); ok {
		c.scale = float32(v)
	}
	if v, ok := p.Float("add_offset"); ok {
		c.offset = float32(v)
	}
	if isInf32(c.scale) || isInf32(c.offset) || c.scale != c.scale || c.offset != c.offset {
		return nil, fmt.Errorf("kernels: calibrate: scale_factor %v and add_offset %v must be finite float32 values", c.scale, c.offset)
	}
	if v, ok := p.Float("_FillValue"); ok {
		c.fills = append(c.fills, v)
	}
	if vs, ok := p.Floats("missing_value"); ok {
		c.fills = append(c.fills, vs...)
	}
	if t, ok := p.Text("_Unsigned"); ok {
		c.unsigned = strings.EqualFold(strings.TrimSpace(t), "true")
	}
	if vs, ok := p.Floats("valid_range"); ok {
		if len(vs) != 2 || vs[0] != vs[0] || vs[1] != vs[1] {
			return nil, fmt.Errorf("kernels: calibrate: valid_range %v must be two numbers", vs)
		}
		c.lo, c.hi = vs[0], vs[1]
	}
	if v, ok := p.Float("valid_min"); ok {
		c.lo = v
	}
	if v, ok := p.Float("valid_max"); ok {
		c.hi = v
	}
	// With _Unsigned, [0, -6] is a valid range ([0, 65530] for int16).
	if c.lo > c.hi && !c.unsigned {
		return nil, fmt.Errorf("kernels: calibrate: valid range [%v, %v] is empty", c.lo, c.hi)
	}
	for _, sz := range []int{1, 2, 4, 8} {
		c.udom[sz] = c.unsignedDomain(sz)
	}
	c.dom32 = newCalDomain32(c.fills, c.lo, c.hi)
	return c, nil
}

// calDomain32 is decode's fill and range test in float32 comparisons,
// for float32 input: for every float32 x, including NaN and ±Inf,
//
//	x < lo || x > hi || x == fills[i] (float32)
//
// holds exactly when decode's float64 test on float64(x) does. lo is the
// smallest float32 >= the float64 bound (x < bound iff x < lo, since no
// float32 lies between them), hi the largest float32 <= its bound, and
// fills keeps the fill values float32 can hold (no float32 equals the
// others). NaN bounds stay NaN, which no comparison meets.
type calDomain32 struct {
	lo, hi float32
	fills  []float32
}

// newCalDomain32 converts a float64 domain to calDomain32.
func newCalDomain32(fills []float64, lo, hi float64) calDomain32 {
	d := calDomain32{lo: float32(lo), hi: float32(hi)}
	if float64(d.lo) < lo {
		d.lo = math.Nextafter32(d.lo, float32(math.Inf(1)))
	}
	if float64(d.hi) > hi {
		d.hi = math.Nextafter32(d.hi, float32(math.Inf(-1)))
	}
	for _, f := range fills {
		if float64(float32(f)) == f {
			d.fills = append(d.fills, float32(f))
		}
	}
	return d
}

func isInf32(x float32) bool { return x > math.MaxFloat32 || x < -math.MaxFloat32 }

// Name returns "calibrate".
func (c *Calibrate) Name() string { return "calibrate" }

// Halo returns 0: calibrate is elementwise.
func (c *Calibrate) Halo() int { return 0 }

// Factor returns 1.
func (c *Calibrate) Factor() int { return 1 }

// Boundary returns the zero Boundary (unused: no halo).
func (c *Calibrate) Boundary() chunk.Boundary { return chunk.Boundary{} }

// AcceptsRaw reports true for every valid dtype.
func (c *Calibrate) AcceptsRaw(t chunk.DType) bool { return t != chunk.Invalid && t.Size() > 0 }

// Apply decodes src (any dtype) into dst (Float32) over dst.Rect.
func (c *Calibrate) Apply(dst, src *chunk.Array, p Pacer) error {
	return c.apply(dst, src, p, nil)
}

// effective maps a signed integer dtype to the unsigned type of the
// same size when _Unsigned is set, so the data can be viewed as that type.
func (c *Calibrate) effective(t chunk.DType) chunk.DType {
	if !c.unsigned {
		return t
	}
	switch t {
	case chunk.Int8:
		return chunk.Uint8
	case chunk.Int16:
		return chunk.Uint16
	case chunk.Int32:
		return chunk.Uint32
	case chunk.Int64:
		return chunk.Uint64
	}
	return t
}

// domain returns the fill values and valid range as seen in dtype t's
// value domain: with _Unsigned, negative values of a b-bit type become
// value + 2^b.
func (c *Calibrate) domain(t chunk.DType) (fills []float64, lo, hi float64) {
	if !c.unsigned || t.IsFloat() || t.IsSigned() {
		return c.fills, c.lo, c.hi
	}
	d := c.udom[t.Size()]
	return d.fills, d.lo, d.hi
}

// unsignedDomain maps the fill values and valid range of c into the value
// domain of an unsigned type of sz bytes.
func (c *Calibrate) unsignedDomain(sz int) domainVals {
	wrap := math.Ldexp(1, 8*sz)
	u := func(v float64) float64 {
		if v < 0 && !math.IsInf(v, 0) {
			return v + wrap
		}
		return v
	}
	out := make([]float64, len(c.fills))
	for i, v := range c.fills {
		out[i] = u(v)
	}
	return domainVals{fills: out, lo: u(c.lo), hi: u(c.hi)}
}

// decode is the scalar definition every fast path must agree with; v is
// the raw value already in the (possibly unsigned) domain, x the same
// value rounded to float32 directly from the stored type.
func decode(v float64, x, scale, offset float32, fills []float64, lo, hi float64) float32 {
	for _, f := range fills {
		if v == f {
			return float32(math.NaN())
		}
	}
	if v < lo || v > hi {
		return float32(math.NaN())
	}
	return float32(float32(x*scale) + offset)
}

// lutSlot returns the table slot of an 8- or 16-bit dtype (already mapped
// by effective), or -1.
func lutSlot(t chunk.DType) int {
	switch t {
	case chunk.Int8:
		return 0
	case chunk.Uint8:
		return 1
	case chunk.Int16:
		return 2
	case chunk.Uint16:
		return 3
	}
	return -1
}

// applyTable decodes 8- or 16-bit src into dst through tab, a table
// indexed by the raw bits (a calibrate table, or one composed with the
// pointwise kernels after it).
func (c *Calibrate) applyTable(dst, src *chunk.Array, tab []float32, p Pacer) error {
	if err := checkGeom("calibrate", dst, src, 1, 0, true); err != nil {
		return err
	}
	d, err := view[float32](dst)
	if err != nil {
		return err
	}
	s := *src
	s.DType = c.effective(src.DType)
	switch s.DType {
	case chunk.Int8, chunk.Uint8:
		return lutRows[uint8](d, dst, &s, tab, p)
	case chunk.Int16, chunk.Uint16:
		return lutRows[uint16](d, dst, &s, tab, p)
	}
	return fmt.Errorf("kernels: calibrate: no table for dtype %v", src.DType)
}

// lut returns the table of decoded values for an 8- or 16-bit dtype
// (already mapped by effective), indexed by the raw bits.
func (c *Calibrate) lut(t chunk.DType) []float32 {
	var slot, n int
	switch t {
	case chunk.Int8:
		slot, n = 0, 1<<8
	case chunk.Uint8:
		slot, n = 1, 1<<8
	case chunk.Int16:
		slot, n = 2, 1<<16
	case chunk.Uint16:
		slot, n = 3, 1<<16
	}
	c.lutOnce[slot].Do(func() {
		fills, lo, hi := c.domain(t)
		tab := make([]float32, n)
		for i := range tab {
			var v float64
			switch t {
			case chunk.Int8:
				v = float64(int8(i))
			case chunk.Int16:
				v = float64(int16(i))
			default:
				v = float64(i)
			}
			tab[i] = decode(v, float32(v), c.scale, c.offset, fills, lo, hi)
		}
		c.luts[slot] = tab
	})
	return c.luts[slot]
}

func (c *Calibrate) apply(dst, src *chunk.Array, p Pacer, _ *Scratch) error {
	if err := checkGeom("calibrate", dst, src, 1, 0, true); err != nil {
		return err
	}
	if !c.AcceptsRaw(src.DType) {
		return fmt.Errorf("kernels: calibrate: unsupported source dtype %v", src.DType)
	}
	d, err := view[float32](dst)
	if err != nil {
		return err
	}
	t := c.effective(src.DType)
	s := *src
	s.DType = t // same size: view signed storage as unsigned for _Unsigned
	switch t {
	case chunk.Int8:
		return lutRows[uint8](d, dst, &s, c.lut(t), p)
	case chunk.Uint8:
		return lutRows[uint8](d, dst, &s, c.lut(t), p)
	case chunk.Int16:
		return lutRows[uint16](d, dst, &s, c.lut(t), p)
	case chunk.Uint16:
		return lutRows[uint16](d, dst, &s, c.lut(t), p)
	case chunk.Int32:
		return calRows[int32](c, d, dst, &s, p)
	case chunk.Uint32:
		return calRows[uint32](c, d, dst, &s, p)
	case chunk.Int64:
		return calRows[int64](c, d, dst, &s, p)
	case chunk.Uint64:
		return calRows[uint64](c, d, dst, &s, p)
	case chunk.Float32:
		return calRows[float32](c, d, dst, &s, p)
	case chunk.Float64:
		return calRows[float64](c, d, dst, &s, p)
	}
	return fmt.Errorf("kernels: calibrate: unsupported source dtype %v", src.DType)
}

// lutRows decodes 8- or 16-bit rows through a table indexed by the raw
// bits (U is the unsigned type of the storage size).
func lutRows[U uint8 | uint16](d []float32, dst, src *chunk.Array, tab []float32, p Pacer) error {
	s, err := view[U](src)
	if err != nil {
		return err
	}
	cols := dst.Rect.Cols()
	for r := dst.Rect.Row0; r < dst.Rect.Row1; r++ {
		out := row(d, dst, r, dst.Rect.Col0, cols)
		in := row(s, src, r, dst.Rect.Col0, cols)
		in = in[:len(out)]
		if len(tab) == 1<<16 {
			tab := tab[:1<<16]
			for i, x := range in {
				out[i] = tab[uint16(x)]
			}
		} else {
			tab := tab[:1<<8]
			for i, x := range in {
				out[i] = tab[uint8(x)]
			}
		}
		p.Pace()
	}
	return nil
}

// calRows decodes rows of 32- and 64-bit integers and floats.
func calRows[T int32 | uint32 | int64 | uint64 | float32 | float64](c *Calibrate, d []float32, dst, src *chunk.Array, p Pacer) error {
	s, err := view[T](src)
	if err != nil {
		return err
	}
	fills, lo, hi := c.domain(src.DType)
	scale, offset := c.scale, c.offset
	cols := dst.Rect.Cols()
	for r := dst.Rect.Row0; r < dst.Rect.Row1; r++ {
		out := row(d, dst, r, dst.Rect.Col0, cols)
		in := row(s, src, r, dst.Rect.Col0, cols)
		in = in[:len(out)]
		done := 0
		if f, ok := any(in).([]float32); ok {
			done = calibrateF32Vec(out, f, scale, offset, &c.dom32)
		}
		for i := done; i < len(in); i++ {
			x := in[i]
			out[i] = decode(float64(x), float32(x), scale, offset, fills, lo, hi)
		}
		p.Pace()
	}
	return nil
}
