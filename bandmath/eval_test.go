package bandmath

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

var abc = map[string]kernels.Params{"a": nil, "b": nil, "c": nil}

// TestEvalReference compares the evaluator with a plain per-element
// float64 computation written independently of the parser.
func TestEvalReference(t *testing.T) {
	b2f := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	tests := []struct {
		src string
		ref func(a, b, c float64) float64
	}{
		{"a + b", func(a, b, c float64) float64 { return a + b }},
		{"a * b + c", func(a, b, c float64) float64 { return a*b + c }},
		{"(a + b) / (b - c)", func(a, b, c float64) float64 { return (a + b) / (b - c) }},
		{"-a * 2.5 - 1e-3", func(a, b, c float64) float64 { return -a*2.5 - 1e-3 }},
		{"a / b / 3", func(a, b, c float64) float64 { return a / b / 3 }},
		{"sqrt(b) + log(a)", func(a, b, c float64) float64 { return math.Sqrt(b) + math.Log(a) }},
		{"abs(c) * b", func(a, b, c float64) float64 { return math.Abs(c) * b }},
		{"min(a, c) + max(b, 4)", func(a, b, c float64) float64 { return math.Min(a, c) + math.Max(b, 4) }},
		{"clip(c, -0.5, 0.5)", func(a, b, c float64) float64 { return math.Min(math.Max(c, -0.5), 0.5) }},
		{"where(c > 0, a, b)", func(a, b, c float64) float64 {
			if c > 0 {
				return a
			}
			return b
		}},
		{"(a < 1.5) + 2*(b >= 4) + 4*(c <= 0) + 8*(c != c) + 16*(a == a)", func(a, b, c float64) float64 {
			return b2f(a < 1.5) + 2*b2f(b >= 4) + 4*b2f(c <= 0) + 16
		}},
		{"where(a > 1.5, sqrt(a * b), -log(b)) * (c + 2)", func(a, b, c float64) float64 {
			v := -math.Log(b)
			if a > 1.5 {
				v = math.Sqrt(a * b)
			}
			return v * (c + 2)
		}},
		{"a + a * a + a", func(a, b, c float64) float64 { return a + a*a + a }},
		{"7", func(a, b, c float64) float64 { return 7 }},
		{"calibrate(b)", func(a, b, c float64) float64 { return b }},
	}
	r := chunk.Rect(3, 5, 40, 600) // several blocks per row, a ragged last one
	rng := rand.New(rand.NewPCG(1, 1))
	planes := planesOf(r, 3, func(k, _, _ int) float32 {
		switch k {
		case 0:
			return 1 + rng.Float32() // a in [1, 2)
		case 1:
			return 3 + 2*rng.Float32() // b in [3, 5)
		}
		return 2*rng.Float32() - 1 // c in [-1, 1)
	})
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p := mustCompile(t, tt.src, abc)
			// Reorder the planes as the program wants them.
			idx := map[string]int{"a": 0, "b": 1, "c": 2}
			in := planesOf(r, max(len(p.Inputs()), 1), func(k, row, col int) float32 {
				if k >= len(p.Inputs()) {
					return 0
				}
				return at(planes, idx[p.Inputs()[k]], row, col)
			})
			if len(p.Inputs()) == 0 {
				in = nil
			}
			dst := chunk.NewArray(chunk.Float32, r)
			if err := p.Eval(dst, in); err != nil {
				t.Fatal(err)
			}
			for row := r.Row0; row < r.Row1; row++ {
				for col := r.Col0; col < r.Col1; col++ {
					a, b, c := float64(at(planes, 0, row, col)), float64(at(planes, 1, row, col)), float64(at(planes, 2, row, col))
					want := tt.ref(a, b, c)
					got := float64(at(dst, 0, row, col))
					if math.Abs(got-want) > 1e-6*math.Abs(want) {
						t.Fatalf("(%d,%d) a=%v b=%v c=%v: got %v, want %v", row, col, a, b, c, got, want)
					}
				}
			}
		})
	}
}

// TestEvalSpecialValues pins numpy's float32 semantics for NaN, infinities
// and zero, element by element.
func TestEvalSpecialValues(t *testing.T) {
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	tests := []struct {
		src  string
		a, b float32
		want float32
	}{
		{"a + b", nan, 1, nan},
		{"a / b", 1, 0, inf},
		{"a / b", -1, 0, -inf},
		{"a / b", 0, 0, nan},
		{"a < b", nan, 1, 0},
		{"a < b", 1, 1, 0},
		{"a <= b", 1, 1, 1},
		{"a > b", 1, 1, 0},
		{"a >= b", nan, nan, 0},
		{"a == b", nan, nan, 0},
		{"a != b", nan, nan, 1},
		{"where(a, 1, 2)", nan, 0, 1}, // NaN is true
		{"where(a, 1, 2)", 0, 0, 2},
		{"where(a, 1, 2)", float32(math.Copysign(0, -1)), 0, 2},
		{"min(a, b)", nan, 1, nan},
		{"max(a, b)", 1, nan, nan},
		{"clip(a, 0, 1)", nan, 0, nan},
		{"clip(a, 0, 1)", -inf, 0, 0},
		{"clip(a, 1, 0)", 0.5, 0, 0}, // lo > hi gives hi, as np.clip
		{"abs(a)", float32(math.Copysign(0, -1)), 0, 0},
		{"abs(a)", -inf, 0, inf},
		{"sqrt(a)", -1, 0, nan},
		{"log(a)", 0, 0, -inf},
		{"log(a)", -1, 0, nan},
		{"-a", 0, 0, float32(math.Copysign(0, -1))},
		{"a * 0.1", 3, 0, float32(3) * float32(0.1)}, // literal rounded to float32 first
		{"a + b - a", 1e8, 1, 0},                     // float32 rounding at every step
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p := mustCompile(t, tt.src, map[string]kernels.Params{"a": nil, "b": nil})
			r := chunk.Rect(0, 0, 1, 1)
			in := planesOf(r, len(p.Inputs()), func(k, _, _ int) float32 {
				if p.Inputs()[k] == "a" {
					return tt.a
				}
				return tt.b
			})
			dst := chunk.NewArray(chunk.Float32, r)
			if err := p.Eval(dst, in); err != nil {
				t.Fatal(err)
			}
			if got := dst.Float32s()[0]; !sameBits(got, tt.want) {
				t.Errorf("a=%v b=%v: got %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// TestEvalBTMatchesKernel checks that bt(c07) - bt(c14) has the bits of
// the bt kernel applied to each band, then a float32 subtraction.
func TestEvalBTMatchesKernel(t *testing.T) {
	r := chunk.Rect(0, 0, 37, 700)
	rng := rand.New(rand.NewPCG(7, 7))
	planes := planesOf(r, 2, func(k, _, _ int) float32 {
		if rng.IntN(50) == 0 {
			return float32(math.NaN())
		}
		if k == 0 {
			return 0.05 + 3*rng.Float32() // band-7-like radiance
		}
		return 10 + 120*rng.Float32() // band-14-like radiance
	})
	in := map[string]kernels.Params{"c07": paramsC07, "c14": paramsC14}
	p := mustCompile(t, "bt(c07) - bt(c14)", in)
	if got := p.Inputs(); len(got) != 2 || got[0] != "c07" || got[1] != "c14" {
		t.Fatalf("Inputs() = %v", got)
	}
	dst := chunk.NewArray(chunk.Float32, r)
	if err := p.Eval(dst, planes); err != nil {
		t.Fatal(err)
	}
	bt := func(params kernels.Params, k int) []float32 {
		kern, err := kernels.NewBT(params)
		if err != nil {
			t.Fatal(err)
		}
		out := chunk.NewArray(chunk.Float32, r)
		if err := kern.Apply(out, planes.Plane(k), kernels.NoPace); err != nil {
			t.Fatal(err)
		}
		return out.Float32s()
	}
	t7, t14 := bt(paramsC07, 0), bt(paramsC14, 1)
	got := dst.Float32s()
	nans := 0
	for i := range got {
		want := t7[i] - t14[i]
		if !sameBits(got[i], want) {
			t.Fatalf("element %d: got %v (%08x), want %v (%08x)", i, got[i], math.Float32bits(got[i]), want, math.Float32bits(want))
		}
		if want != want {
			nans++
		}
	}
	if nans == 0 || nans == len(got) {
		t.Errorf("%d NaNs of %d: the test data should mix NaN and values", nans, len(got))
	}
}

// TestEvalCommonSubexpressions checks that a repeated subexpression is
// compiled once and still gives the right answer.
func TestEvalCommonSubexpressions(t *testing.T) {
	in := map[string]kernels.Params{"c07": paramsC07}
	once := mustCompile(t, "bt(c07)", in)
	twice := mustCompile(t, "bt(c07) + bt(c07) * 0 + calibrate(c07) * 0", in)
	kernelsUsed := 0
	for _, in := range twice.code {
		if in.op == opKernel {
			kernelsUsed++
		}
	}
	if kernelsUsed != 1 {
		t.Errorf("bt compiled %d times, want once", kernelsUsed)
	}
	r := chunk.Rect(0, 0, 2, 300)
	planes := planesOf(r, 1, func(_, row, col int) float32 { return 0.1 + float32(row*300+col)/200 })
	a, b := chunk.NewArray(chunk.Float32, r), chunk.NewArray(chunk.Float32, r)
	if err := once.Eval(a, planes); err != nil {
		t.Fatal(err)
	}
	if err := twice.Eval(b, planes); err != nil {
		t.Fatal(err)
	}
	for i, v := range a.Float32s() {
		if !sameBits(b.Float32s()[i], v) {
			t.Fatalf("element %d: %v vs %v", i, b.Float32s()[i], v)
		}
	}
}

// TestEvalStridedAndSubRegion evaluates into a strided view from planes
// that cover more than the output.
func TestEvalStridedAndSubRegion(t *testing.T) {
	big := chunk.Rect(0, 0, 20, 30)
	planes := planesOf(big, 2, func(k, row, col int) float32 { return float32(k*1000 + row*30 + col) })
	p := mustCompile(t, "b - a", map[string]kernels.Params{"a": nil, "b": nil}) // planes: b=0, a=1
	parent := chunk.NewArray(chunk.Float32, big)
	for i := range parent.Float32s() {
		parent.Float32s()[i] = -7
	}
	out := parent.Sub(chunk.Rect(4, 6, 9, 17))
	if err := p.Eval(out, planes); err != nil {
		t.Fatal(err)
	}
	for row := big.Row0; row < big.Row1; row++ {
		for col := big.Col0; col < big.Col1; col++ {
			got := at(parent, 0, row, col)
			want := float32(-7)
			if out.Rect.Contains(chunk.Rect(row, col, row+1, col+1)) {
				want = -1000
			}
			if got != want {
				t.Fatalf("(%d,%d) = %v, want %v", row, col, got, want)
			}
		}
	}
}

func TestEvalErrors(t *testing.T) {
	p := mustCompile(t, "a + b", abc)
	r := chunk.Rect(0, 0, 4, 4)
	good := planesOf(r, 2, func(int, int, int) float32 { return 1 })
	short := planesOf(r, 2, func(int, int, int) float32 { return 1 })
	short.Data = short.Data[:len(short.Data)-4]
	tests := []struct {
		name   string
		dst    *chunk.Array
		planes *chunk.Array
		msg    string
	}{
		{"nil dst", nil, good, "nil destination"},
		{"int dst", chunk.NewArray(chunk.Int16, r), good, "destination is int16"},
		{"nil planes", chunk.NewArray(chunk.Float32, r), nil, "nil planes"},
		{"one plane", chunk.NewArray(chunk.Float32, r), planesOf(r, 1, func(int, int, int) float32 { return 0 }), "needs 2 planes"},
		{"int planes", chunk.NewArray(chunk.Float32, r), &chunk.Array{DType: chunk.Int32, Rect: r, Stride: 4, Planes: 2, Data: make([]byte, 128)}, "planes are int32"},
		{"planes too small", chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 5, 4)), good, "planes cover"},
		{"short data", chunk.NewArray(chunk.Float32, r), short, "needs"},
		{"bad stride", &chunk.Array{DType: chunk.Float32, Rect: r, Stride: 2, Data: make([]byte, 64)}, good, "stride"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := p.Eval(tt.dst, tt.planes)
			if err == nil || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "bandmath: ") {
				t.Errorf("err = %v, want one containing %q", err, tt.msg)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	reflective := kernels.Params{}
	reflective.SetFloat("kappa0", 0.0015, kernels.SourceFile)
	for _, n := range []string{"planck_fk1", "planck_fk2", "planck_bc1", "planck_bc2"} {
		reflective.SetFloat(n, -999, kernels.SourceFile)
	}
	emissive := merge(paramsC07)
	emissive.SetFloat("kappa0", -999, kernels.SourceFile)
	in := map[string]kernels.Params{"c05": reflective, "c07": emissive}
	tests := []struct {
		name, src string
		col       int
		msg       string
		kernelErr bool
	}{
		{"unknown input", "bt(c07) - c08", 11, `unknown input "c08"`, false},
		{"unknown input in call", "bt(c08) - bt(c14)", 4, `unknown input "c08"`, false},
		{"bt of reflective band", "1 + bt(c05)", 5, "cannot compute bt(c05)", true},
		{"reflectance of emissive band", "reflectance(c07)", 1, "cannot compute reflectance(c07)", true},
		{"syntax first", "bt(c07", 3, "unbalanced", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(tt.src, in)
			var pe *ExprError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v (%T), want *ExprError", err, err)
			}
			if pe.Col != tt.col || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got column %d %q, want column %d %q", pe.Col, pe.Msg, tt.col, tt.msg)
			}
			if tt.kernelErr != (pe.Err != nil) {
				t.Errorf("wrapped error %v, want one: %v", pe.Err, tt.kernelErr)
			}
		})
	}
}

// TestProgramAsKernel runs a program as the first kernel of a chain, with
// a second kernel after it.
func TestProgramAsKernel(t *testing.T) {
	p := mustCompile(t, "a * 2 + b", abc)
	if p.Halo() != 0 || p.Factor() != 1 || !p.AcceptsRaw(chunk.Float32) || p.AcceptsRaw(chunk.Int16) {
		t.Fatalf("kernel geometry: halo %d factor %d", p.Halo(), p.Factor())
	}
	if p.Name() != "bandmath:a * 2 + b" {
		t.Errorf("Name() = %q", p.Name())
	}
	coarsen, err := kernels.NewCoarsen(2)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := kernels.NewChain(nil, p, coarsen)
	if err != nil {
		t.Fatal(err)
	}
	shape := chunk.Shape{Rows: 8, Cols: 6}
	planes := planesOf(shape.Bounds(), 2, func(k, row, col int) float32 { return float32((k + 1) * (row*6 + col)) })
	out := chunk.NewArray(chunk.Float32, chunk.Rect(1, 0, 3, 3))
	if err := ch.Apply(out, planes, shape, kernels.NoPace, kernels.NewScratch()); err != nil {
		t.Fatal(err)
	}
	for row := out.Rect.Row0; row < out.Rect.Row1; row++ {
		for col := out.Rect.Col0; col < out.Rect.Col1; col++ {
			var s float64
			for i := 0; i < 2; i++ {
				for j := 0; j < 2; j++ {
					v := float64((2*row+i)*6 + 2*col + j)
					s += v*2 + 2*v
				}
			}
			if got := at(out, 0, row, col); got != float32(s/4) {
				t.Errorf("(%d,%d) = %v, want %v", row, col, got, s/4)
			}
		}
	}
}

// TestEvalNoAllocs checks that evaluating a chunk allocates nothing once
// the scratch pool is warm.
func TestEvalNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items at random; .ci/run checks allocations in a run without -race")
	}
	in := map[string]kernels.Params{"c07": paramsC07, "c14": paramsC14}
	p := mustCompile(t, "where(bt(c07) - bt(c14) > 10, clip(c07, 0, 1), sqrt(c14))", in)
	r := chunk.Rect(0, 0, 64, 512)
	planes := planesOf(r, 2, func(k, _, _ int) float32 { return float32(k + 1) })
	dst := chunk.NewArray(chunk.Float32, r)
	if err := p.Eval(dst, planes); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(20, func() { _ = p.Eval(dst, planes) }); n > 0 {
		t.Errorf("Eval allocates %v times per chunk", n)
	}
}
