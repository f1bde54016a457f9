package kernels

import "testing"

// A chain describes its output through the kernels that implement
// Describer, in order; the others keep the quantity.
func TestChainDescribeOutput(t *testing.T) {
	rad := Quantity{Units: "mW m-2 sr-1 (cm-1)-1", LongName: "ABI L1b Radiances", StandardName: "toa_outgoing_radiance_per_unit_wavenumber"}
	p := withPlanck(nil)
	p.SetFloats("kappa0", []float64{0.0019}, SourceFlag)
	for _, c := range []struct {
		chain string
		in    Quantity
		want  Quantity
	}{
		{"calibrate", rad, rad},
		{"calibrate", Quantity{LongName: "raw counts"}, Quantity{LongName: "calibrated raw counts"}},
		{"calibrate", Quantity{}, Quantity{LongName: "calibrated"}},
		{"calibrate,bt", rad, Quantity{Units: "K", LongName: "brightness temperature", StandardName: "toa_brightness_temperature"}},
		{"calibrate,reflectance,blur:3", rad, Quantity{Units: "1", LongName: "reflectance factor", StandardName: "toa_bidirectional_reflectance"}},
		{"blur:3,coarsen:2", rad, rad},
	} {
		ch, err := ParseChain(c.chain, p)
		if err != nil {
			t.Fatal(err)
		}
		if got := ch.DescribeOutput(c.in); got != c.want {
			t.Errorf("%s over %+v: %+v, want %+v", c.chain, c.in, got, c.want)
		}
	}
}
