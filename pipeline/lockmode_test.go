package pipeline

import (
	"encoding"
	"strings"
	"testing"
)

var (
	_ encoding.TextUnmarshaler = (*LockMode)(nil)
	_ encoding.TextMarshaler   = LockMode(0)
)

// LockMode reads and writes its names as text, so flag parsers (kong) and
// JSON take it directly, and rejects unknown names with the choices.
func TestLockModeText(t *testing.T) {
	for _, m := range LockModes() {
		text, err := m.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var got LockMode
		if err := got.UnmarshalText([]byte(strings.ToUpper(string(text)))); err != nil || got != m {
			t.Errorf("%v: round trip gave %v, %v", m, got, err)
		}
	}
	var m LockMode
	if err := m.UnmarshalText([]byte("maybe")); err == nil || !strings.Contains(err.Error(), "free, gil, processes") {
		t.Errorf("unknown mode: error %v, want one listing the modes", err)
	}
}
