package bandmath

import (
	"errors"
	"math"
	"strings"
	"testing"

	"chunkpipe/kernels"
)

// abiParams returns parameters for the ABI bands the recipes use:
// reflective bands carry kappa0 and -999 Planck constants, emissive ones
// the reverse, as in real files.
func abiParams() map[string]kernels.Params {
	out := map[string]kernels.Params{}
	for _, b := range []string{"c05", "c06"} {
		p := calParams(0.1, 0)
		p.SetFloat("kappa0", 0.002, kernels.SourceFile)
		for _, n := range []string{"planck_fk1", "planck_fk2", "planck_bc1", "planck_bc2"} {
			p.SetFloat(n, -999, kernels.SourceFile)
		}
		out[b] = p
	}
	for _, b := range []string{"c07", "c11", "c13", "c14", "c15"} {
		p := merge(paramsC14)
		p.SetFloat("kappa0", -999, kernels.SourceFile)
		out[b] = p
	}
	return out
}

func TestRecipes(t *testing.T) {
	if recipesErr != nil {
		t.Fatal(recipesErr)
	}
	rs := Recipes()
	names := map[string]bool{}
	for i, r := range rs {
		names[r.Name] = true
		if i > 0 && rs[i-1].Name >= r.Name {
			t.Errorf("recipes not sorted: %s before %s", rs[i-1].Name, r.Name)
		}
		if r.Description == "" || r.Reference == "" {
			t.Errorf("%s lacks a description or reference", r.Name)
		}
		if _, err := r.Compile(abiParams()); err != nil {
			t.Errorf("%s: %v", r.Name, err)
		}
	}
	for _, want := range []string{"fire_temperature", "dust"} {
		if !names[want] {
			t.Errorf("no %s recipe", want)
		}
	}
	// Pin the published definitions.
	fire, _ := LookupRecipe("fire_temperature")
	wantFire := [3]Channel{{"bt(c07)", 273.15, 333.15, 0.4}, {"reflectance(c06)", 0, 1, 1}, {"reflectance(c05)", 0, 0.75, 1}}
	if fire.Channels != wantFire {
		t.Errorf("fire_temperature = %+v", fire.Channels)
	}
	dust, _ := LookupRecipe("dust")
	wantDust := [3]Channel{{"bt(c15) - bt(c13)", -6.7, 2.6, 1}, {"bt(c14) - bt(c11)", -0.5, 20, 2.5}, {"bt(c13)", 261.2, 288.7, 1}}
	if dust.Channels != wantDust {
		t.Errorf("dust = %+v", dust.Channels)
	}
	if in, err := dust.Inputs(); err != nil || strings.Join(in, ",") != "c15,c13,c14,c11" {
		t.Errorf("dust inputs %v, %v", in, err)
	}
	if _, ok := LookupRecipe("nope"); ok {
		t.Error("LookupRecipe(nope) found something")
	}
	// The copy is the caller's.
	rs[0].Name = "changed"
	if Recipes()[0].Name == "changed" {
		t.Error("Recipes returns shared storage")
	}
}

func TestRecipeCompileMissingInput(t *testing.T) {
	fire, _ := LookupRecipe("fire_temperature")
	in := abiParams()
	delete(in, "c06")
	_, err := fire.Compile(in)
	var pe *ExprError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "green channel") || !strings.Contains(err.Error(), `unknown input "c06"`) {
		t.Errorf("err = %v", err)
	}
}

func TestLoadRecipesErrors(t *testing.T) {
	for name, data := range map[string]string{
		"not json":      "{",
		"unknown field": `{"recipes": [{"name": "x", "colour": 1}]}`,
		"none":          `{"recipes": []}`,
		"bad expr":      `{"recipes": [{"name": "x", "channels": [{"expr": "a +", "min": 0, "max": 1, "gamma": 1}, {"expr": "a", "min": 0, "max": 1, "gamma": 1}, {"expr": "a", "min": 0, "max": 1, "gamma": 1}]}]}`,
		"zero gamma":    `{"recipes": [{"name": "x", "channels": [{"expr": "a", "min": 0, "max": 1, "gamma": 0}, {"expr": "a", "min": 0, "max": 1, "gamma": 1}, {"expr": "a", "min": 0, "max": 1, "gamma": 1}]}]}`,
		"duplicate":     `{"recipes": [{"name": "x", "channels": [{"expr": "a", "min": 0, "max": 1, "gamma": 1}, {"expr": "a", "min": 0, "max": 1, "gamma": 1}, {"expr": "a", "min": 0, "max": 1, "gamma": 1}]}, {"name": "x", "channels": [{"expr": "a", "min": 0, "max": 1, "gamma": 1}, {"expr": "a", "min": 0, "max": 1, "gamma": 1}, {"expr": "a", "min": 0, "max": 1, "gamma": 1}]}]}`,
	} {
		if _, err := loadRecipes([]byte(data)); err == nil || !strings.HasPrefix(err.Error(), "bandmath: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestParseRGB(t *testing.T) {
	tests := []struct {
		spec string
		want [3]string // channel expressions; "" with name for recipes
		name string
	}{
		{"dust", [3]string{"bt(c15) - bt(c13)", "bt(c14) - bt(c11)", "bt(c13)"}, "dust"},
		{"  fire_temperature ", [3]string{"bt(c07)", "reflectance(c06)", "reflectance(c05)"}, "fire_temperature"},
		{"c07,c06,c05", [3]string{"c07", "c06", "c05"}, "custom"},
		{"clip(bt(c07), 273, 333), max(c06, 0) , min(c05,1)", [3]string{"clip(bt(c07), 273, 333)", "max(c06, 0)", "min(c05,1)"}, "custom"},
		{"where(a > 1, min(a, b), c),(a),-b", [3]string{"where(a > 1, min(a, b), c)", "(a)", "-b"}, "custom"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			r, err := ParseRGB(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if r.Name != tt.name {
				t.Errorf("name %q, want %q", r.Name, tt.name)
			}
			for i, c := range r.Channels {
				if c.Expr != tt.want[i] {
					t.Errorf("channel %d = %q, want %q", i, c.Expr, tt.want[i])
				}
				if custom := tt.name == "custom"; custom != c.FromData() || custom && c.Gamma != 1 {
					t.Errorf("channel %d range %v..%v gamma %v", i, c.Min, c.Max, c.Gamma)
				}
			}
		})
	}
}

func TestParseRGBErrors(t *testing.T) {
	tests := []struct {
		spec, msg string
		col       int
	}{
		{"dusty", `unknown RGB recipe "dusty"`, 0},
		{"a,b", "has 2 comma-separated expressions", 0},
		{"a,b,c,d", "has 4", 0},
		{"min(a,b)", "unknown RGB recipe", 0}, // one expression: commas inside calls do not split
		{"a,,c", "empty green channel", 3},
		{"a, b +, c", "green channel: expression ends", 7},
		{"a,b,bt(c07", "blue channel: unbalanced", 7},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			_, err := ParseRGB(tt.spec)
			if err == nil || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "bandmath: ") {
				t.Fatalf("err = %v, want one containing %q", err, tt.msg)
			}
			var pe *ExprError
			if tt.col > 0 && (!errors.As(err, &pe) || pe.Col != tt.col || pe.Expr != tt.spec) {
				t.Errorf("err %v: want column %d of the whole spec", err, tt.col)
			}
		})
	}
}

func TestChannelFromData(t *testing.T) {
	if (Channel{Min: 0, Max: 1}).FromData() || !(Channel{Min: math.NaN(), Max: math.NaN()}).FromData() {
		t.Error("FromData")
	}
}
