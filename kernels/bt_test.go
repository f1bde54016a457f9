package kernels

import (
	"math/rand/v2"
	"strings"
	"testing"

	"chunkpipe/chunk"
)

// bt has no built-in Planck constants: without them (a non-ABI float
// field, a partial set) it refuses, naming what is missing and the ways
// to give it; the anchors preset supplies band 13's, which give the bits
// bt gave when they were its defaults.
func TestBTNeedsPlanckConstants(t *testing.T) {
	cf := Params{} // a CF-encoded field that is no ABI band
	cf.SetFloat("scale_factor", 0.01, SourceFile)
	cf.SetFloat("add_offset", 273.15, SourceFile)
	partial := Params{}
	partial.SetFloat("planck_fk1", 13432.1, SourceFlag)
	partial.SetFloat("planck_bc2", 0.99971, SourceFlag)
	all := []string{"planck_fk1", "planck_fk2", "planck_bc1", "planck_bc2"}
	cases := []struct {
		text             string
		p                Params
		missing, present []string
	}{
		{"bt", nil, all, nil},
		{"calibrate,bt", cf, all, nil},
		{"calibrate,bt,stats", partial, []string{"planck_fk2", "planck_bc1"}, []string{"planck_fk1", "planck_bc2"}},
		{"abi", partial, []string{"planck_fk2", "planck_bc1"}, []string{"planck_fk1", "planck_bc2"}},
	}
	for _, c := range cases {
		_, err := ParseChain(c.text, c.p)
		if err == nil {
			t.Errorf("%s: accepted without Planck constants", c.text)
			continue
		}
		msg := err.Error()
		for _, want := range []string{"kernels: bt needs ", "ABI L1b emissive band", "--param " + c.missing[0] + "=", "--preset anchors"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: error %q lacks %q", c.text, msg, want)
			}
		}
		needs, _, _ := strings.Cut(strings.TrimPrefix(msg, "kernels: bt needs "), ", which")
		if got := strings.Join(c.missing, ", "); needs != got {
			t.Errorf("%s: error names %q as missing, want %q", c.text, needs, got)
		}
		for _, n := range c.present {
			if strings.Contains(msg, n) {
				t.Errorf("%s: error %q names %s, which was given", c.text, msg, n)
			}
		}
	}

	// The preset's constants are the former defaults, literally, and give
	// the same bits as passing them by hand (golden_test checks the
	// preset's calibrate,bt against the anchors' own output).
	byHand := Params{}
	for n, v := range map[string]float64{"planck_fk1": 13432.1, "planck_fk2": 1497.61, "planck_bc1": 0.09102, "planck_bc2": 0.99971} {
		byHand.SetFloat(n, v, SourceFlag)
	}
	want, err := NewBT(byHand)
	if err != nil {
		t.Fatal(err)
	}
	preset := anchors(t)
	got, err := NewBT(preset)
	if err != nil {
		t.Fatalf("bt with the anchors preset: %v", err)
	}
	if *got != *want {
		t.Errorf("anchors preset gives %+v, want the former defaults %+v", *got, *want)
	}
	rng := rand.New(rand.NewPCG(13, 1))
	sh := chunk.Shape{Rows: 19, Cols: 41}
	rad := make([]float32, sh.Len())
	for i := range rad {
		rad[i] = 0.5 + 150*rng.Float32()
	}
	in := f32Array(t, sh.Bounds(), rad...)
	sameBits(t, "bt with the anchors preset", whole(t, mustChain(t, "bt", preset), in), whole(t, mustChain(t, "bt", byHand), in))
}
