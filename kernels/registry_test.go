package kernels

import (
	"math"
	"strings"

	"chunkpipe/chunk"
	"testing"
)

func TestParseChain(t *testing.T) {
	cases := []struct {
		text    string
		kernels int
		reducer string
		factor  int
		str     string
	}{
		{"calibrate,bt,blur:5,coarsen:4,stats", 4, "stats", 4, "calibrate,bt,blur:5,coarsen:4,stats"},
		{" calibrate , BT ", 2, "", 1, "calibrate,bt"},
		{"calibrate,coarsen:2,blur:5,coarsen:3", 4, "", 6, "calibrate,coarsen:2,blur:5,coarsen:3"},
		{"blur:3:constant:-1.5", 1, "", 1, "blur:3:constant:-1.5"},
		{"median:5:nearest", 1, "", 1, "median:5:nearest"},
		{"blur:5:reflect", 1, "", 1, "blur:5"},
		{"histogram:64", 0, "histogram:64", 1, "histogram:64"},
		{"histogram:10:0:400", 0, "histogram:10:0:400", 1, "histogram:10:0:400"},
		{"noop", 1, "", 1, "noop"},
		{"", 0, "", 1, ""},
	}
	for _, c := range cases {
		ch, err := ParseChain(c.text, withPlanck(nil))
		if err != nil {
			t.Errorf("ParseChain(%q): %v", c.text, err)
			continue
		}
		rn := ""
		if ch.Reducer() != nil {
			rn = ch.Reducer().Name()
		}
		if len(ch.Kernels()) != c.kernels || rn != c.reducer || ch.Factor() != c.factor || ch.String() != c.str {
			t.Errorf("ParseChain(%q): %d kernels, reducer %q, factor %d, %q; want %d, %q, %d, %q",
				c.text, len(ch.Kernels()), rn, ch.Factor(), ch.String(), c.kernels, c.reducer, c.factor, c.str)
		}
	}
}

func TestParseChainErrors(t *testing.T) {
	refl := Params{}
	refl.SetFloat("kappa0", -999, SourceFile)
	emissive := Params{}
	emissive.SetFloat("planck_fk1", -999, SourceFile)
	cases := []struct {
		text string
		p    Params
		want string // substring of the error
	}{
		{"calibrate,gamma", nil, `unknown kernel "gamma" (known: abi, blur, bt, calibrate, coarsen, histogram, median, noop, primes, reflectance, sleep, stats)`},
		{"blur:0", nil, "blur size 0 must be odd"},
		{"blur:x", nil, `blur size "x" is not an integer`},
		{"blur", nil, "blur wants a size"},
		{"blur:4", nil, "must be odd"},
		{"blur:2048", nil, "must be odd and in [1, 1023]"},
		{"blur:5:mirror", nil, "unknown boundary"},
		{"median:4", nil, "median size 4 must be odd"},
		{"median:-3", nil, "median size -3"},
		{"coarsen:0", nil, "coarsen factor 0 must be in"},
		{"coarsen", nil, "coarsen wants one argument"},
		{"coarsen:2:3", nil, "coarsen wants one argument"},
		{"histogram:0", nil, "histogram bin count 0"},
		{"histogram:10:5:1", nil, "MIN < MAX"},
		{"histogram:10:5", nil, "histogram wants"},
		{"histogram:10:a:b", nil, "not two numbers"},
		{"histogram:10:0:inf", nil, "must be finite"},
		{"stats,blur:3", nil, `reducer "stats" must be the last item`},
		{"stats:3", nil, "stats takes no arguments"},
		{"calibrate:1", nil, "calibrate takes no arguments"},
		{"calibrate,,bt", nil, "item 2 is empty"},
		{"reflectance", nil, "reflectance needs kappa0; this band has none (emissive band?)"},
		{"reflectance", refl, "reflectance needs kappa0"},
		{"calibrate,bt", emissive, "bt needs planck_fk1; this band has -999 (reflective band?)"},
	}
	for _, c := range cases {
		_, err := ParseChain(c.text, c.p)
		if err == nil {
			t.Errorf("ParseChain(%q) succeeded", c.text)
			continue
		}
		if !strings.HasPrefix(err.Error(), "kernels: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseChain(%q) = %q, want it to contain %q", c.text, err, c.want)
		}
	}
}

func TestParseKernelAndReducerKinds(t *testing.T) {
	if _, err := ParseKernel("stats", nil); err == nil {
		t.Error("ParseKernel(stats) succeeded")
	}
	if _, err := ParseReducer("blur:3"); err == nil {
		t.Error("ParseReducer(blur:3) succeeded")
	}
	if _, err := ParseReducer("nope"); err == nil {
		t.Error("ParseReducer(nope) succeeded")
	}
}

func TestCatalog(t *testing.T) {
	docs := Catalog()
	seen := map[string]bool{}
	for _, d := range docs {
		seen[d.Name] = true
		if d.Usage == "" || d.Summary == "" || d.Halo == "" || d.Output == "" {
			t.Errorf("%s: incomplete doc %+v", d.Name, d)
		}
		// Every usage must parse once its placeholders are filled in.
		spec := strings.NewReplacer("[:reflect|nearest|none|constant:V]", "", "[:MIN:MAX]", "", ":N", ":3", ":BINS", ":8", ":MS", ":1").Replace(d.Usage)
		p := withPlanck(nil)
		p.SetFloat("kappa0", 1, SourceDefault)
		var err error
		if d.IsReducer() {
			_, err = ParseReducer(spec)
		} else {
			_, err = ParseKernel(spec, p)
		}
		if err != nil {
			t.Errorf("%s: usage %q as %q: %v", d.Name, d.Usage, spec, err)
		}
	}
	for _, n := range []string{"calibrate", "reflectance", "bt", "blur", "median", "coarsen", "noop", "stats", "histogram"} {
		if !seen[n] {
			t.Errorf("catalog lacks %s", n)
		}
	}
	docs[0].Name = "changed"
	if Catalog()[0].Name == "changed" {
		t.Error("Catalog returns the registry itself")
	}
}

// The scenario kernels: primes marks primes, sleep copies its input and
// runs its wait through a Blocker when the pacer is one.
func TestScenarioKernels(t *testing.T) {
	src := chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 1, 8))
	copy(src.Float32s(), []float32{0, 1, 2, 3, 4, 97, 100, float32(math.NaN())})
	dst := chunk.NewArray(chunk.Float32, src.Rect)
	if err := (Primes{}).Apply(dst, src, NoPace); err != nil {
		t.Fatal(err)
	}
	want := []float32{0, 0, 1, 1, 0, 1, 0}
	for i, w := range want {
		if dst.Float32s()[i] != w {
			t.Errorf("primes(%v) = %v", src.Float32s()[i], dst.Float32s()[i])
		}
	}
	if !math.IsNaN(float64(dst.Float32s()[7])) {
		t.Error("primes(NaN) is not NaN")
	}
	k, err := ParseKernel("sleep:2", nil)
	if err != nil {
		t.Fatal(err)
	}
	var b countingBlocker
	if err := k.Apply(dst, src, &b); err != nil {
		t.Fatal(err)
	}
	if b.n != 1 || dst.Float32s()[5] != 97 {
		t.Errorf("sleep: blocked %d times, copied %v", b.n, dst.Float32s()[5])
	}
	if _, err := ParseKernel("sleep:x", nil); err == nil {
		t.Error("sleep:x accepted")
	}
}

type countingBlocker struct{ n int }

func (c *countingBlocker) Pace()          {}
func (c *countingBlocker) Block(f func()) { c.n++; f() }

// abi picks reflectance or bt from the band's constants.
func TestABIPhysical(t *testing.T) {
	refl := Params{}
	refl.SetFloat("kappa0", 0.0015, SourceFile)
	refl.SetFloat("planck_fk1", -999, SourceFile)
	if k, err := ParseKernel("abi", refl); err != nil || k.Name() != "reflectance" {
		t.Errorf("reflective band: %v, %v", k, err)
	}
	emis := Params{}
	emis.SetFloat("kappa0", -999, SourceFile)
	for n, v := range map[string]float64{"planck_fk1": 203135, "planck_fk2": 3703.5, "planck_bc1": 0.44554, "planck_bc2": 0.99938} {
		emis.SetFloat(n, v, SourceFile)
	}
	if k, err := ParseKernel("abi", emis); err != nil || k.Name() != "bt" {
		t.Errorf("emissive band: %v, %v", k, err)
	}
	if _, err := ParseKernel("abi", Params{}); err == nil {
		t.Error("abi without constants accepted")
	}
}
