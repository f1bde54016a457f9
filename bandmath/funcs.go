package bandmath

import (
	"sort"
	"strings"
)

// funcSpec describes one function of the expression language.
type funcSpec struct {
	arity int
	input bool // the argument must be an input name (single-input kernels)
	usage string
}

// funcs lists the functions an expression may call.
var funcs = map[string]funcSpec{
	"where":       {3, false, "where(cond, a, b)"},
	"clip":        {3, false, "clip(x, lo, hi)"},
	"min":         {2, false, "min(a, b)"},
	"max":         {2, false, "max(a, b)"},
	"abs":         {1, false, "abs(x)"},
	"sqrt":        {1, false, "sqrt(x)"},
	"log":         {1, false, "log(x)"},
	"bt":          {1, true, "bt(input)"},
	"reflectance": {1, true, "reflectance(input)"},
	"calibrate":   {1, true, "calibrate(input)"},
}

// Functions returns the usage of every function an expression may call,
// e.g. "clip(x, lo, hi)", sorted by name.
func Functions() []string {
	out := make([]string, 0, len(funcs))
	for _, f := range funcs {
		out = append(out, f.usage)
	}
	sort.Strings(out)
	return out
}

func funcNames() string {
	names := make([]string, 0, len(funcs))
	for n := range funcs {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
