package chunk

import (
	"encoding"
	"testing"
)

var (
	_ encoding.TextUnmarshaler = (*Spec)(nil)
	_ encoding.TextMarshaler   = Spec{}
)

// Spec reads and writes itself as typed, so flag parsers take it directly.
func TestSpecText(t *testing.T) {
	for _, text := range []string{"auto", "512x512", "-1x512", "64MiB", "-1x-1"} {
		var s Spec
		if err := s.UnmarshalText([]byte(text)); err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		out, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Spec
		if err := back.UnmarshalText(out); err != nil || back != s {
			t.Errorf("%q: round trip through %q gave %+v, %v", text, out, back, err)
		}
	}
	var s Spec
	if err := s.UnmarshalText([]byte("512x")); err == nil {
		t.Error("512x accepted")
	}
}
