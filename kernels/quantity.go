package kernels

import "strings"

// Quantity says what an array's values are, in the CF attributes writers
// record: units, long_name and standard_name. Empty fields are unknown.
type Quantity struct {
	Units        string
	LongName     string
	StandardName string
}

// Describer is implemented by kernels whose output is a different physical
// quantity than their input (calibrate, bt, reflectance). DescribeOutput
// returns what the output is, given what the input is. Kernels that do not
// implement it (filters, coarsening) keep their input's quantity.
type Describer interface {
	DescribeOutput(in Quantity) Quantity
}

// DescribeOutput returns what c's output is when its input is in: each
// kernel that implements [Describer], in chain order, rewrites the
// quantity; the others keep it.
func (c *Chain) DescribeOutput(in Quantity) Quantity {
	q := in
	for _, k := range c.kernels {
		if d, ok := k.(Describer); ok {
			q = d.DescribeOutput(q)
		}
	}
	return q
}

var (
	_ Describer = (*Calibrate)(nil)
	_ Describer = (*BT)(nil)
	_ Describer = (*Reflectance)(nil)
)

// DescribeOutput keeps the input's units and standard name (calibrate
// decodes stored counts into the quantity they encode) and marks a
// long_name that spoke of counts as calibrated.
func (c *Calibrate) DescribeOutput(in Quantity) Quantity {
	if in.LongName == "" || strings.Contains(strings.ToLower(in.LongName), "count") {
		in.LongName = strings.TrimSpace("calibrated " + strings.TrimSpace(in.LongName))
	}
	return in
}

// DescribeOutput returns brightness temperature in kelvin.
func (k *BT) DescribeOutput(Quantity) Quantity {
	return Quantity{Units: "K", LongName: "brightness temperature", StandardName: "toa_brightness_temperature"}
}

// DescribeOutput returns the reflectance factor, a dimensionless ratio.
func (k *Reflectance) DescribeOutput(Quantity) Quantity {
	return Quantity{Units: "1", LongName: "reflectance factor", StandardName: "toa_bidirectional_reflectance"}
}
