package bandmath

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"chunkpipe/kernels"
)

//go:embed recipes.json
var recipesJSON []byte

// Channel is one colour channel of an RGB recipe: an expression and its
// display stretch, value v shown as
//
//	clip((v - Min) / (Max - Min), 0, 1) ** (1 / Gamma)
//
// (satpy's crude stretch and gamma). Min and Max both NaN mean "stretch
// from the data" (its minimum and maximum).
type Channel struct {
	Expr  string  `json:"expr"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Gamma float64 `json:"gamma"`
}

// FromData reports whether the channel's range is to be taken from the
// data (Min and Max are NaN).
func (c Channel) FromData() bool { return math.IsNaN(c.Min) && math.IsNaN(c.Max) }

// Recipe is a named RGB composite: red, green and blue channels.
type Recipe struct {
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Reference   string     `json:"reference,omitempty"` // where the definition comes from
	Channels    [3]Channel `json:"channels"`
}

// Inputs returns the input names the recipe's channels use, in order of
// first use over red, green, blue.
func (r Recipe) Inputs() ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for i, c := range r.Channels {
		e, err := Parse(c.Expr)
		if err != nil {
			return nil, fmt.Errorf("bandmath: recipe %s, %s channel: %w", r.Name, channelNames[i], err)
		}
		for _, n := range e.Inputs() {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out, nil
}

// Compile compiles the three channel expressions against inputs (see
// [Compile]).
func (r Recipe) Compile(inputs map[string]kernels.Params) ([3]*Program, error) {
	var ps [3]*Program
	for i, c := range r.Channels {
		p, err := Compile(c.Expr, inputs)
		if err != nil {
			return ps, fmt.Errorf("bandmath: recipe %s, %s channel: %w", r.Name, channelNames[i], err)
		}
		ps[i] = p
	}
	return ps, nil
}

var channelNames = [3]string{"red", "green", "blue"}

// recipes is the embedded recipe list, sorted by name; recipesErr is set
// when recipes.json is broken (a test keeps it nil).
var recipes, recipesErr = loadRecipes(recipesJSON)

// loadRecipes decodes and checks a recipe file.
func loadRecipes(data []byte) ([]Recipe, error) {
	var file struct {
		Comment string   `json:"comment"`
		Recipes []Recipe `json:"recipes"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("bandmath: recipes.json: %w", err)
	}
	if len(file.Recipes) == 0 {
		return nil, fmt.Errorf("bandmath: recipes.json: no recipes")
	}
	seen := map[string]bool{}
	for _, r := range file.Recipes {
		if r.Name == "" || seen[r.Name] {
			return nil, fmt.Errorf("bandmath: recipes.json: recipe name %q is empty or repeated", r.Name)
		}
		seen[r.Name] = true
		for i, c := range r.Channels {
			if _, err := Parse(c.Expr); err != nil {
				return nil, fmt.Errorf("bandmath: recipes.json: recipe %s, %s channel: %w", r.Name, channelNames[i], err)
			}
			if !(c.Gamma > 0) || math.IsInf(c.Min, 0) || math.IsInf(c.Max, 0) || math.IsNaN(c.Min) || math.IsNaN(c.Max) || c.Min == c.Max {
				return nil, fmt.Errorf("bandmath: recipes.json: recipe %s, %s channel: bad range [%v, %v] or gamma %v", r.Name, channelNames[i], c.Min, c.Max, c.Gamma)
			}
		}
	}
	sort.Slice(file.Recipes, func(i, j int) bool { return file.Recipes[i].Name < file.Recipes[j].Name })
	return file.Recipes, nil
}

// Recipes returns the built-in RGB recipes sorted by name (a copy).
func Recipes() []Recipe { return append([]Recipe(nil), recipes...) }

// LookupRecipe returns the built-in recipe called name.
func LookupRecipe(name string) (Recipe, bool) {
	for _, r := range recipes {
		if r.Name == name {
			return r, true
		}
	}
	return Recipe{}, false
}

// ParseRGB reads an RGB specification: a recipe name ("dust"), or three
// expressions "red,green,blue" separated by commas outside parentheses,
// e.g. "bt(c07),reflectance(c06),max(c05, 0)". Each expression is parsed
// (errors point into spec); the channels of such a custom recipe stretch
// from the data (Min = Max = NaN) with gamma 1.
func ParseRGB(spec string) (Recipe, error) {
	if recipesErr != nil {
		return Recipe{}, recipesErr
	}
	parts, starts := splitTop(spec)
	if len(parts) == 1 {
		name := strings.TrimSpace(spec)
		if r, ok := LookupRecipe(name); ok {
			return r, nil
		}
		return Recipe{}, fmt.Errorf("bandmath: unknown RGB recipe %q (known: %s); or give three expressions red,green,blue", name, strings.Join(recipeNames(), ", "))
	}
	if len(parts) != 3 {
		return Recipe{}, fmt.Errorf("bandmath: RGB %q has %d comma-separated expressions, want 3 (red,green,blue) or a recipe name", spec, len(parts))
	}
	r := Recipe{Name: "custom", Description: strings.TrimSpace(spec)}
	for i, p := range parts {
		if strings.TrimSpace(p) == "" {
			return Recipe{}, &ExprError{Expr: spec, Col: starts[i], Msg: "empty " + channelNames[i] + " channel"}
		}
		if _, err := Parse(p); err != nil {
			var pe *ExprError
			if errors.As(err, &pe) {
				// Point into the whole specification.
				return Recipe{}, &ExprError{Expr: spec, Col: starts[i] + pe.Col - 1, Msg: channelNames[i] + " channel: " + pe.Msg, Err: pe.Err}
			}
			return Recipe{}, err
		}
		r.Channels[i] = Channel{Expr: strings.TrimSpace(p), Min: math.NaN(), Max: math.NaN(), Gamma: 1}
	}
	return r, nil
}

// splitTop splits s at commas outside parentheses, returning the parts
// and the 1-based rune column where each starts.
func splitTop(s string) (parts []string, starts []int) {
	depth, start, col, startCol := 0, 0, 1, 1
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				starts = append(starts, startCol)
				start, startCol = i+1, col+1
			}
		}
		col++
	}
	parts = append(parts, s[start:])
	starts = append(starts, startCol)
	return parts, starts
}

func recipeNames() []string {
	names := make([]string, len(recipes))
	for i, r := range recipes {
		names[i] = r.Name
	}
	return names
}
