package kernels

import (
	"strings"
	"testing"

	"chunkpipe/chunk"
)

// bt and reflectance first on integer input (raw counts) are refused with
// a message that says to calibrate; on float input, or after calibrate,
// they are accepted.
func TestCheckInputRawCounts(t *testing.T) {
	p := anchors(t)
	p.SetFloat("kappa0", 0.0015, SourceFile)
	for _, c := range []struct {
		chain string
		dtype chunk.DType
		ok    bool
	}{
		{"bt", chunk.Int16, false},
		{"reflectance", chunk.Uint16, false},
		{"bt,blur:3", chunk.Int8, false},
		{"bt", chunk.Float32, true},
		{"bt", chunk.Float64, true},
		{"calibrate,bt", chunk.Int16, true},
		{"calibrate,reflectance", chunk.Int16, true},
		{"blur:3,bt", chunk.Int16, true}, // blur makes float32 data first
		{"stats", chunk.Int16, true},
		{"", chunk.Int16, true},
	} {
		err := mustChain(t, c.chain, p).CheckInput(c.dtype)
		if c.ok && err != nil {
			t.Errorf("%q on %v: %v", c.chain, c.dtype, err)
		}
		if !c.ok && (err == nil || !strings.Contains(err.Error(), "calibrate")) {
			t.Errorf("%q on %v: error %v, want one that says to calibrate", c.chain, c.dtype, err)
		}
	}
}
