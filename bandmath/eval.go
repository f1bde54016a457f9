package bandmath

import (
	"fmt"
	"math"
	"unsafe"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

// evalState is one evaluation's scratch space: a BlockSize vector per
// instruction, the current block of every slot, and two 1-row array
// headers through which elementwise kernels see a block.
type evalState struct {
	buf       []float32   // len(code) * BlockSize
	vec       [][]float32 // per slot: the current block's values
	kin, kout chunk.Array
}

func (p *Program) newState() any {
	st := &evalState{buf: make([]float32, len(p.code)*BlockSize), vec: make([][]float32, len(p.code))}
	for i, in := range p.code {
		if in.op == opConst {
			c := st.buf[i*BlockSize : (i+1)*BlockSize]
			for j := range c {
				c[j] = in.val
			}
		}
	}
	return st
}

// Eval computes the expression over dst.Rect into dst (Float32). planes is
// a Float32 array of len(Inputs()) planes, plane k holding input
// Inputs()[k] (see chunk.Array's Planes), whose Rect contains dst.Rect;
// for a program without inputs it may be nil. Eval fails, without
// panicking, on a wrong dtype, plane count, region or data length.
func (p *Program) Eval(dst, planes *chunk.Array) error {
	return p.eval(dst, planes, kernels.NoPace)
}

func (p *Program) eval(dst, planes *chunk.Array, pc kernels.Pacer) error {
	if dst == nil {
		return fmt.Errorf("bandmath: %s: nil destination", p.Name())
	}
	if dst.DType != chunk.Float32 {
		return fmt.Errorf("bandmath: %s: destination is %v, want float32", p.Name(), dst.DType)
	}
	d, _, err := floats(dst, 1)
	if err != nil {
		return fmt.Errorf("bandmath: %s: destination: %w", p.Name(), err)
	}
	var pv []float32
	var planeLen int
	if len(p.inputs) > 0 {
		if planes == nil {
			return fmt.Errorf("bandmath: %s: nil planes", p.Name())
		}
		if planes.DType != chunk.Float32 {
			return fmt.Errorf("bandmath: %s: planes are %v, want float32", p.Name(), planes.DType)
		}
		if planes.NumPlanes() != len(p.inputs) {
			return fmt.Errorf("bandmath: %s: needs %d planes (%v), got %d", p.Name(), len(p.inputs), p.inputs, planes.NumPlanes())
		}
		if !planes.Rect.Contains(dst.Rect) {
			return fmt.Errorf("bandmath: %s: planes cover %v, not the output %v", p.Name(), planes.Rect, dst.Rect)
		}
		if pv, planeLen, err = floats(planes, len(p.inputs)); err != nil {
			return fmt.Errorf("bandmath: %s: planes: %w", p.Name(), err)
		}
	}
	if dst.Rect.Empty() {
		return nil
	}
	st := p.pool.Get().(*evalState)
	defer p.pool.Put(st)
	cols := dst.Rect.Cols()
	last := p.root
	for r := dst.Rect.Row0; r < dst.Rect.Row1; r++ {
		do := dst.Offset(r, dst.Rect.Col0)
		drow := d[do : do+cols : do+cols]
		po := 0
		if planes != nil {
			po = planes.Offset(r, dst.Rect.Col0)
		}
		for c0 := 0; c0 < cols; c0 += BlockSize {
			n := min(BlockSize, cols-c0)
			for i := range p.code {
				in := &p.code[i]
				switch in.op {
				case opInput:
					o := in.plane*planeLen + po + c0
					st.vec[i] = pv[o : o+n : o+n]
					continue
				case opConst:
					st.vec[i] = st.buf[i*BlockSize : i*BlockSize+n]
					continue
				}
				out := st.buf[i*BlockSize : i*BlockSize+n]
				if i == last {
					out = drow[c0 : c0+n]
				}
				if err := st.exec(in, out); err != nil {
					return fmt.Errorf("bandmath: %s: %w", p.Name(), err)
				}
				st.vec[i] = out
			}
			if op := p.code[last].op; op == opInput || op == opConst {
				copy(drow[c0:c0+n], st.vec[last])
			}
		}
		pc.Pace()
	}
	return nil
}

// floats views a Float32 array of the given number of planes as
// []float32, returning also the elements per plane; it checks what
// chunk.Elems would panic on and that Data holds every element.
func floats(a *chunk.Array, planes int) ([]float32, int, error) {
	if a.DType != chunk.Float32 {
		return nil, 0, fmt.Errorf("array is %v, want float32", a.DType)
	}
	if a.Rect.Empty() {
		return nil, 0, nil
	}
	if a.Stride < a.Rect.Cols() {
		return nil, 0, fmt.Errorf("array %v has stride %d < %d columns", a.Rect, a.Stride, a.Rect.Cols())
	}
	planeLen := a.Stride * a.Rect.Rows()
	need := (planes-1)*planeLen + (a.Rect.Rows()-1)*a.Stride + a.Rect.Cols()
	if len(a.Data) < need*4 {
		return nil, 0, fmt.Errorf("array %v of %d planes holds %d bytes, needs %d", a.Rect, planes, len(a.Data), need*4)
	}
	if uintptr(unsafe.Pointer(&a.Data[0]))%4 != 0 {
		return nil, 0, fmt.Errorf("array data is not 4-byte aligned")
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&a.Data[0])), len(a.Data)/4), planeLen, nil
}

// exec computes one instruction over a block into out.
func (st *evalState) exec(in *instr, out []float32) error {
	a := st.vec[in.a]
	switch in.op {
	case opNeg:
		neg(out, a)
	case opAdd, opSub, opMul, opDiv, opLT, opLE, opGT, opGE, opEQ, opNE, opMin, opMax:
		binary(in.op, out, a, st.vec[in.b])
	case opWhere:
		where(out, a, st.vec[in.b], st.vec[in.c])
	case opClip:
		clip(out, a, st.vec[in.b], st.vec[in.c])
	case opAbs:
		for i, x := range a[:len(out)] {
			out[i] = math.Float32frombits(math.Float32bits(x) &^ (1 << 31))
		}
	case opSqrt:
		for i, x := range a[:len(out)] {
			out[i] = float32(math.Sqrt(float64(x))) // correctly rounded
		}
	case opLog:
		for i, x := range a[:len(out)] {
			out[i] = float32(math.Log(float64(x)))
		}
	case opKernel:
		view(&st.kin, a)
		view(&st.kout, out)
		return in.k.Apply(&st.kout, &st.kin, kernels.NoPace)
	default:
		return fmt.Errorf("unknown opcode %d", in.op)
	}
	return nil
}

// view points a at v as a Float32 array of one row (columns 0..len(v)).
func view(a *chunk.Array, v []float32) {
	a.DType, a.Planes = chunk.Float32, 0
	a.Rect = chunk.Rect(0, 0, 1, len(v))
	a.Stride = len(v)
	a.Data = unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), 4*len(v))
}

func neg(out, a []float32) {
	a = a[:len(out)]
	for i, x := range a {
		out[i] = -x
	}
}

// binary applies a two-operand opcode elementwise; every result is
// rounded to float32 on its own.
func binary(op opcode, out, a, b []float32) {
	a, b = a[:len(out)], b[:len(out)]
	switch op {
	case opAdd:
		for i := range out {
			out[i] = a[i] + b[i]
		}
	case opSub:
		for i := range out {
			out[i] = a[i] - b[i]
		}
	case opMul:
		for i := range out {
			out[i] = a[i] * b[i]
		}
	case opDiv:
		for i := range out {
			out[i] = a[i] / b[i]
		}
	case opLT:
		for i := range out {
			out[i] = b2f(a[i] < b[i])
		}
	case opLE:
		for i := range out {
			out[i] = b2f(a[i] <= b[i])
		}
	case opGT:
		for i := range out {
			out[i] = b2f(a[i] > b[i])
		}
	case opGE:
		for i := range out {
			out[i] = b2f(a[i] >= b[i])
		}
	case opEQ:
		for i := range out {
			out[i] = b2f(a[i] == b[i])
		}
	case opNE:
		for i := range out {
			out[i] = b2f(a[i] != b[i])
		}
	case opMin:
		for i := range out {
			out[i] = min(a[i], b[i]) // NaN if either is NaN, like np.minimum
		}
	case opMax:
		for i := range out {
			out[i] = max(a[i], b[i])
		}
	}
}

func b2f(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

// where picks a where cond is non-zero (NaN included, as numpy's truth
// value of NaN is true) and b elsewhere.
func where(out, cond, a, b []float32) {
	cond, a, b = cond[:len(out)], a[:len(out)], b[:len(out)]
	for i, c := range cond {
		if c != 0 {
			out[i] = a[i]
		} else {
			out[i] = b[i]
		}
	}
}

// clip is np.clip: min(max(x, lo), hi), NaN-propagating.
func clip(out, x, lo, hi []float32) {
	x, lo, hi = x[:len(out)], lo[:len(out)], hi[:len(out)]
	for i, v := range x {
		out[i] = min(max(v, lo[i]), hi[i])
	}
}
