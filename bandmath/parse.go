package bandmath

import (
	"fmt"
	"math"
	"strconv"
)

// Parse parses an expression (see the package documentation for the
// language) into a syntax tree. It checks syntax, function names and
// argument counts, and that bt, reflectance and calibrate are applied to
// an input name; whether the names exist is checked by [Compile]. Errors
// are *[ExprError] values pointing at the offending part.
//
// Precedence, lowest first: comparisons (which do not chain: write
// (a < b) < c), then + and -, then * and /, then unary minus. Binary
// operators of equal precedence group left to right.
func Parse(src string) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	if p.peek().kind == tokEOF {
		return nil, &ExprError{Expr: src, Col: 1, Msg: "empty expression"}
	}
	root, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		if t.kind == tokRParen {
			return nil, p.errAt(t, "unbalanced ')'")
		}
		return nil, p.errAt(t, "unexpected "+t.describe()+" after a complete expression")
	}
	return &Expr{Src: src, Root: root}, nil
}

// parser is a recursive-descent parser over the tokens of one expression.
type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) errAt(t token, msg string) error {
	return &ExprError{Expr: p.src, Col: t.col, Msg: msg}
}

// expr := sum [cmpop sum]
func (p *parser) expr() (Node, error) {
	x, err := p.sum()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind != tokOp || !opFromText(t.text).Comparison() {
		return x, nil
	}
	p.next()
	y, err := p.sum()
	if err != nil {
		return nil, err
	}
	if t2 := p.peek(); t2.kind == tokOp && opFromText(t2.text).Comparison() {
		return nil, p.errAt(t2, "comparisons do not chain; add parentheses")
	}
	return &Binary{Col: t.col, Op: opFromText(t.text), X: x, Y: y}, nil
}

// sum := product {("+"|"-") product}
func (p *parser) sum() (Node, error) {
	return p.binary(p.product, OpAdd, OpSub)
}

// product := unary {("*"|"/") unary}
func (p *parser) product() (Node, error) {
	return p.binary(p.unary, OpMul, OpDiv)
}

// binary parses operand {op operand} for the given operators, grouping
// left to right.
func (p *parser) binary(operand func() (Node, error), ops ...Op) (Node, error) {
	x, err := operand()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tokOp {
			return x, nil
		}
		op := opFromText(t.text)
		if op != ops[0] && op != ops[1] {
			return x, nil
		}
		p.next()
		y, err := operand()
		if err != nil {
			return nil, err
		}
		x = &Binary{Col: t.col, Op: op, X: x, Y: y}
	}
}

// unary := "-" unary | primary
func (p *parser) unary() (Node, error) {
	if t := p.peek(); t.kind == tokOp && t.text == "-" {
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &Unary{Col: t.col, X: x}, nil
	}
	return p.primary()
}

// primary := number | name | name "(" [expr {"," expr}] ")" | "(" expr ")"
func (p *parser) primary() (Node, error) {
	t := p.next()
	switch t.kind {
	case tokNum:
		return p.number(t)
	case tokIdent:
		if p.peek().kind == tokLParen {
			return p.call(t)
		}
		return &Ident{Col: t.col, Name: t.text}, nil
	case tokLParen:
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != tokRParen {
			if c.kind == tokEOF {
				return nil, p.errAt(t, "unbalanced '(': no matching ')'")
			}
			return nil, p.errAt(c, "expected ')' to close the '(' at column "+strconv.Itoa(t.col)+", found "+c.describe())
		}
		p.next()
		return x, nil
	case tokEOF:
		return nil, p.errAt(t, "expression ends where an operand is expected")
	case tokRParen:
		return nil, p.errAt(t, "unexpected ')' where an operand is expected")
	}
	return nil, p.errAt(t, "unexpected "+t.describe()+" where an operand is expected")
}

// number converts a numeric literal, rounding it to float32.
func (p *parser) number(t token) (Node, error) {
	v, err := strconv.ParseFloat(t.text, 64)
	if err != nil {
		return nil, p.errAt(t, fmt.Sprintf("malformed number %q", t.text))
	}
	f := float32(v)
	if math.IsInf(float64(f), 0) {
		return nil, p.errAt(t, fmt.Sprintf("number %s is too large for float32", t.text))
	}
	return &Num{Col: t.col, Text: t.text, Value: f}, nil
}

// call parses the argument list of the function named by name.
func (p *parser) call(name token) (Node, error) {
	spec, ok := funcs[name.text]
	if !ok {
		return nil, p.errAt(name, fmt.Sprintf("unknown function %q (known: %s)", name.text, funcNames()))
	}
	open := p.next() // "("
	var args []Node
	var argToks []token
	if p.peek().kind != tokRParen {
		for {
			argToks = append(argToks, p.peek())
			a, err := p.expr()
			if err != nil {
				return nil, err
			}
			args = append(args, a)
			if p.peek().kind != tokComma {
				break
			}
			p.next()
		}
	}
	if c := p.peek(); c.kind != tokRParen {
		if c.kind == tokEOF {
			return nil, p.errAt(open, "unbalanced '(': no matching ')'")
		}
		return nil, p.errAt(c, "expected ',' or ')' in the arguments of "+name.text+", found "+c.describe())
	}
	p.next()
	if len(args) != spec.arity {
		return nil, p.errAt(name, fmt.Sprintf("%s takes %d argument%s, got %d: %s", name.text, spec.arity, plural(spec.arity), len(args), spec.usage))
	}
	if spec.input {
		if _, ok := args[0].(*Ident); !ok {
			return nil, p.errAt(argToks[0], fmt.Sprintf("%s applies to an input name, not an expression: %s", name.text, spec.usage))
		}
	}
	return &Call{Col: name.col, Func: name.text, Args: args}, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
