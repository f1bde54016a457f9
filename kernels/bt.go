package kernels

import (
	"fmt"
	"strings"

	"chunkpipe/chunk"
)

// planckNames are the Params bt reads, in the order FK1, FK2, BC1, BC2.
var planckNames = [4]string{"planck_fk1", "planck_fk2", "planck_bc1", "planck_bc2"}

// absent is the value ABI files give coefficients that do not apply to a
// band (planck_* on reflective bands, kappa0 on emissive ones).
const absent = -999

// BT is the ABI brightness-temperature kernel, computed in float32 step by
// step exactly as dask_pipeline.py's bt_np (each step rounded to float32):
//
//	t = FK1 / rad;  t += 1;  t = log(t);  t = FK2 / t;  t -= BC1;  t /= BC2
//
// log is [log32] (correctly rounded but for inputs within 1e-3 ulp of a
// midpoint; at most 0.501 ulp), so results match numpy's float32 log to an
// ulp or so. Built with GOEXPERIMENT=simd on an AVX-512 CPU, bt runs a
// vector loop whose float32 logarithm is within 2 ulp (btLoop in
// simd_amd64.go); every element of a run takes the same loop, so results
// do not depend on chunking, workers or lock mode.
// NaN stays NaN; rad <= 0 gives whatever IEEE arithmetic gives.
// BT is safe for concurrent use.
type BT struct {
	fk1, fk2, bc1, bc2 float32
}

var (
	_ Kernel    = (*BT)(nil)
	_ pointwise = (*BT)(nil)
)

// NewBT builds the kernel from planck_fk1, planck_fk2, planck_bc1 and
// planck_bc2 in p. There are no defaults: it fails, naming them, when any
// is missing (the synthetic granule's are the "anchors" [Preset]), when
// any is -999 (the value ABI reflective bands carry) or not finite, and
// when planck_bc2 is 0.
func NewBT(p Params) (*BT, error) {
	var vals [4]float64
	var missing []string
	for i, n := range planckNames {
		v, ok := p.Float(n)
		if !ok {
			missing = append(missing, n)
			continue
		}
		if v == absent {
			return nil, fmt.Errorf("kernels: bt needs %s; this band has -999 (reflective band?)", n)
		}
		if v != v || isInf32(float32(v)) {
			return nil, fmt.Errorf("kernels: bt: %s = %v is not a finite float32", n, v)
		}
		vals[i] = v
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("kernels: bt needs %s, which the input lacks (an ABI L1b emissive band carries them): "+
			"give them with --param %s=VALUE, or --preset anchors for the synthetic granule", strings.Join(missing, ", "), strings.Join(missing, "=VALUE --param "))
	}
	if float32(vals[3]) == 0 {
		return nil, fmt.Errorf("kernels: bt: planck_bc2 must not be 0")
	}
	return &BT{fk1: float32(vals[0]), fk2: float32(vals[1]), bc1: float32(vals[2]), bc2: float32(vals[3])}, nil
}

func (k *BT) wantsRadiance() {}

// Name returns "bt".
func (k *BT) Name() string { return "bt" }

// Halo returns 0: bt is elementwise.
func (k *BT) Halo() int { return 0 }

// Factor returns 1.
func (k *BT) Factor() int { return 1 }

// Boundary returns the zero Boundary (unused: no halo).
func (k *BT) Boundary() chunk.Boundary { return chunk.Boundary{} }

// Apply converts radiance in src to brightness temperature in dst (both
// Float32; they may be the same array).
func (k *BT) Apply(dst, src *chunk.Array, p Pacer) error { return k.apply(dst, src, p, nil) }

func (k *BT) apply(dst, src *chunk.Array, p Pacer, _ *Scratch) error {
	d, s, err := float32Views("bt", dst, src, 1, 0)
	if err != nil {
		return err
	}
	cols := dst.Rect.Cols()
	for r := dst.Rect.Row0; r < dst.Rect.Row1; r++ {
		k.row(row(d, dst, r, dst.Rect.Col0, cols), row(s, src, r, dst.Rect.Col0, cols))
		p.Pace()
	}
	return nil
}

// mapRow is row: bt maps each element by its value alone.
func (k *BT) mapRow(out, in []float32) { k.row(out, in) }

// row computes one row; explicit float32 conversions keep every step
// rounded on its own.
func (k *BT) row(out, in []float32) {
	fk1, fk2, bc1, bc2 := k.fk1, k.fk2, k.bc1, k.bc2
	in = in[:len(out)]
	i := btVec(out, in, fk1, fk2, bc1, bc2)
	btScalarRows(out[i:], in[i:], fk1, fk2, bc1, bc2)
}

// btScalarRows is bt's portable loop over in, into out (as long).
func btScalarRows(out, in []float32, fk1, fk2, bc1, bc2 float32) {
	in = in[:len(out)]
	for i, rad := range in {
		t := float32(fk1 / rad)
		t = float32(t + 1)
		t = log32(t)
		t = float32(fk2 / t)
		t = float32(t - bc1)
		out[i] = float32(t / bc2)
	}
}
