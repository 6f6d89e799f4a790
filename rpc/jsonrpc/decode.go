// Package jsonrpc is the JSON wire format of godoo's JSON protocols: the
// JSON-RPC envelope of /jsonrpc and of the web client's routes (only its
// params and id are read, as Odoo reads them), and the JSON values of
// every request and answer, JSON-2's too, decoded into and encoded from
// the neutral shapes the services take, byte for byte as Odoo writes them.
// It knows no HTTP; the rpc package serves it.
package jsonrpc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/wire"
)

// JSON request bodies are decoded in one pass over the body as received,
// straight into the neutral value shapes the services take: objects become
// map[string]any, arrays []any, integers int64 (so that ids stay exact),
// other numbers float64. Nothing else holds a copy of the body on the way:
// a string costs its own bytes once, whatever the body's size.
//
// The decoder accepts exactly the JSON of RFC 8259 (encoding/json's
// grammar), in UTF-8 only: a body that is not valid UTF-8 is not JSON, and
// is refused like any other malformed body rather than read with
// replacement characters.

// jsonMaxNesting is encoding/json's nesting limit, which godoo keeps for
// documents it refuses as too deep before looking at their content.
const jsonMaxNesting = 10000

// SyntaxError reports a body that is not JSON: malformed, or not valid
// UTF-8. Its text says why, as JSON-2 reports it.
type SyntaxError struct{ msg string }

func (e *SyntaxError) Error() string { return e.msg }

// ErrTooDeep reports a document nested deeper than jsonMaxNesting:
// Python's json module gives up with a RecursionError on it, which Odoo
// answers with an error envelope rather than a 400.
var ErrTooDeep = models.ServerErrorf("builtins.RecursionError", "maximum recursion depth exceeded while decoding a JSON document")

// ErrNotObject reports a JSON-RPC body that is JSON but not an object.
var ErrNotObject = errors.New("jsonrpc: the JSON-RPC body is not an object")

// Decode decodes the document b. A value nested deeper than maxLevel
// levels below the document's own (which is level 0) is refused with
// Python's RecursionError. Errors, by precedence: *SyntaxError,
// ErrTooDeep, then the first value that could not be decoded (a
// *models.Error: too deep, or a number out of range).
func Decode(b []byte, maxLevel int) (any, error) {
	return decode(b, maxLevel, nil)
}

// DecodeOrdered decodes as Decode does, and also returns the order of the
// keys of its objects (see models.KeyOrders).
func DecodeOrdered(b []byte, maxLevel int) (any, *models.KeyOrders, error) {
	orders := &models.KeyOrders{}
	v, err := decode(b, maxLevel, orders)
	if err != nil {
		return nil, nil, err
	}
	return v, orders, nil
}

func decode(b []byte, maxLevel int, orders *models.KeyOrders) (any, error) {
	d := jsonDecoder{s: b, maxLevel: maxLevel, orders: orders}
	if err := checkUTF8(b); err != nil {
		return nil, err
	}
	d.space()
	v := d.parse(0, true)
	d.end()
	if d.syntax != nil {
		return nil, d.syntax
	}
	if d.bad != nil {
		return nil, d.bad
	}
	return v, nil
}

// Envelope is what Odoo reads of a JSON-RPC request: its params,
// decoded, and its id, echoed verbatim (null when absent). The other
// members are checked for syntax and dropped.
type Envelope struct {
	ID     json.RawMessage
	Params any
	// Orders is the order of the keys of params' objects.
	Orders *models.KeyOrders
}

// DecodeEnvelope decodes a JSON-RPC request body. params is decoded as
// Decode decodes, with nesting counted from params itself; the id is
// copied out, so that nothing keeps the body alive. Errors, by precedence:
// *SyntaxError (Odoo's 400 "Invalid JSON data"), ErrNotObject (400
// "Invalid JSON-RPC data"), ErrTooDeep, then a value error of params,
// returned with the envelope so that the answer can carry the id.
func DecodeEnvelope(b []byte, maxDepth int) (Envelope, error) {
	env := Envelope{ID: json.RawMessage("null")}
	if err := checkUTF8(b); err != nil {
		return env, err
	}
	env.Orders = &models.KeyOrders{}
	d := jsonDecoder{s: b, maxLevel: maxDepth + 1, orders: env.Orders}
	d.space()
	if d.i >= len(b) || b[d.i] != '{' {
		d.parse(0, false)
		d.end()
		if d.syntax != nil {
			return env, d.syntax
		}
		return env, ErrNotObject
	}
	d.members(0, func(key []byte) bool {
		switch string(key) {
		case "params":
			env.Params = d.parse(1, true)
		case "id":
			start := d.i
			d.parse(1, false)
			if d.syntax == nil {
				env.ID = bytes.Clone(b[start:d.i])
			}
		default:
			d.parse(1, false)
		}
		return d.syntax == nil
	})
	d.end()
	if d.syntax != nil {
		return Envelope{ID: json.RawMessage("null")}, d.syntax
	}
	return env, d.bad
}

// jsonDecoder is one pass over a document. After a syntax error it stops;
// after a value error it goes on checking the syntax without building
// values, since a malformed body gets its own answer.
type jsonDecoder struct {
	s        []byte
	i        int
	maxLevel int
	syntax   error // *SyntaxError or ErrTooDeep
	bad      error // the first value error
	// orders, when set, gets the order of the keys of each object whose
	// keys are not sorted; keys is the stack of the keys of the objects
	// being read, the innermost last.
	orders *models.KeyOrders
	keys   []string
}

func (d *jsonDecoder) fail(format string, args ...any) {
	if d.syntax == nil {
		d.syntax = &SyntaxError{msg: fmt.Sprintf(format, args...)}
	}
}

func (d *jsonDecoder) unexpected(context string) {
	if d.i >= len(d.s) {
		d.fail("unexpected end of JSON input")
		return
	}
	d.fail("invalid character %s %s", quoteChar(d.s[d.i]), context)
}

// quoteChar renders a byte as encoding/json's error messages do.
func quoteChar(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	q := strconv.Quote(string(rune(c)))
	return "'" + q[1:len(q)-1] + "'"
}

// space skips JSON's whitespace: space, tab, line feed, carriage return.
func (d *jsonDecoder) space() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// end checks that nothing but whitespace follows the document.
func (d *jsonDecoder) end() {
	if d.syntax != nil {
		return
	}
	d.space()
	if d.i < len(d.s) {
		d.unexpected("after top-level value")
	}
}

// parse reads the value at d.i, which sits level levels deep, and returns
// it when build is set (nil otherwise, and on any error).
func (d *jsonDecoder) parse(level int, build bool) any {
	if build && level > d.maxLevel {
		if d.bad == nil {
			d.bad = models.ServerErrorf("builtins.RecursionError", "maximum recursion depth exceeded while decoding a JSON document")
		}
		build = false
	}
	if d.i >= len(d.s) {
		d.unexpected("looking for beginning of value")
		return nil
	}
	switch c := d.s[d.i]; {
	case c == '{':
		if level >= jsonMaxNesting {
			d.syntax = ErrTooDeep
			return nil
		}
		var m map[string]any
		if build {
			m = map[string]any{}
		}
		// Only the order of dicts of dicts is kept: those whose order
		// Odoo's answers follow (specifications) are such, and records'
		// values, which are not, cost nothing more.
		base, unsorted, ofObjects := len(d.keys), false, true
		d.members(level, func(key []byte) bool {
			v := d.parse(level+1, build && d.bad == nil)
			if m != nil && d.bad == nil {
				k := string(key)
				if _, isObj := v.(map[string]any); !isObj && v != nil {
					ofObjects = false
				}
				if d.orders != nil && ofObjects {
					if _, seen := m[k]; !seen {
						unsorted = unsorted || len(d.keys) > base && k < d.keys[len(d.keys)-1]
						d.keys = append(d.keys, k)
					}
				}
				m[k] = v
			}
			return d.syntax == nil
		})
		keys := d.keys[base:]
		d.keys = d.keys[:base]
		if d.bad != nil || d.syntax != nil {
			return nil
		}
		if unsorted && ofObjects {
			d.orders.Note(m, slices.Clone(keys))
		}
		return m
	case c == '[':
		if level >= jsonMaxNesting {
			d.syntax = ErrTooDeep
			return nil
		}
		return d.array(level, build)
	case c == '"':
		s, ok := d.str(build)
		if !ok || !build {
			return nil
		}
		return s
	case c == '-' || c >= '0' && c <= '9':
		return d.number(build)
	case c == 't':
		return d.literal("true", true, build)
	case c == 'f':
		return d.literal("false", false, build)
	case c == 'n':
		return d.literal("null", nil, build)
	}
	d.unexpected("looking for beginning of value")
	return nil
}

// members reads the object at d.i, calling member for each key with d.i
// on the key's value; member reads the value and reports whether to go on.
// Keys are compared and copied by member, so they may alias the body.
func (d *jsonDecoder) members(level int, member func(key []byte) bool) {
	d.i++ // {
	d.space()
	if d.i < len(d.s) && d.s[d.i] == '}' {
		d.i++
		return
	}
	for {
		if d.i >= len(d.s) || d.s[d.i] != '"' {
			d.unexpected("looking for beginning of object key string")
			return
		}
		key, ok := d.key()
		if !ok {
			return
		}
		d.space()
		if d.i >= len(d.s) || d.s[d.i] != ':' {
			d.unexpected("after object key")
			return
		}
		d.i++
		d.space()
		if !member(key) {
			return
		}
		d.space()
		if d.i >= len(d.s) {
			d.unexpected("after object key:value pair")
			return
		}
		switch d.s[d.i] {
		case ',':
			d.i++
			d.space()
		case '}':
			d.i++
			return
		default:
			d.unexpected("after object key:value pair")
			return
		}
	}
}

// key reads an object key: the body's own bytes when it has no escape.
func (d *jsonDecoder) key() ([]byte, bool) {
	start := d.i + 1
	end, escaped, ok := d.scanString()
	if !ok {
		return nil, false
	}
	if !escaped {
		return d.s[start:end], true
	}
	return []byte(d.unescape(start, end)), true
}

func (d *jsonDecoder) array(level int, build bool) any {
	d.i++ // [
	d.space()
	var a []any
	if build {
		a = []any{}
	}
	if d.i < len(d.s) && d.s[d.i] == ']' {
		d.i++
		return a
	}
	for {
		v := d.parse(level+1, build && d.bad == nil)
		if d.syntax != nil {
			return nil
		}
		if build && d.bad == nil {
			a = append(a, v)
		}
		d.space()
		if d.i >= len(d.s) {
			d.unexpected("after array element")
			return nil
		}
		switch d.s[d.i] {
		case ',':
			d.i++
			d.space()
		case ']':
			d.i++
			if d.bad != nil {
				return nil
			}
			return a
		default:
			d.unexpected("after array element")
			return nil
		}
	}
}

func (d *jsonDecoder) literal(word string, v any, build bool) any {
	for j := 0; j < len(word); j++ {
		if d.i >= len(d.s) || d.s[d.i] != word[j] {
			d.unexpected("in literal " + word + " (expecting " + quoteChar(word[j]) + ")")
			return nil
		}
		d.i++
	}
	if !build {
		return nil
	}
	return v
}

// str reads a string; the result never shares memory with the body.
func (d *jsonDecoder) str(build bool) (string, bool) {
	start := d.i + 1
	end, escaped, ok := d.scanString()
	if !ok || !build {
		return "", ok
	}
	if !escaped {
		if end-start >= wire.LargeStringBytes {
			return wire.AliasBody(d.s[start:end]), true
		}
		return string(d.s[start:end]), true
	}
	return d.unescape(start, end), true
}

// scanString moves d.i past the string that starts at d.i and returns the
// end of its content, and whether it holds escapes.
func (d *jsonDecoder) scanString() (end int, escaped, ok bool) {
	s := d.s
	i := d.i + 1
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			d.i = i + 1
			return i, escaped, true
		case c == '\\':
			escaped = true
			i++
			if i >= len(s) {
				d.i = i
				d.unexpected("in string escape code")
				return 0, false, false
			}
			switch s[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				i++
				for k := 0; k < 4; k++ {
					if i >= len(s) || !isHex(s[i]) {
						d.i = i
						d.unexpected("in \\u hexadecimal character escape")
						return 0, false, false
					}
					i++
				}
			default:
				d.i = i
				d.unexpected("in string escape code")
				return 0, false, false
			}
		case c < 0x20:
			d.i = i
			d.unexpected("in string literal")
			return 0, false, false
		default:
			i++
		}
	}
	d.i = i
	d.unexpected("in string literal")
	return 0, false, false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// unescape decodes the content s[start:end] of a string that scanString
// accepted, into one buffer of at most its size. A \u escape of half a
// surrogate pair that has no other half becomes U+FFFD, as encoding/json
// reads it.
func (d *jsonDecoder) unescape(start, end int) string {
	s := d.s[start:end]
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		k := bytes.IndexByte(s, '\\')
		if k < 0 {
			b.Write(s)
			break
		}
		b.Write(s[:k])
		s = s[k+1:]
		switch c := s[0]; c {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r := hex4(s[1:5])
			s = s[4:]
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if len(s) >= 7 && s[1] == '\\' && s[2] == 'u' {
					r2 = hex4(s[3:7])
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					r = dec
					s = s[6:]
				} else {
					r = utf8.RuneError
				}
			}
			b.WriteRune(r)
		default: // " \ /
			b.WriteByte(c)
		}
		s = s[1:]
	}
	return b.String()
}

func hex4(h []byte) rune {
	var r rune
	for _, c := range h {
		switch {
		case c <= '9':
			c -= '0'
		case c <= 'F':
			c -= 'A' - 10
		default:
			c -= 'a' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// number reads a number: an int64 when it is an integer that fits, a
// float64 when it has a fraction or an exponent. An integer beyond int64
// would lose digits as a float64, and is refused as the XML-RPC decoder
// refuses it; so is a float beyond float64.
func (d *jsonDecoder) number(build bool) any {
	s, start := d.s, d.i
	i := start
	if s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		digits()
	default:
		d.i = i
		d.unexpected("in numeric literal")
		return nil
	}
	isInt := true
	if i < len(s) && s[i] == '.' {
		isInt = false
		i++
		if digits() == 0 {
			d.i = i
			d.unexpected("after decimal point in numeric literal")
			return nil
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		isInt = false
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			d.i = i
			d.unexpected("in exponent of numeric literal")
			return nil
		}
	}
	d.i = i
	if !build {
		return nil
	}
	lit := s[start:i]
	if isInt {
		if n, ok := parseInt64(lit); ok {
			return n
		}
		d.bad = models.ServerErrorf("builtins.OverflowError", "integer %s does not fit in 64 bits", wire.Quote(lit))
		return nil
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	if err != nil || math.IsInf(f, 0) {
		d.bad = models.ServerErrorf("builtins.ValueError", "number out of range: %s", string(lit))
		return nil
	}
	return f
}

// parseInt64 parses an integer literal of valid JSON syntax, without
// allocating; ok is false when it does not fit in an int64.
func parseInt64(lit []byte) (int64, bool) {
	neg := lit[0] == '-'
	if neg {
		lit = lit[1:]
	}
	if len(lit) > 19 {
		return 0, false
	}
	var u uint64 // 19 digits never overflow a uint64
	for _, c := range lit {
		u = u*10 + uint64(c-'0')
	}
	switch {
	case neg && u <= 1<<63:
		return -int64(u), true
	case !neg && u < 1<<63:
		return int64(u), true
	}
	return 0, false
}

// checkUTF8 refuses a body that is not valid UTF-8, with the reason
// Python's UTF-8 codec gives for its first bad byte.
func checkUTF8(b []byte) error {
	if utf8.Valid(b) {
		return nil
	}
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || n > 1 {
			i += n
			continue
		}
		return &SyntaxError{msg: utf8Problem(b, i)}
	}
	return nil
}

// utf8Problem describes the invalid sequence at b[i] in the words of
// Python's UTF-8 decoder.
func utf8Problem(b []byte, i int) string {
	c := b[i]
	var need int
	lo, hi := byte(0x80), byte(0xBF) // the first continuation byte's range
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c == 0xED:
		need, hi = 2, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		need = 2
	case c == 0xF0:
		need, lo = 3, 0x90
	case c == 0xF4:
		need, hi = 3, 0x8F
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	default:
		return fmt.Sprintf("'utf-8' codec can't decode byte 0x%02x in position %d: invalid start byte", c, i)
	}
	for k := 1; k <= need; k++ {
		if i+k >= len(b) {
			if k == 1 {
				return fmt.Sprintf("'utf-8' codec can't decode byte 0x%02x in position %d: unexpected end of data", c, i)
			}
			return fmt.Sprintf("'utf-8' codec can't decode bytes in position %d-%d: unexpected end of data", i, len(b)-1)
		}
		cc := b[i+k]
		if k == 1 && (cc < lo || cc > hi) || k > 1 && (cc < 0x80 || cc > 0xBF) {
			if k == 1 {
				return fmt.Sprintf("'utf-8' codec can't decode byte 0x%02x in position %d: invalid continuation byte", c, i)
			}
			return fmt.Sprintf("'utf-8' codec can't decode bytes in position %d-%d: invalid continuation byte", i, i+k-1)
		}
	}
	return fmt.Sprintf("'utf-8' codec can't decode byte 0x%02x in position %d: invalid start byte", c, i)
}
