package bandmath

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// ExprError reports a problem at a position of an expression. Its message
// shows the expression with a caret under the offending part:
//
//	bandmath: unknown input "c08" at column 5: bt(c08) - bt(c14)
//	                                              ^
type ExprError struct {
	Expr string // the expression as given
	Col  int    // 1-based column in runes; 0 when the error has no position
	Msg  string // what is wrong, without the "bandmath: " prefix
	Err  error  // the underlying error, if any (e.g. from a kernel constructor)
}

// Error formats the message, the expression and a caret line.
func (e *ExprError) Error() string {
	msg := e.Msg
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Col <= 0 {
		return "bandmath: " + msg + " in: " + e.Expr
	}
	head := "bandmath: " + msg + " at column " + strconv.Itoa(e.Col) + ": "
	// A caret cannot point into a multi-line expression: show line breaks
	// as spaces (one rune for one, so columns stay right).
	expr := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, e.Expr)
	var b strings.Builder
	b.WriteString(head)
	b.WriteString(expr)
	b.WriteByte('\n')
	// Pad with spaces, copying tabs from the expression so that the caret
	// lines up whatever the tab width.
	b.WriteString(strings.Repeat(" ", utf8.RuneCountInString(head)))
	n := 0
	for _, r := range expr {
		if n >= e.Col-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		n++
	}
	for ; n < e.Col-1; n++ {
		b.WriteByte(' ')
	}
	b.WriteByte('^')
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ExprError) Unwrap() error { return e.Err }
