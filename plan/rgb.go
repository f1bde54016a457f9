package plan

import (
	"fmt"

	"chunkpipe/bandmath"
	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

// rgbKernel evaluates three band-math programs, one per colour channel,
// into the three planes of its output. Its input has one plane per source
// input; each program sees the planes it uses as a contiguous run when the
// source order allows, else a copy.
type rgbKernel struct {
	progs [3]*bandmath.Program
	// runs[k] is the first plane of channel k's inputs when they are a
	// contiguous run of the source's planes in the program's order, or -1.
	runs [3]int
	idx  [3][]int // the source plane of each of channel k's inputs
}

var (
	_ kernels.Kernel   = (*rgbKernel)(nil)
	_ kernels.RawInput = (*rgbKernel)(nil)
)

// newRGBKernel orders src's planes by first use across the channels.
func newRGBKernel(progs [3]*bandmath.Program, src *bandmath.Source) (*rgbKernel, error) {
	var order []string
	pos := map[string]int{}
	for _, p := range progs {
		for _, n := range p.Inputs() {
			if _, ok := pos[n]; !ok {
				pos[n] = len(order)
				order = append(order, n)
			}
		}
	}
	if err := src.Order(order); err != nil {
		return nil, err
	}
	k := &rgbKernel{progs: progs}
	for ch, p := range progs {
		k.runs[ch] = -1
		for i, n := range p.Inputs() {
			k.idx[ch] = append(k.idx[ch], pos[n])
			if i == 0 {
				k.runs[ch] = pos[n]
			} else if pos[n] != k.runs[ch]+i {
				k.runs[ch] = -1
			}
		}
	}
	return k, nil
}

// Name returns "rgb".
func (k *rgbKernel) Name() string { return "rgb" }

// Halo returns 0.
func (k *rgbKernel) Halo() int { return 0 }

// Factor returns 1.
func (k *rgbKernel) Factor() int { return 1 }

// Boundary returns the zero boundary (no halo).
func (k *rgbKernel) Boundary() chunk.Boundary { return chunk.Boundary{} }

// AcceptsRaw takes the multi-plane float32 input as it is.
func (k *rgbKernel) AcceptsRaw(t chunk.DType) bool { return t == chunk.Float32 }

// Apply evaluates each channel into its plane of dst.
func (k *rgbKernel) Apply(dst, src *chunk.Array, p kernels.Pacer) error {
	if dst.NumPlanes() != 3 {
		return fmt.Errorf("rgb: output has %d planes, want 3", dst.NumPlanes())
	}
	planeBytes := src.Stride * src.Rect.Rows() * src.DType.Size()
	for ch, prog := range k.progs {
		var in *chunk.Array
		n := len(k.idx[ch])
		if first := k.runs[ch]; first >= 0 {
			in = &chunk.Array{DType: src.DType, Rect: src.Rect, Stride: src.Stride, Planes: n,
				Data: src.Data[first*planeBytes : (first+n)*planeBytes]}
		} else {
			in = &chunk.Array{}
			in.ResetPlanes(src.DType, src.Rect, n)
			for i, s := range k.idx[ch] {
				in.Plane(i).CopyFrom(src.Plane(s))
			}
		}
		if err := prog.Eval(dst.Plane(ch), in); err != nil {
			return err
		}
		p.Pace()
	}
	return nil
}
