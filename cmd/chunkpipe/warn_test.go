package main

import (
	"strings"
	"testing"

	"chunkpipe/chunk"
)

// A grid of more than 100k chunks gets a warning naming the spec and the
// count; one at the limit does not.
func TestWarnManyChunks(t *testing.T) {
	for _, c := range []struct {
		shape, chunk chunk.Shape
		warn         bool
	}{
		{chunk.Shape{Rows: 1000, Cols: 1000}, chunk.Shape{Rows: 3, Cols: 3}, true},    // 334x334 = 111556
		{chunk.Shape{Rows: 1000, Cols: 1000}, chunk.Shape{Rows: 10, Cols: 10}, false}, // 10000
		{chunk.Shape{Rows: 100000, Cols: 10}, chunk.Shape{Rows: 1, Cols: 10}, false},  // exactly 100000
	} {
		g, err := chunk.NewGrid(c.shape, c.chunk)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		warnManyChunks(&b, "SPEC", g)
		if got := b.Len() > 0; got != c.warn {
			t.Errorf("%v chunks of %v: warning %q", c.shape, c.chunk, b.String())
		}
		if c.warn && (!strings.Contains(b.String(), "SPEC") || !strings.Contains(b.String(), "111556")) {
			t.Errorf("warning %q lacks the spec or count", b.String())
		}
	}
}
