package formats

import (
	"strings"
	"testing"
)

func TestFormatNumber(t *testing.T) {
	for v, want := range map[float64]string{
		3.75e6: "3750000", -2147483647: "-2147483647", 0: "0", 0.04572892: "0.04572892",
		625478430.981606: "625478430.981606", 9.969209968386869e36: "9.969209968386869e+36", 1e-7: "1e-07",
	} {
		if got := FormatNumber(v); got != want {
			t.Errorf("FormatNumber(%v) = %q, want %q", v, got, want)
		}
	}
}

// Long strings and arrays are cut with a marker giving their full size,
// and printed whole with Full.
func TestDescribeOptionsCut(t *testing.T) {
	long := strings.Repeat("é", 100) // 200 bytes
	short, full := DescribeOptions{}, DescribeOptions{Full: true}
	if got := short.Quote(long); !strings.Contains(got, "of 200 bytes") || strings.Count(got, "é") != 60 {
		t.Errorf("cut string: %q", got)
	}
	if got := full.Quote(long); got != `"`+long+`"` {
		t.Errorf("full string: %q", got)
	}
	vals := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 3.75e6}
	if got := short.Value(vals); !strings.HasPrefix(got, "[1 2 3 4 5 6 7 8] ... (10 values") {
		t.Errorf("cut array: %q", got)
	}
	if got := full.Value(vals); got != "[1 2 3 4 5 6 7 8 9 3750000]" {
		t.Errorf("full array: %q", got)
	}
	if got := short.Value(int64(12)); got != "12" {
		t.Errorf("int64: %q", got)
	}
}
