package kernels

import (
	"strings"
	"testing"
)

func TestParams(t *testing.T) {
	p := Params{}
	p.SetFloat("scale_factor", 0.5, SourceFile)
	p.SetFloats("valid_range", []float64{0, 4094}, SourceFile)
	p.SetText("_Unsigned", "true", SourceFile)
	if err := p.Set("add_offset=-3.25", SourceFlag); err != nil {
		t.Fatal(err)
	}
	if err := p.Set("missing_value=1,2,3", SourceFlag); err != nil {
		t.Fatal(err)
	}
	if err := p.Set("=3", SourceFlag); err == nil {
		t.Error("Set(=3) succeeded")
	}
	if err := p.Set("novalue", SourceFlag); err == nil {
		t.Error("Set(novalue) succeeded")
	}
	if v, ok := p.Float("scale_factor"); !ok || v != 0.5 {
		t.Errorf("scale_factor = %v, %v", v, ok)
	}
	if v, ok := p.Float("add_offset"); !ok || v != -3.25 || p["add_offset"].Source != SourceFlag {
		t.Errorf("add_offset = %v, %v, %+v", v, ok, p["add_offset"])
	}
	if vs, ok := p.Floats("missing_value"); !ok || len(vs) != 3 || vs[2] != 3 {
		t.Errorf("missing_value = %v", vs)
	}
	if s, ok := p.Text("_Unsigned"); !ok || s != "true" {
		t.Errorf("_Unsigned = %q", s)
	}
	if _, ok := p.Float("_Unsigned"); ok {
		t.Error("Float(_Unsigned) ok for text")
	}
	if s, _ := p.Text("valid_range"); s != "0,4094" {
		t.Errorf("Text(valid_range) = %q", s)
	}
	if _, ok := p.Float("absent"); ok {
		t.Error("Float(absent) ok")
	}
	var nilP Params
	if _, ok := nilP.Float("x"); ok {
		t.Error("nil Params has x")
	}
	if got := p.Names(); len(got) != 5 || got[0] != "_Unsigned" {
		t.Errorf("Names = %v", got)
	}
	if p.String() == "" {
		t.Error("empty String")
	}
}

// --param names a parameter a kernel reads and gives it a value of the
// right form; anything else is an error naming the parameter (before, any
// name and any text were accepted and silently ignored).
func TestParamsSetChecks(t *testing.T) {
	p := Params{}
	for _, bad := range []string{"scale=2", "scale_factor=abc", "scale_factor=1,2", "valid_range=5", "valid_range=a,b", "_Unsigned=yes", "kappa0="} {
		if err := p.Set(bad, SourceFlag); err == nil {
			t.Errorf("Set(%s) succeeded", bad)
		} else if name, _, _ := strings.Cut(bad, "="); !strings.Contains(err.Error(), name) {
			t.Errorf("Set(%s): %v does not name %s", bad, err, name)
		}
	}
	if err := p.Set("scale=2", SourceFlag); err == nil || !strings.Contains(err.Error(), "scale_factor") || !strings.Contains(err.Error(), "planck_fk1") {
		t.Errorf("unknown name: %v, want the known names listed", err)
	}
	if err := p.Set("valid_range=5,1", SourceFlag); err != nil {
		t.Errorf("Set(valid_range=5,1): %v", err)
	} else if vs, _ := p.Floats("valid_range"); len(vs) != 2 || vs[0] != 5 || vs[1] != 1 {
		t.Errorf("valid_range = %v", vs)
	}
	if err := p.Set("_Unsigned=TRUE", SourceFlag); err != nil {
		t.Error(err)
	}
}
