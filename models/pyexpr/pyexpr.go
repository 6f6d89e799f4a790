// Package pyexpr evaluates the small subset of Python that Odoo's record
// rules and other domain-valued data are written in: literals (numbers,
// strings, True, False, None), lists and tuples, names and attribute
// chains resolved by the caller (user.id, company_ids,
// user.commercial_partner_id.id), and + between lists or numbers. It never
// runs code: anything else (calls, subscripts, comprehensions, lambdas) is
// a syntax error, so a rule written in this subset evaluates and any other
// rule is refused rather than guessed at.
package pyexpr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/godoo/godoo/models/py"
)

// Object is a value whose attributes an expression may read, such as the
// current user: Attr returns the attribute's value (int64, float64,
// string, bool, nil, []any, or another Object).
type Object interface {
	Attr(name string) (any, error)
}

// Names resolves the free names of an expression.
type Names func(name string) (any, bool)

// Expr is a parsed expression.
type Expr struct{ root node }

// ErrSyntax is wrapped by every parse error.
var ErrSyntax = errors.New("unsupported expression")

// Parse parses src.
func Parse(src string) (*Expr, error) {
	p := &parser{src: src}
	p.next()
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.err != nil {
		return nil, p.err
	}
	if p.tok.kind != tokEOF {
		return nil, p.errorf("unexpected %q", p.tok.text)
	}
	return &Expr{root: n}, nil
}

// Eval evaluates e with names; lists and tuples become []any, integers
// int64, floats float64.
func (e *Expr) Eval(names Names) (any, error) { return e.root.eval(names) }

// Eval parses and evaluates src.
func Eval(src string, names Names) (any, error) {
	e, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return e.Eval(names)
}

type node interface {
	eval(Names) (any, error)
}

type literal struct{ v any }

func (l literal) eval(Names) (any, error) { return l.v, nil }

type name struct{ id string }

func (n name) eval(names Names) (any, error) {
	if names != nil {
		if v, ok := names(n.id); ok {
			return v, nil
		}
	}
	return nil, fmt.Errorf("name %q is not defined", n.id)
}

type attr struct {
	of   node
	name string
}

func (a attr) eval(names Names) (any, error) {
	v, err := a.of.eval(names)
	if err != nil {
		return nil, err
	}
	o, ok := v.(Object)
	if !ok {
		return nil, fmt.Errorf("%s has no attribute %q", py.TypeName(v), a.name)
	}
	return o.Attr(a.name)
}

type list struct{ items []node }

func (l list) eval(names Names) (any, error) {
	out := make([]any, len(l.items))
	for i, it := range l.items {
		v, err := it.eval(names)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

type binary struct {
	op   string
	l, r node
}

func (b binary) eval(names Names) (any, error) {
	l, err := b.l.eval(names)
	if err != nil {
		return nil, err
	}
	r, err := b.r.eval(names)
	if err != nil {
		return nil, err
	}
	switch x := l.(type) {
	case []any:
		if y, ok := r.([]any); ok && b.op == "+" {
			return append(append(make([]any, 0, len(x)+len(y)), x...), y...), nil
		}
	case int64:
		switch y := r.(type) {
		case int64:
			if b.op == "+" {
				return x + y, nil
			}
			return x - y, nil
		case float64:
			return arith(b.op, float64(x), y), nil
		}
	case float64:
		switch y := r.(type) {
		case int64:
			return arith(b.op, x, float64(y)), nil
		case float64:
			return arith(b.op, x, y), nil
		}
	case string:
		if y, ok := r.(string); ok && b.op == "+" {
			return x + y, nil
		}
	}
	return nil, fmt.Errorf("unsupported operand type(s) for %s: '%s' and '%s'", b.op, py.TypeName(l), py.TypeName(r))
}

func arith(op string, x, y float64) float64 {
	if op == "+" {
		return x + y
	}
	return x - y
}

type negate struct{ of node }

func (n negate) eval(names Names) (any, error) {
	v, err := n.of.eval(names)
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case int64:
		return -x, nil
	case float64:
		return -x, nil
	}
	return nil, fmt.Errorf("bad operand type for unary -: '%s'", py.TypeName(v))
}

// The grammar, a subset of Python's:
//
//	expr    = term { ("+" | "-") term }
//	term    = "-" term | primary
//	primary = atom { "." NAME }
//	atom    = NUMBER | STRING | NAME | "(" [ items ] ")" | "[" [ items ] "]"
//	items   = expr { "," expr } [ "," ]

type tokKind int

const (
	tokEOF tokKind = iota
	tokNum
	tokStr
	tokName
	tokOp
)

type token struct {
	kind tokKind
	text string
	val  any
}

type parser struct {
	src   string
	pos   int
	tok   token
	err   error
	depth int
}

// maxDepth bounds nesting, so that a hostile rule cannot exhaust the stack.
const maxDepth = 100

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w at offset %d: %s", ErrSyntax, p.pos, fmt.Sprintf(format, args...))
}

func (p *parser) next() {
	for p.pos < len(p.src) {
		r, size := utf8.DecodeRuneInString(p.src[p.pos:])
		if !unicode.IsSpace(r) {
			break
		}
		p.pos += size
	}
	if p.pos >= len(p.src) {
		p.tok = token{kind: tokEOF}
		return
	}
	start := p.pos
	c := p.src[p.pos]
	switch {
	case c == '\'' || c == '"':
		s, n, err := unquote(p.src[p.pos:])
		if err != nil {
			p.err = p.errorf("%v", err)
			p.tok = token{kind: tokEOF}
			return
		}
		p.pos += n
		p.tok = token{kind: tokStr, text: p.src[start:p.pos], val: s}
	case c >= '0' && c <= '9' || c == '.' && p.pos+1 < len(p.src) && p.src[p.pos+1] >= '0' && p.src[p.pos+1] <= '9':
		for p.pos < len(p.src) && (isDigit(p.src[p.pos]) || p.src[p.pos] == '.' || p.src[p.pos] == '_' ||
			p.src[p.pos] == 'e' || p.src[p.pos] == 'E' ||
			(p.src[p.pos] == '+' || p.src[p.pos] == '-') && (p.src[p.pos-1] == 'e' || p.src[p.pos-1] == 'E')) {
			p.pos++
		}
		text := strings.ReplaceAll(p.src[start:p.pos], "_", "")
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			p.tok = token{kind: tokNum, text: text, val: n}
		} else if f, err := strconv.ParseFloat(text, 64); err == nil && !strings.ContainsAny(text, "xX") {
			p.tok = token{kind: tokNum, text: text, val: f}
		} else {
			p.err = p.errorf("bad number %q", text)
			p.tok = token{kind: tokEOF}
		}
	case c == '_' || c < utf8.RuneSelf && unicode.IsLetter(rune(c)):
		for p.pos < len(p.src) && (p.src[p.pos] == '_' || isDigit(p.src[p.pos]) || p.src[p.pos] < utf8.RuneSelf && unicode.IsLetter(rune(p.src[p.pos]))) {
			p.pos++
		}
		p.tok = token{kind: tokName, text: p.src[start:p.pos]}
	case strings.IndexByte("()[],.+-", c) >= 0:
		p.pos++
		p.tok = token{kind: tokOp, text: string(c)}
	default:
		r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
		p.err = p.errorf("unexpected character %q", r)
		p.tok = token{kind: tokEOF}
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *parser) is(op string) bool { return p.tok.kind == tokOp && p.tok.text == op }

func (p *parser) expr() (node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, p.errorf("nested too deeply")
	}
	l, err := p.term()
	if err != nil {
		return nil, err
	}
	for p.is("+") || p.is("-") {
		op := p.tok.text
		p.next()
		r, err := p.term()
		if err != nil {
			return nil, err
		}
		l = binary{op: op, l: l, r: r}
	}
	return l, nil
}

func (p *parser) term() (node, error) {
	if p.is("-") {
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			return nil, p.errorf("nested too deeply")
		}
		p.next()
		n, err := p.term()
		if err != nil {
			return nil, err
		}
		return negate{n}, nil
	}
	return p.primary()
}

func (p *parser) primary() (node, error) {
	n, err := p.atom()
	if err != nil {
		return nil, err
	}
	for p.is(".") {
		p.next()
		if p.tok.kind != tokName || keywords[p.tok.text] != nil || p.tok.text == "not" {
			return nil, p.errorf("expected an attribute name")
		}
		n = attr{of: n, name: p.tok.text}
		p.next()
	}
	if p.tok.kind == tokOp && (p.tok.text == "(" || p.tok.text == "[") {
		return nil, p.errorf("calls and subscripts are not supported")
	}
	return n, nil
}

var keywords = map[string]node{"True": literal{true}, "False": literal{false}, "None": literal{nil}}

func (p *parser) atom() (node, error) {
	if p.err != nil {
		return nil, p.err
	}
	switch p.tok.kind {
	case tokNum, tokStr:
		v := p.tok.val
		p.next()
		// Adjacent string literals concatenate, as in Python.
		for s, ok := v.(string); ok && p.tok.kind == tokStr; s, ok = v.(string) {
			v = s + p.tok.val.(string)
			p.next()
		}
		return literal{v}, p.err
	case tokName:
		if k, ok := keywords[p.tok.text]; ok {
			p.next()
			return k, p.err
		}
		if pythonReserved[p.tok.text] {
			return nil, p.errorf("%q is not supported", p.tok.text)
		}
		n := name{p.tok.text}
		p.next()
		return n, p.err
	case tokOp:
		switch p.tok.text {
		case "(":
			return p.items(")", true)
		case "[":
			return p.items("]", false)
		}
	case tokEOF:
		if p.err != nil {
			return nil, p.err
		}
		return nil, p.errorf("unexpected end of expression")
	}
	return nil, p.errorf("unexpected %q", p.tok.text)
}

// items parses the elements of a list or tuple up to close; a parenthesised
// single expression without a comma is that expression, as in Python.
func (p *parser) items(close string, tuple bool) (node, error) {
	p.next()
	var items []node
	comma := false
	for !p.is(close) {
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		items = append(items, n)
		if p.is(",") {
			comma = true
			p.next()
			continue
		}
		if !p.is(close) {
			if p.err != nil {
				return nil, p.err
			}
			return nil, p.errorf("expected %q", close)
		}
	}
	p.next()
	if tuple && len(items) == 1 && !comma {
		return items[0], p.err
	}
	return list{items}, p.err
}

var pythonReserved = map[string]bool{"and": true, "or": true, "not": true, "lambda": true, "if": true, "else": true,
	"for": true, "in": true, "is": true, "import": true, "yield": true, "await": true, "async": true}

// unquote reads one Python string literal at the start of s (with an
// optional r/b prefix already excluded: those are not supported) and
// returns its value and length.
func unquote(s string) (string, int, error) {
	q := s[0]
	if strings.HasPrefix(s, strings.Repeat(string(q), 3)) {
		return "", 0, errors.New("triple-quoted strings are not supported")
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q:
			return b.String(), i + 1, nil
		case c == '\n':
			return "", 0, errors.New("unterminated string")
		case c == '\\':
			i++
			if i >= len(s) {
				return "", 0, errors.New("unterminated string")
			}
			switch e := s[i]; e {
			case '\\', '\'', '"':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '0':
				b.WriteByte(0)
			case '\n':
			case 'x', 'u', 'U':
				size := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
				if i+size >= len(s) {
					return "", 0, errors.New("truncated escape")
				}
				n, err := strconv.ParseUint(s[i+1:i+1+size], 16, 32)
				if err != nil || n > unicode.MaxRune {
					return "", 0, errors.New("bad escape")
				}
				b.WriteRune(rune(n))
				i += size
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, errors.New("unterminated string")
}
