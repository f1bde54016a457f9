package kernels

import "fmt"

// NewABIPhysical returns the kernel that turns an ABI band's radiance into
// its physical quantity: reflectance for the reflective bands (1-6, which
// carry kappa0) and brightness temperature for the emissive ones (7-16,
// which carry the Planck coefficients). Batches over every band of a scan
// use it as "calibrate,abi". Like bt and reflectance, it has no defaults:
// the parameters must say which kind of band it is.
func NewABIPhysical(p Params) (Kernel, error) {
	if v, ok := p.Float("kappa0"); ok && v != absent && v == v {
		return NewReflectance(p)
	}
	if v, ok := p.Float("planck_fk1"); ok && v != absent && v == v {
		return NewBT(p)
	}
	return nil, fmt.Errorf("kernels: abi needs an ABI L1b band: neither kappa0 nor planck_fk1 is set")
}
