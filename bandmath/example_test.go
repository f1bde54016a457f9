package bandmath_test

import (
	"fmt"

	"chunkpipe/bandmath"
	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

func ExampleCompile() {
	p, err := bandmath.Compile("where(b > a, b - a, 0) * 2", map[string]kernels.Params{"a": nil, "b": nil})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Inputs())

	// One plane per input, in Inputs() order: b first, then a.
	r := chunk.Rect(0, 0, 1, 3)
	planes := &chunk.Array{}
	planes.ResetPlanes(chunk.Float32, r, 2)
	copy(planes.Float32s(), []float32{5, 1, 7 /* b */, 2, 3, 4 /* a */})
	dst := chunk.NewArray(chunk.Float32, r)
	if err := p.Eval(dst, planes); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(dst.Float32s())
	// Output:
	// [b a]
	// [6 0 6]
}

func ExampleParse_error() {
	_, err := bandmath.Compile("bt(c08) - bt(c14)", map[string]kernels.Params{"c07": nil, "c14": nil})
	fmt.Println(err)
	// Output:
	// bandmath: unknown input "c08" at column 4: bt(c08) - bt(c14)
	//                                               ^
}

func ExampleParseRGB() {
	r, _ := bandmath.ParseRGB("dust")
	for _, c := range r.Channels {
		fmt.Printf("%s [%g, %g] gamma %g\n", c.Expr, c.Min, c.Max, c.Gamma)
	}
	custom, _ := bandmath.ParseRGB("bt(c07), clip(reflectance(c06), 0, 1), c05")
	fmt.Println(custom.Channels[1].Expr, custom.Channels[1].FromData())
	// Output:
	// bt(c15) - bt(c13) [-6.7, 2.6] gamma 1
	// bt(c14) - bt(c11) [-0.5, 20] gamma 2.5
	// bt(c13) [261.2, 288.7] gamma 1
	// clip(reflectance(c06), 0, 1) true
}
