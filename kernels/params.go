package kernels

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Where a [Param] came from, for the `chunkpipe kernels` and info displays.
const (
	SourceFile    = "file"    // a variable attribute or scalar variable of the input file
	SourceFlag    = "flag"    // a --param k=v override on the command line
	SourceDefault = "default" // a value the calling program chose (kernels have no built-in defaults)
)

// Param is one named kernel parameter: numbers (a scalar is a one-element
// Values), text (e.g. _Unsigned = "true"), or both, with where it came from.
type Param struct {
	Values []float64
	Text   string
	Source string // SourceFile, SourceFlag, SourcePreset or SourceDefault
}

// Params holds the parameters kernels read when a chain is parsed: CF
// attributes of the input variable (scale_factor, add_offset, _FillValue,
// missing_value, valid_range, valid_min, valid_max, _Unsigned), ABI scalar
// variables (kappa0, planck_fk1, planck_fk2, planck_bc1, planck_bc2) and
// command-line overrides. A nil Params is valid and empty for reading.
type Params map[string]Param

// Float returns the first number of the named parameter, or the parameter's
// text parsed as a number when it has no numbers.
func (p Params) Float(name string) (float64, bool) {
	v, ok := p[name]
	if !ok {
		return 0, false
	}
	if len(v.Values) > 0 {
		return v.Values[0], true
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v.Text), 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// Floats returns all numbers of the named parameter (nil, false when it is
// absent or has none).
func (p Params) Floats(name string) ([]float64, bool) {
	v, ok := p[name]
	if !ok || len(v.Values) == 0 {
		return nil, false
	}
	return v.Values, true
}

// Text returns the text of the named parameter; for a numeric parameter
// without text it returns the numbers formatted with %g, comma-separated.
func (p Params) Text(name string) (string, bool) {
	v, ok := p[name]
	if !ok {
		return "", false
	}
	if v.Text != "" || len(v.Values) == 0 {
		return v.Text, true
	}
	return formatValues(v.Values), true
}

// SetFloat sets the named parameter to the single number v.
func (p Params) SetFloat(name string, v float64, source string) {
	p[name] = Param{Values: []float64{v}, Source: source}
}

// SetFloats sets the named parameter to the numbers vs (copied).
func (p Params) SetFloats(name string, vs []float64, source string) {
	p[name] = Param{Values: append([]float64(nil), vs...), Source: source}
}

// SetText sets the named parameter to text. Text that reads as numbers
// (one number, or several separated by commas or spaces) also fills
// Values, so [Params.Float] works on it.
func (p Params) SetText(name, text, source string) {
	vs, _ := parseNumbers(text)
	p[name] = Param{Values: vs, Text: text, Source: source}
}

// Set parses an override written as name=value (the --param flag) and
// stores it with the given source. The name must be one a kernel reads
// ([KnownParams]); the value must be what that parameter holds: "true"
// or "false" for _Unsigned, two numbers for valid_range ("0,4094"), one
// or more for missing_value, one number for the others.
func (p Params) Set(kv, source string) error {
	name, val, ok := strings.Cut(kv, "=")
	name, val = strings.TrimSpace(name), strings.TrimSpace(val)
	if !ok || name == "" {
		return fmt.Errorf("kernels: bad parameter %q: want name=value", kv)
	}
	known := KnownParams()
	if !slices.Contains(known, name) {
		return fmt.Errorf("kernels: unknown parameter %q in %q (known: %s)", name, kv, strings.Join(known, ", "))
	}
	vs, numeric := parseNumbers(val)
	switch {
	case name == "_Unsigned":
		if !strings.EqualFold(val, "true") && !strings.EqualFold(val, "false") {
			return fmt.Errorf("kernels: parameter %q: _Unsigned is true or false", kv)
		}
	case !numeric:
		return fmt.Errorf("kernels: parameter %q: %q is not a number", kv, val)
	case name == "valid_range" && len(vs) != 2:
		return fmt.Errorf("kernels: parameter %q: valid_range is two numbers, e.g. valid_range=0,4094", kv)
	case name != "valid_range" && name != "missing_value" && len(vs) != 1:
		return fmt.Errorf("kernels: parameter %q: %s is one number", kv, name)
	}
	p.SetText(name, val, source)
	return nil
}

// KnownParams returns, sorted, the names of the parameters the kernels
// read (those listed in their [Doc]).
func KnownParams() []string {
	var names []string
	for _, d := range registry {
		for _, n := range d.Params {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	return names
}

// Names returns the parameter names in sorted order.
func (p Params) Names() []string {
	names := make([]string, 0, len(p))
	for k := range p {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// String formats the parameters as sorted name=value (source) lines.
func (p Params) String() string {
	var b strings.Builder
	for _, n := range p.Names() {
		t, _ := p.Text(n)
		fmt.Fprintf(&b, "%s=%s (%s)\n", n, t, p[n].Source)
	}
	return b.String()
}

// parseNumbers parses text made only of numbers separated by commas,
// spaces or brackets; it reports false (and nil) otherwise.
func parseNumbers(text string) ([]float64, bool) {
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '[' || r == ']'
	})
	if len(fields) == 0 {
		return nil, false
	}
	vs := make([]float64, len(fields))
	for i, f := range fields {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil, false
		}
		vs[i] = v
	}
	return vs, true
}

func formatValues(vs []float64) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(s, ",")
}
