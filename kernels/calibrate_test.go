package kernels

import (
	"math"
	"testing"

	"chunkpipe/chunk"
)

// calibrateOne runs calibrate over a one-row array of dtype t holding raw.
func calibrateOne[T chunk.Number](t *testing.T, dt chunk.DType, p Params, raw ...T) []float32 {
	t.Helper()
	k, err := NewCalibrate(p)
	if err != nil {
		t.Fatal(err)
	}
	src := chunk.NewArray(dt, chunk.Rect(0, 0, 1, len(raw)))
	copy(chunk.Elems[T](src), raw)
	dst := chunk.NewArray(chunk.Float32, src.Rect)
	if err := k.Apply(dst, src, NoPace); err != nil {
		t.Fatal(err)
	}
	return dst.Float32s()
}

func want32(v float64, scale, offset float32) float32 {
	return float32(float32(float32(v)*scale) + offset)
}

func checkDecoded(t *testing.T, name string, got []float32, raw []float64, nanAt map[int]bool, scale, offset float32) {
	t.Helper()
	for i, g := range got {
		if nanAt[i] {
			if g == g {
				t.Errorf("%s: raw %v -> %v, want NaN", name, raw[i], g)
			}
			continue
		}
		if w := want32(raw[i], scale, offset); math.Float32bits(g) != math.Float32bits(w) {
			t.Errorf("%s: raw %v -> %v, want %v", name, raw[i], g, w)
		}
	}
}

// TestCalibrateAnchorsPreset decodes with the synthetic granule's
// constants, which only the "anchors" preset supplies.
func TestCalibrateAnchorsPreset(t *testing.T) {
	s, o := float32(AnchorsScaleFactor), float32(AnchorsAddOffset)
	raw := []int16{-1, 0, 835, 3080, 4094, math.MaxInt16, math.MinInt16}
	got := calibrateOne(t, chunk.Int16, anchors(t), raw...)
	rf := []float64{-1, 0, 835, 3080, 4094, math.MaxInt16, math.MinInt16}
	checkDecoded(t, "int16 anchors", got, rf, map[int]bool{0: true}, s, o)
}

// TestCalibrateWithoutScaleIsIdentity: a variable without scale_factor and
// add_offset is only CF-decoded (fill, valid range), never scaled by the
// synthetic granule's constants; before the preset existed, raw 835 came
// out as 36.54.
func TestCalibrateWithoutScaleIsIdentity(t *testing.T) {
	raw := []int16{-1, 0, 835, 3080, -32768}
	rf := []float64{-1, 0, 835, 3080, -32768}
	checkDecoded(t, "int16 no attributes", calibrateOne(t, chunk.Int16, nil, raw...), rf, nil, 1, 0)
	p := Params{}
	p.SetFloat("_FillValue", -32768, SourceFile)
	p.SetFloats("valid_range", []float64{0, 4000}, SourceFile)
	checkDecoded(t, "int16 fill and range only", calibrateOne(t, chunk.Int16, p, raw...), rf, map[int]bool{0: true, 4: true}, 1, 0)
	lat := []float32{-89.5, 0, 12.25, -999}
	q := Params{}
	q.SetFloat("_FillValue", -999, SourceFile)
	got := calibrateOne(t, chunk.Float32, q, lat...)
	checkDecoded(t, "float32 latitude", got, []float64{-89.5, 0, 12.25, -999}, map[int]bool{3: true}, 1, 0)
}

// TestCalibrateDTypes decodes the same raw values stored as every dtype
// with fill, missing_value and valid_range set.
func TestCalibrateDTypes(t *testing.T) {
	p := Params{}
	p.SetFloat("scale_factor", 0.25, SourceFile)
	p.SetFloat("add_offset", -3, SourceFile)
	p.SetFloat("_FillValue", 7, SourceFile)
	p.SetFloats("missing_value", []float64{9, 11}, SourceFile)
	p.SetFloats("valid_range", []float64{1, 100}, SourceFile)
	rf := []float64{0, 1, 7, 9, 11, 50, 100, 101, 127}
	nanAt := map[int]bool{0: true, 2: true, 3: true, 4: true, 7: true, 8: true}
	run := func(name string, got []float32) { checkDecoded(t, name, got, rf, nanAt, 0.25, -3) }
	run("int8", calibrateOne(t, chunk.Int8, p, conv[int8](rf)...))
	run("uint8", calibrateOne(t, chunk.Uint8, p, conv[uint8](rf)...))
	run("int16", calibrateOne(t, chunk.Int16, p, conv[int16](rf)...))
	run("uint16", calibrateOne(t, chunk.Uint16, p, conv[uint16](rf)...))
	run("int32", calibrateOne(t, chunk.Int32, p, conv[int32](rf)...))
	run("uint32", calibrateOne(t, chunk.Uint32, p, conv[uint32](rf)...))
	run("int64", calibrateOne(t, chunk.Int64, p, conv[int64](rf)...))
	run("uint64", calibrateOne(t, chunk.Uint64, p, conv[uint64](rf)...))
	run("float32", calibrateOne(t, chunk.Float32, p, conv[float32](rf)...))
	run("float64", calibrateOne(t, chunk.Float64, p, conv[float64](rf)...))
}

func conv[T chunk.Number](v []float64) []T {
	out := make([]T, len(v))
	for i, x := range v {
		out[i] = T(x)
	}
	return out
}

func TestCalibrateFloatSpecials(t *testing.T) {
	got := calibrateOne(t, chunk.Float32, anchors(t), nan32, inf32, -inf32, -1, 2)
	if got[0] == got[0] || !math.IsInf(float64(got[1]), 1) || !math.IsInf(float64(got[2]), -1) || got[3] == got[3] {
		t.Errorf("NaN, +Inf, -Inf, fill -> %v", got[:4])
	}
	if got[4] != want32(2, AnchorsScaleFactor, AnchorsAddOffset) {
		t.Errorf("2 -> %v", got[4])
	}
	got64 := calibrateOne(t, chunk.Float64, nil, math.NaN(), 1e300)
	if got64[0] == got64[0] || !math.IsInf(float64(got64[1]), 1) {
		t.Errorf("float64 NaN, 1e300 -> %v", got64)
	}
}

// TestCalibrateUnsigned follows ABI: int16 storage with _Unsigned, fill
// 1023 and valid_range [0, 1022]; a negative int16 is a large count.
func TestCalibrateUnsigned(t *testing.T) {
	p := Params{}
	p.SetFloat("scale_factor", 0.1760585, SourceFile)
	p.SetFloat("add_offset", -5.2392, SourceFile)
	p.SetFloat("_FillValue", 1023, SourceFile)
	p.SetText("_Unsigned", "true", SourceFile)
	p.SetFloats("valid_range", []float64{0, 1022}, SourceFile)
	raw := []int16{0, 203, 1022, 1023, -1}
	got := calibrateOne(t, chunk.Int16, p, raw...)
	checkDecoded(t, "ABI band 16", got, []float64{0, 203, 1022, 1023, 65535}, map[int]bool{3: true, 4: true}, 0.1760585, -5.2392)

	// valid_range [0, -6] and _FillValue -1 mean [0, 65530] and 65535.
	q := Params{}
	q.SetText("_Unsigned", "true", SourceFile)
	q.SetFloat("_FillValue", -1, SourceFile)
	q.SetFloats("valid_range", []float64{0, -6}, SourceFile)
	q.SetFloat("scale_factor", 1, SourceFile)
	q.SetFloat("add_offset", 0, SourceFile)
	got = calibrateOne(t, chunk.Int16, q, []int16{5, -1, -6, -5}...)
	if got[0] != 5 || got[1] == got[1] || got[2] != 65530 || got[3] == got[3] {
		t.Errorf("valid_range [0,-6] unsigned: %v, want [5 NaN 65530 NaN]", got)
	}
	got = calibrateOne(t, chunk.Int32, q, []int32{-1, -2, 3}...)
	if got[0] == got[0] || got[1] == got[1] || got[2] != 3 {
		t.Errorf("int32 unsigned: %v, want [NaN NaN 3] (-2 is 2^32-2, outside the range)", got)
	}
	got = calibrateOne(t, chunk.Int8, q, []int8{-1, -7, 3}...)
	if got[0] == got[0] || got[1] != 249 || got[2] != 3 {
		t.Errorf("int8 unsigned: %v, want [NaN 249 3]", got)
	}
}

// TestCalibrateLUTMatchesDirect checks the 16-bit lookup table against the
// direct loop of the 32-bit path for every int16 and uint16 count.
func TestCalibrateLUTMatchesDirect(t *testing.T) {
	p := Params{}
	p.SetFloats("valid_range", []float64{10, 60000}, SourceFile)
	p.SetFloats("missing_value", []float64{-7}, SourceFile)
	for _, signed := range []bool{true, false} {
		n := 1 << 16
		r := chunk.Rect(0, 0, 256, 256)
		s16 := chunk.NewArray(chunk.Uint16, r)
		s32 := chunk.NewArray(chunk.Int32, r)
		for i := 0; i < n; i++ {
			chunk.Elems[uint16](s16)[i] = uint16(i)
			if signed {
				chunk.Elems[int32](s32)[i] = int32(int16(i))
			} else {
				chunk.Elems[int32](s32)[i] = int32(i)
			}
		}
		if signed {
			s16.DType = chunk.Int16
		}
		k, _ := NewCalibrate(p)
		d16, d32 := chunk.NewArray(chunk.Float32, r), chunk.NewArray(chunk.Float32, r)
		if err := k.Apply(d16, s16, NoPace); err != nil {
			t.Fatal(err)
		}
		if err := k.Apply(d32, s32, NoPace); err != nil {
			t.Fatal(err)
		}
		sameBits(t, "LUT vs direct", d16, d32)
	}
}

func TestCalibrateErrors(t *testing.T) {
	mk := func(f func(p Params)) Params { p := Params{}; f(p); return p }
	cases := []struct {
		name string
		p    Params
	}{
		{"empty range", mk(func(p Params) { p.SetFloats("valid_range", []float64{5, 1}, SourceFile) })},
		{"three-value range", mk(func(p Params) { p.SetFloats("valid_range", []float64{1, 2, 3}, SourceFile) })},
		{"NaN range", mk(func(p Params) { p.SetFloats("valid_range", []float64{math.NaN(), 2}, SourceFile) })},
		{"infinite scale", mk(func(p Params) { p.SetFloat("scale_factor", 1e39, SourceFile) })},
		{"NaN offset", mk(func(p Params) { p.SetFloat("add_offset", math.NaN(), SourceFile) })},
	}
	for _, c := range cases {
		if _, err := NewCalibrate(c.p); err == nil {
			t.Errorf("%s: NewCalibrate succeeded", c.name)
		}
	}
}

func TestBTConstants(t *testing.T) {
	p := Params{}
	p.SetFloat("planck_fk1", 203135, SourceFile)
	p.SetFloat("planck_fk2", 3703.5, SourceFile)
	p.SetFloat("planck_bc1", 0.44554, SourceFile)
	p.SetFloat("planck_bc2", 0.99938, SourceFile)
	k, err := NewBT(p)
	if err != nil {
		t.Fatal(err)
	}
	rads := []float32{0.5, 1, 10, 25, nan32, 0, -1}
	src := f32Array(t, chunk.Rect(0, 0, 1, len(rads)), rads...)
	dst := f32Array(t, src.Rect)
	if err := k.Apply(dst, src, NoPace); err != nil {
		t.Fatal(err)
	}
	for i, rad := range rads[:4] {
		want := (3703.5/math.Log(203135/float64(rad)+1) - 0.44554) / 0.99938
		if g := at(dst, 0, i); !close64(g, want, 1e-5, 0) {
			t.Errorf("bt(%v) = %v, want %v", rad, g, want)
		}
	}
	if g := at(dst, 0, 4); !math.IsNaN(g) {
		t.Errorf("bt(NaN) = %v", g)
	}
	// rad = 0: FK1/0 = +Inf, log = +Inf, FK2/Inf = 0: (0 - BC1)/BC2.
	if g, w := dst.Float32s()[5], float32(float32(0-float32(0.44554))/float32(0.99938)); g != w {
		t.Errorf("bt(0) = %v, want %v", g, w)
	}
	for _, bad := range []struct {
		n string
		v float64
	}{{"planck_bc2", 0}, {"planck_fk2", math.Inf(1)}, {"planck_bc1", -999}} {
		q := Params{}
		q.SetFloat(bad.n, bad.v, SourceFile)
		if _, err := NewBT(q); err == nil {
			t.Errorf("NewBT with %s = %v succeeded", bad.n, bad.v)
		}
	}
}
