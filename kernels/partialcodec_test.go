package kernels_test

import (
	"encoding"
	"math"
	"reflect"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

// TestPartialRoundTrip checks that a partial decoded from its encoding
// merges to the same result as the original, for stats and histogram.
func TestPartialRoundTrip(t *testing.T) {
	hist, err := kernels.NewHistogram(16, -2, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, red := range []kernels.Reducer{kernels.Stats{}, hist} {
		t.Run(red.Name(), func(t *testing.T) {
			a := chunk.Array{}
			a.Reset(chunk.Float32, chunk.Rect(0, 0, 3, 5))
			vals := chunk.Elems[float32](&a)
			for i := range vals {
				vals[i] = float32(math.Sin(float64(i))) * 3
			}
			vals[2], vals[7] = float32(math.NaN()), float32(math.Inf(-1))
			p := red.NewPartial()
			p.Add(&a, kernels.NoPace)
			b, err := p.(encoding.BinaryMarshaler).MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			q := red.NewPartial()
			if err := q.(encoding.BinaryUnmarshaler).UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			want, got := red.NewPartial(), red.NewPartial()
			want.Merge(p)
			got.Merge(q)
			if w, g := want.Result(), got.Result(); !reflect.DeepEqual(w.Counts, g.Counts) || w.Values["sum"] != g.Values["sum"] || w.Values["count"] != g.Values["count"] || w.Values["nan_count"] != g.Values["nan_count"] {
				t.Fatalf("decoded partial gives %+v, want %+v", g, w)
			}
			if err := q.(encoding.BinaryUnmarshaler).UnmarshalBinary(b[:len(b)-1]); err == nil {
				t.Fatal("a truncated partial decoded without error")
			}
		})
	}
}
