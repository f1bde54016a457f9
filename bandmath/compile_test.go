package bandmath

import (
	"strconv"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

// longSum returns "a + b*2 + a + b*2 + ..." with n terms (n even).
func longSum(n int) string {
	terms := make([]string, n)
	for i := range terms {
		terms[i] = "a"
		if i%2 == 1 {
			terms[i] = "b*2"
		}
	}
	return strings.Join(terms, " + ")
}

// A 20000-term expression compiles, shares its repeated subexpression
// (b*2 once), and evaluates to the right sum.
func TestCompileLongExpression(t *testing.T) {
	const n = 20000
	p := mustCompile(t, longSum(n), map[string]kernels.Params{"a": nil, "b": nil})
	// a, b, 2, b*2 and the n-1 partial sums.
	if got, want := len(p.code), 4+n-1; got != want {
		t.Errorf("%d instructions, want %d (b*2 shared)", got, want)
	}
	r := chunk.Rect(0, 0, 1, 3)
	planes := planesOf(r, 2, func(k, row, col int) float32 { return float32(1 + 2*k + col) }) // a = 1+col, b = 3+col
	dst := chunk.NewArray(chunk.Float32, r)
	if err := p.Eval(dst, planes); err != nil {
		t.Fatal(err)
	}
	for col, v := range dst.Float32s() {
		a, b := float32(1+col), float32(3+col)
		if want := n / 2 * (a + 2*b); v != want {
			t.Errorf("column %d: %v, want %v", col, v, want)
		}
	}
}

// Compiling is linear in the expression's size: doubling the terms at
// most doubles (plus map growth) the allocations. Keying subexpressions
// by their text allocated every subtree's string again at each level, a
// number of allocations that grew as the square of the terms (ratio ~4).
func TestCompileAllocsLinear(t *testing.T) {
	allocs := func(n int) float64 {
		e, err := Parse(longSum(n))
		if err != nil {
			t.Fatal(err)
		}
		in := map[string]kernels.Params{"a": nil, "b": nil}
		return testing.AllocsPerRun(3, func() {
			if _, err := e.Compile(in); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(250), allocs(1000)
	if large > 5*small {
		t.Errorf("compile allocations: %.0f for 250 terms, %.0f for 1000 (ratio %.1f, want at most ~4)", small, large, large/small)
	}
	t.Logf("compile allocations: %.0f for 250 terms, %.0f for 1000", small, large)
}

// BenchmarkCompileLong measures compiling a long sum, per term.
func BenchmarkCompileLong(b *testing.B) {
	for _, n := range []int{1000, 4000, 20000} {
		e, err := Parse(longSum(n))
		if err != nil {
			b.Fatal(err)
		}
		in := map[string]kernels.Params{"a": nil, "b": nil}
		b.Run(strconv.Itoa(n)+"-terms", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Compile(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
