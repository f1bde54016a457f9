package bandmath

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"chunkpipe/kernels"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		name, src, want string
		inputs          []string
	}{
		{"number", "1", "1", nil},
		{"fraction", "2.5", "2.5", nil},
		{"exponent", "1e-3", "0.001", nil},
		{"leading dot", ".5", "0.5", nil},
		{"exponent plus", "2E+2", "200", nil},
		{"float32 rounding", "0.1", "0.1", nil},
		{"name", "c07", "c07", []string{"c07"}},
		{"precedence", "a + b * c", "(a + (b * c))", []string{"a", "b", "c"}},
		{"left assoc minus", "a - b - c", "((a - b) - c)", []string{"a", "b", "c"}},
		{"left assoc div", "a / b / c", "((a / b) / c)", []string{"a", "b", "c"}},
		{"parens", "(a + b) * c", "((a + b) * c)", []string{"a", "b", "c"}},
		{"unary minus", "-a * b", "((-a) * b)", []string{"a", "b"}},
		{"double minus", "--a", "(-(-a))", []string{"a"}},
		{"minus after op", "a * -b", "(a * (-b))", []string{"a", "b"}},
		{"comparison lowest", "a + 1 < b * 2", "((a + 1) < (b * 2))", []string{"a", "b"}},
		{"all comparisons", "where(a <= b, a >= b, (a == b) + (a != b) + (a > b))", "where((a <= b), (a >= b), (((a == b) + (a != b)) + (a > b)))", []string{"a", "b"}},
		{"bt difference", "bt(c07) - bt(c14)", "(bt(c07) - bt(c14))", []string{"c07", "c14"}},
		{"functions", "clip(sqrt(abs(a)), 0, log(b))", "clip(sqrt(abs(a)), 0, log(b))", []string{"a", "b"}},
		{"min max", "min(a, max(b, 1))", "min(a, max(b, 1))", []string{"a", "b"}},
		{"first use order", "c + a + c + b", "(((c + a) + c) + b)", []string{"c", "a", "b"}},
		{"kernels", "reflectance(c05) * calibrate(c06)", "(reflectance(c05) * calibrate(c06))", []string{"c05", "c06"}},
		{"parenthesised input to bt", "bt((c07))", "bt(c07)", []string{"c07"}},
		{"whitespace", " \ta\n+\tb ", "(a + b)", []string{"a", "b"}},
		{"underscore names", "_x1 + B_2", "(_x1 + B_2)", []string{"_x1", "B_2"}},
		{"function name as input", "min + 1", "(min + 1)", []string{"min"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.src, err)
			}
			if got := e.Root.String(); got != tt.want {
				t.Errorf("tree = %s, want %s", got, tt.want)
			}
			if got := e.Inputs(); !reflect.DeepEqual(got, tt.inputs) {
				t.Errorf("Inputs() = %v, want %v", got, tt.inputs)
			}
			if e.String() != tt.src {
				t.Errorf("String() = %q, want the source", e.String())
			}
		})
	}
}

func TestParsePositions(t *testing.T) {
	e, err := Parse("a + bt(c07)*-2")
	if err != nil {
		t.Fatal(err)
	}
	add := e.Root.(*Binary)
	mul := add.Y.(*Binary)
	call := mul.X.(*Call)
	neg := mul.Y.(*Unary)
	for _, c := range []struct {
		n    Node
		want int
	}{{add.X, 1}, {add, 3}, {call, 5}, {call.Args[0], 8}, {mul, 12}, {neg, 13}, {neg.X, 14}} {
		if c.n.Pos() != c.want {
			t.Errorf("%s at column %d, want %d", c.n, c.n.Pos(), c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		col       int
		msg       string
	}{
		{"empty", "", 1, "empty expression"},
		{"blank", "   ", 1, "empty expression"},
		{"unknown function", "foo(a)", 1, `unknown function "foo"`},
		{"unknown function later", "a + bar(1, 2)", 5, `unknown function "bar"`},
		{"too few args", "clip(a, 0)", 1, "clip takes 3 arguments, got 2"},
		{"too many args", "a * min(a, b, c)", 5, "min takes 2 arguments, got 3"},
		{"no args", "sqrt()", 1, "sqrt takes 1 argument, got 0"},
		{"bt of expression", "bt(c07 + 1)", 4, "bt applies to an input name"},
		{"bt of number", "1 + reflectance(2)", 17, "reflectance applies to an input name"},
		{"calibrate of call", "calibrate(bt(c07))", 11, "calibrate applies to an input name"},
		{"unbalanced open", "(a + b", 1, "unbalanced '('"},
		{"unbalanced call", "min(a, b", 4, "unbalanced '('"},
		{"unbalanced close", "a + b)", 6, "unbalanced ')'"},
		{"trailing garbage", "a b", 3, `unexpected name "b" after a complete expression`},
		{"trailing number", "bt(c07) 2", 9, "after a complete expression"},
		{"dangling operator", "a +", 4, "expression ends where an operand is expected"},
		{"double operator", "a * / b", 5, `unexpected "/" where an operand is expected`},
		{"empty parens", "()", 2, "unexpected ')'"},
		{"bad character", "a # b", 3, "unexpected character '#'"},
		{"single equals", "a = b", 3, "use == to compare"},
		{"bang", "!a", 1, `unexpected "!"`},
		{"malformed number", "1.2.3 + a", 1, `malformed number "1.2.3"`},
		{"number with letters", "2x", 1, `malformed number "2x"`},
		{"dangling exponent", "1e", 1, `malformed number "1e"`},
		{"float32 overflow", "a * 1e39", 5, "too large for float32"},
		{"chained comparison", "a < b < c", 7, "comparisons do not chain"},
		{"missing comma", "min(a b)", 7, "expected ',' or ')'"},
		{"missing close after group", "(a b)", 4, "expected ')'"},
		{"non-ASCII name", "a + é", 5, "unexpected character 'é'"},
		{"invalid UTF-8", "a + \xff", 5, "invalid UTF-8"},
		{"trailing comma", "min(a, )", 8, "unexpected ')'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.src)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded", tt.src)
			}
			var pe *ExprError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is %T, want *ExprError", err, err)
			}
			if pe.Col != tt.col {
				t.Errorf("column %d, want %d: %v", pe.Col, tt.col, err)
			}
			if !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("message %q does not contain %q", pe.Msg, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "bandmath: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

// TestErrorCaret checks the full message format: the expression, and a
// caret under the offending column.
func TestErrorCaret(t *testing.T) {
	_, err := Compile("bt(c08) - bt(c14)", map[string]kernels.Params{"c07": nil, "c14": nil})
	if err == nil {
		t.Fatal("unknown input accepted")
	}
	want := "bandmath: unknown input \"c08\" at column 4: bt(c08) - bt(c14)\n" +
		strings.Repeat(" ", len("bandmath: unknown input \"c08\" at column 4: ")+3) + "^"
	if err.Error() != want {
		t.Errorf("error\n%s\nwant\n%s", err, want)
	}
	// The caret sits under the 'c' of c08.
	lines := strings.Split(err.Error(), "\n")
	if i := strings.Index(lines[1], "^"); lines[0][i:i+3] != "c08" {
		t.Errorf("caret at %d points at %q", i, lines[0][i:])
	}
}

func TestErrorCaretTabsAndNewlines(t *testing.T) {
	_, err := Parse("a +\t\n#")
	if err == nil {
		t.Fatal("accepted")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 {
		t.Fatalf("want expression and caret lines, got %q", err)
	}
	i := strings.Index(lines[1], "^")
	if lines[0][i] != '#' {
		t.Errorf("caret under %q, want '#': %q", lines[0][i], err)
	}
	if !strings.Contains(lines[1], "\t") {
		t.Errorf("caret line should copy the tab: %q", lines[1])
	}
}
