package bandmath

import (
	"fmt"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tokEOF tokKind = iota
	tokNum
	tokIdent
	tokLParen
	tokRParen
	tokComma
	tokOp // an operator: + - * / < <= > >= == !=
)

// token is one lexical token; col is its 1-based column in runes.
type token struct {
	kind tokKind
	text string
	col  int
}

// describe names a token for error messages.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of expression"
	case tokNum:
		return "number " + t.text
	case tokIdent:
		return fmt.Sprintf("name %q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// lex splits src into tokens, ending with a tokEOF token.
func lex(src string) ([]token, error) {
	var toks []token
	col := 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		start, startCol := i, col
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			i += size
			col++
			continue
		case isDigit(r) || r == '.':
			i = scanNumber(src, i)
			toks = append(toks, token{tokNum, src[start:i], startCol})
		case isIdentStart(r):
			for i < len(src) && isIdentPart(rune(src[i])) {
				i++
			}
			toks = append(toks, token{tokIdent, src[start:i], startCol})
		case r == '(':
			i++
			toks = append(toks, token{tokLParen, "(", startCol})
		case r == ')':
			i++
			toks = append(toks, token{tokRParen, ")", startCol})
		case r == ',':
			i++
			toks = append(toks, token{tokComma, ",", startCol})
		case r == '+' || r == '-' || r == '*' || r == '/':
			i++
			toks = append(toks, token{tokOp, src[start:i], startCol})
		case r == '<' || r == '>' || r == '=' || r == '!':
			i++
			if i < len(src) && src[i] == '=' {
				i++
			}
			op := src[start:i]
			if op == "=" || op == "!" {
				hint := ""
				if op == "=" {
					hint = " (use == to compare)"
				}
				return nil, &ExprError{Expr: src, Col: startCol, Msg: fmt.Sprintf("unexpected %q%s", op, hint)}
			}
			toks = append(toks, token{tokOp, op, startCol})
		default:
			if r == utf8.RuneError && size == 1 {
				return nil, &ExprError{Expr: src, Col: startCol, Msg: "invalid UTF-8"}
			}
			return nil, &ExprError{Expr: src, Col: startCol, Msg: fmt.Sprintf("unexpected character %q", r)}
		}
		col += utf8.RuneCountInString(src[start:i])
	}
	toks = append(toks, token{tokEOF, "", col})
	return toks, nil
}

// scanNumber returns the end of the number starting at i: digits, an
// optional fraction and an optional exponent. Malformed numbers ("1e",
// "1.2.3") are left for strconv to reject, so the scan is greedy over
// the characters a number may contain.
func scanNumber(src string, i int) int {
	for i < len(src) {
		c := src[i]
		switch {
		case isDigit(rune(c)) || c == '.':
			i++
		case c == 'e' || c == 'E':
			i++
			if i < len(src) && (src[i] == '+' || src[i] == '-') {
				i++
			}
		case isIdentPart(rune(c)):
			i++ // "2x": part of a bad number, reported whole
		default:
			return i
		}
	}
	return i
}

func isDigit(r rune) bool      { return '0' <= r && r <= '9' }
func isIdentStart(r rune) bool { return r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }
func isIdentPart(r rune) bool  { return isIdentStart(r) || isDigit(r) }

// ValidName reports whether s can name an input in an expression: a
// letter or underscore followed by letters, digits and underscores.
func ValidName(s string) bool {
	if s == "" || !isIdentStart(rune(s[0])) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentPart(rune(s[i])) {
			return false
		}
	}
	return true
}
