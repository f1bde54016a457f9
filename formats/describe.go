package formats

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// DescribeOptions say how much of long values a [Describer] and the
// `chunkpipe info` display print.
type DescribeOptions struct {
	// Full prints every string and array whole. Otherwise strings longer
	// than 120 bytes and arrays of more than 8 values are cut, with a
	// marker that says how much was left out.
	Full bool
}

// Limits of a short description.
const (
	describeStringBytes = 120
	describeValues      = 8
)

// Quote returns s quoted; unless o.Full, a string longer than 120 bytes
// is cut, with a marker giving its full length.
func (o DescribeOptions) Quote(s string) string {
	kept, marker := o.cut(s)
	return strconv.Quote(kept) + marker
}

// Cut returns s, or unless o.Full its first 120 bytes and a marker giving
// its full length.
func (o DescribeOptions) Cut(s string) string {
	kept, marker := o.cut(s)
	return kept + marker
}

func (o DescribeOptions) cut(s string) (kept, marker string) {
	if o.Full || len(s) <= describeStringBytes {
		return s, ""
	}
	n := describeStringBytes
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n], fmt.Sprintf("... (%d of %d bytes; --full shows all)", n, len(s))
}

func isRuneStart(b byte) bool { return b&0xc0 != 0x80 }

// Value formats an attribute value: strings quoted (see [DescribeOptions.Quote]),
// numbers by [FormatNumber], slices as [a b c], cut to 8 values unless
// o.Full.
func (o DescribeOptions) Value(v any) string {
	switch x := v.(type) {
	case string:
		return o.Quote(x)
	case float64:
		return FormatNumber(x)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case []byte:
		return o.Quote(string(x))
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return fmt.Sprint(v)
	}
	n := rv.Len()
	shown := n
	if !o.Full && n > describeValues {
		shown = describeValues
	}
	parts := make([]string, shown)
	for i := range shown {
		parts[i] = o.Value(rv.Index(i).Interface())
	}
	s := "[" + strings.Join(parts, " ") + "]"
	if shown < n {
		s += fmt.Sprintf(" ... (%d values; --full shows all)", n)
	}
	return s
}

// FormatNumber formats v in the shortest form that reads back as v:
// without an exponent from 1e-4 up to 1e21 (3750000, not 3.75e+06;
// 625478430.981606), with one outside that range (9.969209968386869e+36).
func FormatNumber(v float64) string {
	if a := math.Abs(v); a == 0 || a >= 1e-4 && a < 1e21 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
