package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"chunkpipe/chunk"
)

// Plain, obviously correct whole-array references in float64 with explicit
// padding, against which each kernel is checked within a stated tolerance:
//
//	calibrate    rtol 1e-6, atol 1e-6 (float32 steps vs float64 maths)
//	reflectance  rtol 1e-6
//	bt           rtol 1e-5 (five float32 roundings, log conditioning)
//	blur         rtol 1e-5, atol 1e-6
//	median       rtol 1e-7 (the same values; float32 rounding of the mean of
//	             the two middle values for even counts)
//	coarsen      rtol 1e-6, atol 1e-6

type grid [][]float64

func toGrid(a *chunk.Array) grid {
	g := make(grid, a.Rect.Rows())
	for i := range g {
		g[i] = make([]float64, a.Rect.Cols())
		for j := range g[i] {
			g[i][j] = at(a, a.Rect.Row0+i, a.Rect.Col0+j)
		}
	}
	return g
}

// padded returns x[i][j] with out-of-range indices resolved by b, written
// as the textbook definitions (repeated reflection for wide halos).
func padded(x grid, i, j int, b chunk.Boundary) float64 {
	fix := func(k, n int) (int, bool) {
		for k < 0 || k >= n {
			switch b.Kind {
			case chunk.Reflect:
				if k < 0 {
					k = -k - 1
				} else {
					k = 2*n - 1 - k
				}
			case chunk.Nearest:
				k = min(max(k, 0), n-1)
			default:
				return 0, false
			}
		}
		return k, true
	}
	ii, ok1 := fix(i, len(x))
	jj, ok2 := fix(j, len(x[0]))
	if !ok1 || !ok2 {
		if b.Kind == chunk.Constant {
			return float64(float32(b.Value))
		}
		return math.NaN()
	}
	return x[ii][jj]
}

func refWindow(x grid, i, j, n int, b chunk.Boundary) []float64 {
	var vals []float64
	for di := -n / 2; di <= n/2; di++ {
		for dj := -n / 2; dj <= n/2; dj++ {
			if v := padded(x, i+di, j+dj, b); !math.IsNaN(v) {
				vals = append(vals, v)
			}
		}
	}
	return vals
}

func refBlur(x grid, n int, b chunk.Boundary) grid {
	return mapGrid(x, func(i, j int) float64 {
		vals := refWindow(x, i, j, n, b)
		if len(vals) == 0 {
			return math.NaN()
		}
		s := 0.0
		for _, v := range vals {
			s += v
		}
		return s / float64(len(vals))
	})
}

func refMedian(x grid, n int, b chunk.Boundary) grid {
	return mapGrid(x, func(i, j int) float64 {
		vals := refWindow(x, i, j, n, b)
		sort.Float64s(vals)
		m := len(vals)
		switch {
		case m == 0:
			return math.NaN()
		case m%2 == 1:
			return vals[m/2]
		}
		return (vals[m/2-1] + vals[m/2]) / 2
	})
}

func refCoarsen(x grid, n int) grid {
	out := make(grid, len(x)/n)
	for i := range out {
		out[i] = make([]float64, len(x[0])/n)
		for j := range out[i] {
			s, c := 0.0, 0
			for a := 0; a < n; a++ {
				for b := 0; b < n; b++ {
					if v := x[i*n+a][j*n+b]; !math.IsNaN(v) {
						s += v
						c++
					}
				}
			}
			out[i][j] = math.NaN()
			if c > 0 {
				out[i][j] = s / float64(c)
			}
		}
	}
	return out
}

func mapGrid(x grid, f func(i, j int) float64) grid {
	out := make(grid, len(x))
	for i := range x {
		out[i] = make([]float64, len(x[i]))
		for j := range x[i] {
			out[i][j] = f(i, j)
		}
	}
	return out
}

func compareGrid(t *testing.T, what string, got *chunk.Array, want grid, rtol, atol float64) {
	t.Helper()
	if got.Rect.Rows() != len(want) || (len(want) > 0 && got.Rect.Cols() != len(want[0])) {
		t.Fatalf("%s: output %v, want %dx%d", what, got.Rect, len(want), len(want[0]))
	}
	bad := 0
	for i := range want {
		for j := range want[i] {
			g := at(got, i, j)
			if !close64(g, want[i][j], rtol, atol) {
				if bad < 5 {
					t.Errorf("%s: (%d,%d) = %v, want %v", what, i, j, g, want[i][j])
				}
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d mismatches", what, bad)
	}
}

func TestStencilsAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	bounds := []chunk.Boundary{{}, {Kind: chunk.Nearest}, {Kind: chunk.None}, {Kind: chunk.Constant, Value: -7.5}}
	shapes := []chunk.Shape{{Rows: 1, Cols: 1}, {Rows: 1, Cols: 7}, {Rows: 2, Cols: 3}, {Rows: 5, Cols: 5}, {Rows: 17, Cols: 13}, {Rows: 40, Cols: 33}}
	for _, sh := range shapes {
		vals := randFloat32s(rng, sh.Len(), false)
		for i := range vals {
			if rng.IntN(8) == 0 {
				vals[i] = nan32
			}
		}
		in := f32Array(t, sh.Bounds(), vals...)
		x := toGrid(in)
		for _, b := range bounds {
			for _, n := range []int{1, 3, 5, 7, 9} {
				suffix := ""
				if b != (chunk.Boundary{}) {
					suffix = ":" + b.String()
				}
				name := fmt.Sprintf("%v/blur:%d%s", sh, n, suffix)
				compareGrid(t, name, whole(t, mustChain(t, fmt.Sprintf("blur:%d%s", n, suffix), nil), in), refBlur(x, n, b), 1e-5, 1e-6)
				if n <= 7 {
					name = fmt.Sprintf("%v/median:%d%s", sh, n, suffix)
					compareGrid(t, name, whole(t, mustChain(t, fmt.Sprintf("median:%d%s", n, suffix), nil), in), refMedian(x, n, b), 1e-7, 0)
				}
			}
		}
		for _, n := range []int{1, 2, 3, 4, 5} {
			compareGrid(t, fmt.Sprintf("%v/coarsen:%d", sh, n), whole(t, mustChain(t, fmt.Sprintf("coarsen:%d", n), nil), in), refCoarsen(x, n), 1e-6, 1e-6)
		}
	}
}

func TestElementwiseAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	sh := chunk.Shape{Rows: 37, Cols: 53}
	counts := randCounts(rng, sh.Len(), 0, 4094)
	counts[0], counts[1] = 0, 4094
	in := i16Array(t, sh.Bounds(), counts)
	cal := whole(t, mustChain(t, "calibrate", anchors(t)), in)
	want := make(grid, sh.Rows)
	for i := range want {
		want[i] = make([]float64, sh.Cols)
		for j := range want[i] {
			c := counts[i*sh.Cols+j]
			want[i][j] = float64(c)*float64(float32(AnchorsScaleFactor)) + float64(float32(AnchorsAddOffset))
			if c == -1 {
				want[i][j] = math.NaN()
			}
		}
	}
	compareGrid(t, "calibrate", cal, want, 1e-6, 1e-6)

	rad := toGrid(cal)
	bt := whole(t, mustChain(t, "calibrate,bt", anchors(t)), in)
	compareGrid(t, "calibrate,bt", bt, mapGrid(rad, func(i, j int) float64 {
		return (AnchorsPlanckFK2/math.Log(AnchorsPlanckFK1/rad[i][j]+1) - AnchorsPlanckBC1) / AnchorsPlanckBC2
	}), 1e-5, 0)

	p := anchors(t)
	p.SetFloat("kappa0", 0.0015057, SourceFile)
	refl := whole(t, mustChain(t, "calibrate,reflectance", p), in)
	compareGrid(t, "calibrate,reflectance", refl, mapGrid(rad, func(i, j int) float64 { return rad[i][j] * 0.0015057 }), 1e-6, 0)

	noop := whole(t, mustChain(t, "calibrate,noop", anchors(t)), in)
	sameBits(t, "calibrate,noop", noop, cal)
}

// TestBlurFallback checks the fixed-order path (forced by ±Inf, huge and
// tiny magnitudes) against the reference, and that Inf windows give what
// IEEE sums give.
func TestBlurFallback(t *testing.T) {
	in := f32Array(t, chunk.Rect(0, 0, 3, 4),
		1, 2, 3, 4,
		5, inf32, 7, 8,
		1e30, 1e-30, -inf32, 12)
	k, _ := NewBlur(3, chunk.Boundary{Kind: chunk.None})
	if k.exact(in.Float32s(), in, in.Rect) {
		t.Fatal("exact() = true with ±Inf in the block")
	}
	out := whole(t, mustChain(t, "blur:3:none", nil), in)
	compareGrid(t, "blur:3:none with Inf", out, refBlur(toGrid(in), 3, chunk.Boundary{Kind: chunk.None}), 1e-6, 0)
	if v := at(out, 0, 0); !math.IsInf(v, 1) {
		t.Errorf("(0,0) next to +Inf = %v, want +Inf", v)
	}
	if v := at(out, 1, 1); !math.IsNaN(v) {
		t.Errorf("(1,1) with +Inf and -Inf = %v, want NaN", v)
	}

	wide := f32Array(t, chunk.Rect(0, 0, 2, 2), 1, 1e-30, 3, 1e20)
	if k.exact(wide.Float32s(), wide, wide.Rect) {
		t.Error("exact() = true for magnitudes 1e-30..1e20")
	}
	narrow := f32Array(t, chunk.Rect(0, 0, 2, 2), 1, 0.5, 3, 100)
	if !k.exact(narrow.Float32s(), narrow, narrow.Rect) {
		t.Error("exact() = false for 0.5..100")
	}
}

func TestKernelGeometryErrors(t *testing.T) {
	blur, _ := NewBlur(5, chunk.Boundary{})
	co, _ := NewCoarsen(2)
	cal, _ := NewCalibrate(nil)
	cases := []struct {
		name     string
		k        Kernel
		dst, src *chunk.Array
	}{
		{"blur src lacks halo", blur, chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 4, 4)), chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 4, 4))},
		{"blur int16 src", blur, chunk.NewArray(chunk.Float32, chunk.Rect(2, 2, 3, 3)), chunk.NewArray(chunk.Int16, chunk.Rect(0, 0, 5, 5))},
		{"coarsen src too small", co, chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 2, 2)), chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 3, 4))},
		{"float64 dst", cal, chunk.NewArray(chunk.Float64, chunk.Rect(0, 0, 2, 2)), chunk.NewArray(chunk.Int16, chunk.Rect(0, 0, 2, 2))},
		{"short data", cal, chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 2, 2)), &chunk.Array{DType: chunk.Int16, Rect: chunk.Rect(0, 0, 2, 2), Stride: 2, Data: make([]byte, 6)}},
	}
	for _, c := range cases {
		if err := c.k.Apply(c.dst, c.src, NoPace); err == nil {
			t.Errorf("%s: Apply succeeded", c.name)
		}
	}
}

func TestPacing(t *testing.T) {
	in := f32Array(t, chunk.Rect(0, 0, 6, 5))
	for _, spec := range []string{"bt", "blur:3", "median:3", "noop", "reflectance"} {
		p := withPlanck(nil)
		p.SetFloat("kappa0", 2, SourceFlag)
		k, err := ParseKernel(spec, p)
		if err != nil {
			t.Fatal(err)
		}
		var pc countingPacer
		out := f32Array(t, chunk.Rect(0, 0, 6, 5).Intersect(in.Rect.Grow(-k.Halo())))
		if err := k.Apply(out, in, &pc); err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		if pc.n != out.Rect.Rows() {
			t.Errorf("%s: %d Pace calls for %d rows", spec, pc.n, out.Rect.Rows())
		}
	}
}
