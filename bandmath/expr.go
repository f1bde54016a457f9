package bandmath

import (
	"strconv"
	"strings"
)

// Node is a node of an expression's syntax tree: *[Num], *[Ident],
// *[Unary], *[Binary] or *[Call].
type Node interface {
	// Pos returns the node's 1-based column (in runes) in the expression:
	// where a number, name or function name starts, or the operator of a
	// unary or binary operation.
	Pos() int
	// String formats the node as an expression, fully parenthesised.
	String() string
	node()
}

// Num is a numeric literal. Value is the literal rounded to float32, the
// precision it is computed in.
type Num struct {
	Col   int
	Text  string
	Value float32
}

// Ident is the name of an input.
type Ident struct {
	Col  int
	Name string
}

// Unary is a negation, -X.
type Unary struct {
	Col int
	X   Node
}

// Binary is X Op Y for an arithmetic or comparison operator.
type Binary struct {
	Col  int // the operator's column
	Op   Op
	X, Y Node
}

// Call is a function call. For bt, reflectance and calibrate the single
// argument is an *[Ident].
type Call struct {
	Col  int // the function name's column
	Func string
	Args []Node
}

// Op is a binary operator.
type Op uint8

// The binary operators, in no particular order.
const (
	OpAdd Op = iota + 1 // +
	OpSub               // -
	OpMul               // *
	OpDiv               // /
	OpLT                // <
	OpLE                // <=
	OpGT                // >
	OpGE                // >=
	OpEQ                // ==
	OpNE                // !=
)

var opText = [...]string{OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/", OpLT: "<", OpLE: "<=", OpGT: ">", OpGE: ">=", OpEQ: "==", OpNE: "!="}

// String returns the operator as typed, e.g. "<=".
func (o Op) String() string {
	if int(o) < len(opText) && opText[o] != "" {
		return opText[o]
	}
	return "op(" + strconv.Itoa(int(o)) + ")"
}

// Comparison reports whether o is one of < <= > >= == !=.
func (o Op) Comparison() bool { return o >= OpLT && o <= OpNE }

func opFromText(s string) Op {
	for i, t := range opText {
		if t == s && t != "" {
			return Op(i)
		}
	}
	return 0
}

// Pos returns the literal's column.
func (n *Num) Pos() int { return n.Col }

// Pos returns the name's column.
func (n *Ident) Pos() int { return n.Col }

// Pos returns the minus sign's column.
func (n *Unary) Pos() int { return n.Col }

// Pos returns the operator's column.
func (n *Binary) Pos() int { return n.Col }

// Pos returns the function name's column.
func (n *Call) Pos() int { return n.Col }

// String formats the literal in the shortest form that reads back as the
// same float32.
func (n *Num) String() string { return strconv.FormatFloat(float64(n.Value), 'g', -1, 32) }

// String returns the name.
func (n *Ident) String() string { return n.Name }

// String returns "(-X)".
func (n *Unary) String() string { return "(-" + n.X.String() + ")" }

// String returns "(X op Y)".
func (n *Binary) String() string {
	return "(" + n.X.String() + " " + n.Op.String() + " " + n.Y.String() + ")"
}

// String returns "f(a, b)".
func (n *Call) String() string {
	var b strings.Builder
	b.WriteString(n.Func)
	b.WriteByte('(')
	for i, a := range n.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.String())
	}
	b.WriteByte(')')
	return b.String()
}

func (*Num) node()    {}
func (*Ident) node()  {}
func (*Unary) node()  {}
func (*Binary) node() {}
func (*Call) node()   {}

// Expr is a parsed expression: its text and syntax tree. It is immutable.
type Expr struct {
	Src  string // the expression as given
	Root Node
}

// String returns the expression as given.
func (e *Expr) String() string { return e.Src }

// Inputs returns the input names the expression uses, in order of first
// use (left to right).
func (e *Expr) Inputs() []string {
	var names []string
	seen := map[string]bool{}
	walk(e.Root, func(n Node) {
		if id, ok := n.(*Ident); ok && !seen[id.Name] {
			seen[id.Name] = true
			names = append(names, id.Name)
		}
	})
	return names
}

// walk calls f for n and its descendants, left to right, parents first.
func walk(n Node, f func(Node)) {
	f(n)
	switch n := n.(type) {
	case *Unary:
		walk(n.X, f)
	case *Binary:
		walk(n.X, f)
		walk(n.Y, f)
	case *Call:
		for _, a := range n.Args {
			walk(a, f)
		}
	}
}
