package zarr

import (
	"math"
	"testing"

	"chunkpipe/chunk"
)

// TestTypeStringRoundTrip checks that TypeString writes what parseDType
// reads back, for every element type and both byte orders, and that
// FloatJSON writes floats Python reads as floats.
func TestTypeStringRoundTrip(t *testing.T) {
	for _, dt := range chunk.DTypes() {
		for _, be := range []bool{false, true} {
			s := TypeString(dt, be)
			e, err := parseDType(s)
			if err != nil {
				t.Fatalf("%v big-endian=%v: %q does not parse: %v", dt, be, s, err)
			}
			if e.DType != dt || dt.Size() > 1 && e.BigEndian != be {
				t.Errorf("%v big-endian=%v: %q reads back as %+v", dt, be, s, e)
			}
		}
	}
	if s := TypeString(chunk.Invalid, false); s != "" {
		t.Errorf("Invalid: %q, want \"\"", s)
	}
	for f, want := range map[float64]string{2: "2.0", -0.5: "-0.5", 1e300: "1e+300", math.NaN(): "NaN", math.Inf(-1): "-Infinity"} {
		if got := FloatJSON(f); got != want {
			t.Errorf("FloatJSON(%v) = %q, want %q", f, got, want)
		}
	}
}
