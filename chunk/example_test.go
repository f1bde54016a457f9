package chunk_test

import (
	"fmt"

	"chunkpipe/chunk"
)

// A chunk spec as typed on the command line, resolved over an ABI-sized
// array whose file stores 250x250 chunks.
func ExampleSpec_Resolve() {
	spec, err := chunk.ParseSpec("auto")
	if err != nil {
		panic(err)
	}
	grid, err := spec.Resolve(chunk.Layout{Shape: chunk.Shape{Rows: 5424, Cols: 5424}, ElemBytes: 4,
		Storage: chunk.Shape{Rows: 250, Cols: 250}, Workers: 2})
	if err != nil {
		panic(err)
	}
	fmt.Println(grid)
	fmt.Println(grid.Region(grid.Index(grid.Len() - 1)))
	// Output:
	// 6x6 chunks of 1000x1000 over 5424x5424
	// (5000,5000)-(5424,5424)
}

// Reflect padding repeats the edge element, as numpy.pad's 'symmetric'.
func ExampleBoundary_Map() {
	b, _ := chunk.ParseBoundary("reflect")
	for _, i := range []int{-2, -1, 0, 4, 5} {
		j, _ := b.Map(i, 5)
		fmt.Print(j, " ")
	}
	// Output: 1 0 0 4 4
}
