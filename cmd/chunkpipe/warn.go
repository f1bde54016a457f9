package main

import (
	"fmt"
	"io"

	"chunkpipe/chunk"
)

// manyChunks is the chunk count above which a grid gets a warning: past
// it the per-chunk overhead (scheduling, reads, halos) outweighs the work.
const manyChunks = 100_000

// warnManyChunks warns on w when the chunk spec cut the array into more
// than manyChunks chunks.
func warnManyChunks(w io.Writer, spec string, g chunk.Grid) {
	if n := g.Len(); n > manyChunks {
		fmt.Fprintf(w, "chunkpipe: warning: --chunks %s gives %d chunks (%v); per-chunk overhead will dominate: try auto or larger chunks\n", spec, n, g)
	}
}
