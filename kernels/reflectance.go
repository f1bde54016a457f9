package kernels

import (
	"fmt"

	"chunkpipe/chunk"
)

// Reflectance is the ABI reflective-band kernel: reflectance factor =
// rad * kappa0, one float32 multiplication. NaN stays NaN. It is safe for
// concurrent use.
type Reflectance struct {
	kappa0 float32
}

var _ Kernel = (*Reflectance)(nil)

// NewReflectance builds the kernel from kappa0 in p. There is no default:
// it fails when kappa0 is missing or -999 (ABI emissive bands carry
// -999), or not a finite float32.
func NewReflectance(p Params) (*Reflectance, error) {
	v, ok := p.Float("kappa0")
	if !ok || v == absent {
		return nil, fmt.Errorf("kernels: reflectance needs kappa0; this band has none (emissive band?)")
	}
	if v != v || isInf32(float32(v)) {
		return nil, fmt.Errorf("kernels: reflectance: kappa0 = %v is not a finite float32", v)
	}
	return &Reflectance{kappa0: float32(v)}, nil
}

func (k *Reflectance) wantsRadiance() {}

// Name returns "reflectance".
func (k *Reflectance) Name() string { return "reflectance" }

// Halo returns 0: reflectance is elementwise.
func (k *Reflectance) Halo() int { return 0 }

// Factor returns 1.
func (k *Reflectance) Factor() int { return 1 }

// Boundary returns the zero Boundary (unused: no halo).
func (k *Reflectance) Boundary() chunk.Boundary { return chunk.Boundary{} }

// Apply multiplies src by kappa0 into dst (both Float32; they may be the
// same array).
func (k *Reflectance) Apply(dst, src *chunk.Array, p Pacer) error {
	return k.apply(dst, src, p, nil)
}

func (k *Reflectance) apply(dst, src *chunk.Array, p Pacer, _ *Scratch) error {
	d, s, err := float32Views("reflectance", dst, src, 1, 0)
	if err != nil {
		return err
	}
	cols := dst.Rect.Cols()
	for r := dst.Rect.Row0; r < dst.Rect.Row1; r++ {
		k.mapRow(row(d, dst, r, dst.Rect.Col0, cols), row(s, src, r, dst.Rect.Col0, cols))
		p.Pace()
	}
	return nil
}

// mapRow multiplies one row by kappa0; as a pointwise kernel it also fuses
// into calibrate's lookup table.
func (k *Reflectance) mapRow(out, in []float32) {
	in = in[:len(out)]
	k0 := k.kappa0
	for i, x := range in {
		out[i] = x * k0
	}
}
