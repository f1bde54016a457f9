package main

import (
	"strings"

	"github.com/alecthomas/kong"
)

// joinNegativeValues rewrites "--flag -1x88" as "--flag=-1x88" for every
// long flag that takes a value, when the next argument is a negative
// number or spec (a hyphen then a digit). kong otherwise reads "-1x88" as
// short flags; "--chunks -1x88" is how users write a full-axis chunk spec.
// Other hyphen arguments are left alone, so a forgotten value still reads
// as a missing one ("--chunks --workers 2").
func joinNegativeValues(app *kong.Application, args []string) []string {
	takesValue := map[string]bool{}
	var walk func(n *kong.Node)
	walk = func(n *kong.Node) {
		for _, f := range n.Flags {
			if !f.IsBool() && !f.IsCounter() {
				takesValue[f.Name] = true
				for _, a := range f.Aliases {
					takesValue[a] = true
				}
			}
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(app.Node)
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			out = append(out, args[i:]...)
			break
		}
		name, isLong := strings.CutPrefix(a, "--")
		if isLong && !strings.Contains(name, "=") && takesValue[name] && i+1 < len(args) && negativeValue(args[i+1]) {
			out = append(out, a+"="+args[i+1])
			i++
			continue
		}
		out = append(out, a)
	}
	return out
}

// negativeValue reports whether s starts with a hyphen and a digit.
func negativeValue(s string) bool {
	return len(s) >= 2 && s[0] == '-' && s[1] >= '0' && s[1] <= '9'
}
