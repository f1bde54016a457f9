package bandmath

import (
	"fmt"
	"math"
	"strings"
	"sync"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

// BlockSize is the number of elements a [Program] evaluates at a time: each
// distinct subexpression gets a scratch vector of this length, small enough
// to stay in the L1 cache.
const BlockSize = 256

// opcode is the operation of one instruction of a compiled program.
type opcode uint8

const (
	opInput  opcode = iota // a plane of the input, read in place
	opConst                // a number, broadcast
	opNeg                  // -a
	opAdd                  // a + b
	opSub                  // a - b
	opMul                  // a * b
	opDiv                  // a / b
	opLT                   // a < b
	opLE                   // a <= b
	opGT                   // a > b
	opGE                   // a >= b
	opEQ                   // a == b
	opNE                   // a != b
	opWhere                // a != 0 ? b : c
	opClip                 // min(max(a, b), c)
	opMin                  // min(a, b)
	opMax                  // max(a, b)
	opAbs                  // |a|
	opSqrt                 // sqrt(a)
	opLog                  // log(a)
	opKernel               // an elementwise kernel applied to a
)

var binOps = map[Op]opcode{OpAdd: opAdd, OpSub: opSub, OpMul: opMul, OpDiv: opDiv,
	OpLT: opLT, OpLE: opLE, OpGT: opGT, OpGE: opGE, OpEQ: opEQ, OpNE: opNE}

var callOps = map[string]opcode{"where": opWhere, "clip": opClip, "min": opMin, "max": opMax,
	"abs": opAbs, "sqrt": opSqrt, "log": opLog}

// instr is one instruction; its result goes to the slot with its own
// index, and a, b, c index the slots of its arguments (always lower).
type instr struct {
	op      opcode
	a, b, c int
	plane   int            // opInput: plane index
	val     float32        // opConst: the number
	k       kernels.Kernel // opKernel: bt or reflectance for one input
}

// Program is a compiled expression: a list of instructions over per-block
// scratch vectors, evaluated chunk by chunk with [Program.Eval], or as the
// first kernel of a chain (it implements kernels.Kernel). Identical
// subexpressions (bt(c13) used twice) are computed once per block.
//
// A Program is immutable and safe for concurrent use; each call takes its
// scratch space (one BlockSize vector per instruction, a few KiB) from a
// pool, so evaluation does not allocate once the pool is warm.
type Program struct {
	expr   *Expr
	inputs []string
	code   []instr
	root   int       // the slot of the result
	pool   sync.Pool // *evalState
}

var (
	_ kernels.Kernel   = (*Program)(nil)
	_ kernels.RawInput = (*Program)(nil)
)

// Compile parses src and compiles it against the given inputs, each name
// with its parameters (those of bt: planck_fk1, planck_fk2, planck_bc1,
// planck_bc2; of reflectance: kappa0; see package kernels). Params may be
// nil for an input that bt and reflectance are not applied to. See
// [Expr.Compile].
func Compile(src string, inputs map[string]kernels.Params) (*Program, error) {
	e, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return e.Compile(inputs)
}

// Compile binds the expression to inputs (see [Compile]). It fails, with
// an *[ExprError] pointing at the name, when the expression uses a name
// that is not an input, or when bt or reflectance cannot be built from the
// input's parameters (bt of a reflective ABI band, whose Planck constants
// are -999). An expression without inputs (a constant) is valid.
func (e *Expr) Compile(inputs map[string]kernels.Params) (*Program, error) {
	c := &compiler{e: e, inputs: inputs, slots: map[slotKey]int{}, planes: map[string]int{}, kerns: map[string]kernels.Kernel{}}
	root, err := c.node(e.Root)
	if err != nil {
		return nil, err
	}
	p := &Program{expr: e, inputs: c.order, code: c.code, root: root}
	p.pool.New = func() any { return p.newState() }
	return p, nil
}

// compiler emits instructions for a syntax tree in post order.
type compiler struct {
	e      *Expr
	inputs map[string]kernels.Params
	code   []instr
	slots  map[slotKey]int // instruction -> slot (common subexpressions)
	planes map[string]int  // input name -> plane
	order  []string        // input names by plane
	kerns  map[string]kernels.Kernel
}

// slotKey identifies an instruction by its operation and the slots of its
// arguments: two subexpressions are the same when their operations are and
// their arguments already share slots. Keys are built bottom-up in
// constant size, so compiling is linear in the size of the tree (keying by
// the subexpression's text was quadratic: 4000 terms took 19 s).
type slotKey struct {
	op      opcode
	a, b, c int
	plane   int
	val     uint32         // opConst: the number's bits
	k       kernels.Kernel // opKernel: the kernel (one per function and input)
}

// emit returns the slot of in, appending it unless an identical
// instruction was emitted before.
func (c *compiler) emit(in instr) int {
	key := slotKey{op: in.op, a: in.a, b: in.b, c: in.c, plane: in.plane, val: math.Float32bits(in.val), k: in.k}
	if s, ok := c.slots[key]; ok {
		return s
	}
	c.code = append(c.code, in)
	c.slots[key] = len(c.code) - 1
	return len(c.code) - 1
}

// node returns the slot holding n's value, emitting what computes it.
func (c *compiler) node(n Node) (int, error) {
	switch n := n.(type) {
	case *Num:
		return c.emit(instr{op: opConst, val: n.Value}), nil
	case *Ident:
		if _, ok := c.inputs[n.Name]; !ok {
			return 0, &ExprError{Expr: c.e.Src, Col: n.Col, Msg: fmt.Sprintf("unknown input %q", n.Name)}
		}
		pl, ok := c.planes[n.Name]
		if !ok {
			pl = len(c.order)
			c.planes[n.Name] = pl
			c.order = append(c.order, n.Name)
		}
		return c.emit(instr{op: opInput, plane: pl}), nil
	case *Unary:
		a, err := c.node(n.X)
		if err != nil {
			return 0, err
		}
		return c.emit(instr{op: opNeg, a: a}), nil
	case *Binary:
		a, err := c.node(n.X)
		if err != nil {
			return 0, err
		}
		b, err := c.node(n.Y)
		if err != nil {
			return 0, err
		}
		return c.emit(instr{op: binOps[n.Op], a: a, b: b}), nil
	case *Call:
		return c.call(n)
	}
	return 0, &ExprError{Expr: c.e.Src, Col: n.Pos(), Msg: fmt.Sprintf("unsupported node %T", n)}
}

func (c *compiler) call(n *Call) (int, error) {
	if funcs[n.Func].input {
		a, err := c.node(n.Args[0])
		if err != nil {
			return 0, err
		}
		if n.Func == "calibrate" {
			return a, nil // inputs arrive calibrated
		}
		k, err := c.kernel(n)
		if err != nil {
			return 0, err
		}
		return c.emit(instr{op: opKernel, a: a, k: k}), nil
	}
	op, ok := callOps[n.Func]
	if !ok {
		return 0, &ExprError{Expr: c.e.Src, Col: n.Col, Msg: fmt.Sprintf("unknown function %q", n.Func)}
	}
	var args [3]int
	for i, a := range n.Args {
		s, err := c.node(a)
		if err != nil {
			return 0, err
		}
		args[i] = s
	}
	return c.emit(instr{op: op, a: args[0], b: args[1], c: args[2]}), nil
}

// kernel builds bt or reflectance from the parameters of the call's input.
func (c *compiler) kernel(n *Call) (kernels.Kernel, error) {
	name := n.Args[0].(*Ident).Name
	key := n.Func + "(" + name + ")"
	if k, ok := c.kerns[key]; ok {
		return k, nil
	}
	p := c.inputs[name]
	var k kernels.Kernel
	var err error
	switch n.Func {
	case "bt":
		k, err = kernels.NewBT(p)
	case "reflectance":
		k, err = kernels.NewReflectance(p)
	default:
		err = fmt.Errorf("no kernel")
	}
	if err != nil {
		return nil, &ExprError{Expr: c.e.Src, Col: n.Col, Msg: "cannot compute " + key, Err: err}
	}
	c.kerns[key] = k
	return k, nil
}

// Inputs returns the input names the program reads, in order of first use;
// plane k of the planes given to [Program.Eval] is input Inputs()[k].
func (p *Program) Inputs() []string { return append([]string(nil), p.inputs...) }

// Expr returns the parsed expression.
func (p *Program) Expr() *Expr { return p.expr }

// String returns the expression as given.
func (p *Program) String() string { return p.expr.Src }

// Name returns "bandmath:" followed by the expression, for chain listings
// and error messages.
func (p *Program) Name() string { return "bandmath:" + strings.TrimSpace(p.expr.Src) }

// Halo returns 0: band math is elementwise.
func (p *Program) Halo() int { return 0 }

// Factor returns 1.
func (p *Program) Factor() int { return 1 }

// Boundary returns the zero Boundary (unused: no halo).
func (p *Program) Boundary() chunk.Boundary { return chunk.Boundary{} }

// AcceptsRaw reports true for Float32, so that a chain hands the
// multi-plane input to the program untouched.
func (p *Program) AcceptsRaw(t chunk.DType) bool { return t == chunk.Float32 }

// Apply evaluates the program over dst.Rect from the planes in src (see
// [Program.Eval]), calling pc.Pace after every row.
func (p *Program) Apply(dst, src *chunk.Array, pc kernels.Pacer) error {
	if pc == nil {
		pc = kernels.NoPace
	}
	return p.eval(dst, src, pc)
}
