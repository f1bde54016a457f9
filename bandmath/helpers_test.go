package bandmath

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/kernels"
)

// memReader is an in-memory int16 formats.Reader that records the regions
// it is asked for.
type memReader struct {
	info    formats.Info
	data    []int16 // row-major, info.Shape
	scalars formats.Attrs

	mu    sync.Mutex
	reads []chunk.Region
}

func (m *memReader) Info() formats.Info     { return m.info }
func (m *memReader) Close() error           { return nil }
func (m *memReader) Scalars() formats.Attrs { return m.scalars }

func (m *memReader) ReadRegion(ctx context.Context, r chunk.Region, dst *chunk.Array) error {
	if !m.info.Shape.Bounds().Contains(r) || dst.Rect != r || dst.DType != chunk.Int16 {
		return fmt.Errorf("memReader: bad read %v into %v %v", r, dst.DType, dst.Rect)
	}
	m.mu.Lock()
	m.reads = append(m.reads, r)
	m.mu.Unlock()
	d := chunk.Elems[int16](dst)
	for row := r.Row0; row < r.Row1; row++ {
		o := dst.Offset(row, r.Col0)
		copy(d[o:o+r.Cols()], m.data[row*m.info.Shape.Cols+r.Col0:])
	}
	return nil
}

// maxRead returns the largest region read so far (by element count).
func (m *memReader) maxRead() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, r := range m.reads {
		n = max(n, r.Len())
	}
	return n
}

// calParams are CF attributes of a synthetic int16 band: rad =
// raw*scale + offset, raw 1023 is fill.
func calParams(scale, offset float64) kernels.Params {
	p := kernels.Params{}
	p.SetFloat("scale_factor", scale, kernels.SourceFile)
	p.SetFloat("add_offset", offset, kernels.SourceFile)
	p.SetFloat("_FillValue", 1023, kernels.SourceFile)
	return p
}

// Planck constants resembling ABI bands 7 and 14 (GOES-16).
func planck(fk1, fk2, bc1, bc2 float64) kernels.Params {
	p := kernels.Params{}
	p.SetFloat("planck_fk1", fk1, kernels.SourceFile)
	p.SetFloat("planck_fk2", fk2, kernels.SourceFile)
	p.SetFloat("planck_bc1", bc1, kernels.SourceFile)
	p.SetFloat("planck_bc2", bc2, kernels.SourceFile)
	return p
}

func merge(ps ...kernels.Params) kernels.Params {
	out := kernels.Params{}
	for _, p := range ps {
		for k, v := range p {
			out[k] = v
		}
	}
	return out
}

var (
	paramsC07 = merge(calParams(0.001564351, -0.0376504), planck(202263, 3698.19, 0.43361, 0.99939))
	paramsC14 = merge(calParams(0.1556, -5.0), planck(8510.22, 1286.27, 0.22516, 0.9992))
)

// newMem builds an int16 reader of the given shape with raw counts from
// gen(row, col); storage is the recorded storage chunk.
func newMem(name string, s chunk.Shape, storage chunk.Shape, gen func(r, c int) int16) *memReader {
	m := &memReader{info: formats.Info{Path: name + ".mem", Format: "mem", Shape: s, DType: chunk.Int16, Storage: storage}}
	m.data = make([]int16, s.Len())
	for r := 0; r < s.Rows; r++ {
		for c := 0; c < s.Cols; c++ {
			m.data[r*s.Cols+c] = gen(r, c)
		}
	}
	return m
}

// randomCounts returns a generator of counts in [lo, hi) with a fill
// value (1023) at about one element in fillEvery (never when 0).
func randomCounts(seed uint64, lo, hi, fillEvery int) func(r, c int) int16 {
	rng := rand.New(rand.NewPCG(seed, seed))
	return func(r, c int) int16 {
		if fillEvery > 0 && rng.IntN(fillEvery) == 0 {
			return 1023
		}
		return int16(lo + rng.IntN(hi-lo))
	}
}

// planesOf returns a tight Float32 array of n planes over r, filled by
// gen(plane, row, col).
func planesOf(r chunk.Region, n int, gen func(k, row, col int) float32) *chunk.Array {
	a := &chunk.Array{}
	a.ResetPlanes(chunk.Float32, r, n)
	v := a.Float32s()
	for k := 0; k < n; k++ {
		for row := r.Row0; row < r.Row1; row++ {
			for col := r.Col0; col < r.Col1; col++ {
				v[k*r.Len()+a.Offset(row, col)] = gen(k, row, col)
			}
		}
	}
	return a
}

// sameBits reports whether two float32s are identical, any NaN matching
// any NaN.
func sameBits(a, b float32) bool {
	if a != a || b != b {
		return a != a && b != b
	}
	return math.Float32bits(a) == math.Float32bits(b)
}

// at returns element (row, col) of plane k of a.
func at(a *chunk.Array, k, row, col int) float32 {
	return a.Float32s()[k*a.Stride*a.Rect.Rows()+a.Offset(row, col)]
}

func mustCompile(t testing.TB, src string, in map[string]kernels.Params) *Program {
	t.Helper()
	p, err := Compile(src, in)
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	return p
}
