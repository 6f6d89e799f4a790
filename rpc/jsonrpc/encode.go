package jsonrpc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/wire"
)

// jsonMaxDepth is how deep values may nest before the encoder gives up, as
// Python's json module does when it hits the recursion limit.
const jsonMaxDepth = 1000

// Append appends v as JSON the way Odoo's json_default serializer does:
// raw UTF-8, datetimes as "YYYY-MM-DD HH:MM:SS", non-string keys turned into
// strings, the keys of a map sorted for stable output and those of a
// *models.Dict in its order, and Python's ", " and ": "
// separators. It walks the neutral value shapes directly and falls back to
// reflection for other slices and maps. On error the returned slice holds
// partial output and must be discarded.
func Append(b []byte, v any) ([]byte, error) {
	e := jsonEncPool.Get().(*jsonEncoder)
	b, err := e.value(b, v, 0)
	e.release()
	return b, err
}

// Encode appends v as JSON to buf; see Append. On error buf is unchanged.
func Encode(buf *bytes.Buffer, v any) error {
	b, err := Append(buf.AvailableBuffer(), v)
	if err != nil {
		return err
	}
	buf.Write(b)
	return nil
}

// Stream is Append handing its output to sink as it goes: whenever what b
// holds reaches flushAt bytes between two records of a *models.Table, b
// goes to sink and the encoding continues at b[:0]. It returns the rest,
// which the caller writes after it: what sink got followed by the returned
// bytes is byte for byte what Append appends to the same b. On error, sink
// may have had part of the output (see xmlrpc.StreamResponse for how the
// server keeps its faults whole).
func Stream(b []byte, v any, flushAt int, sink func([]byte) error) ([]byte, error) {
	e := jsonEncPool.Get().(*jsonEncoder)
	e.Flusher = wire.Flusher{Sink: sink, At: flushAt}
	b, err := e.value(b, v, 0)
	e.Flusher = wire.Flusher{}
	e.release()
	return b, err
}

// jsonEncoder holds scratch space reused across calls through jsonEncPool.
type jsonEncoder struct {
	keys      []string // keys being sorted, a stack shared by nested maps
	templates [4]jsonKeyTemplate
	// Flusher, when its sink is set, takes the output between two
	// records of a table.
	wire.Flusher
}

var jsonEncPool = sync.Pool{New: func() any { return &jsonEncoder{keys: make([]string, 0, 32)} }}

func (e *jsonEncoder) release() {
	if cap(e.keys) > 4096 {
		return // let an unusually large encoder go
	}
	clear(e.keys[:cap(e.keys)]) // do not keep the caller's strings alive
	e.keys = e.keys[:0]
	for i := range e.templates {
		t := &e.templates[i]
		clear(t.keys[:cap(t.keys)])
		t.keys = t.keys[:0]
	}
	jsonEncPool.Put(e)
}

func (e *jsonEncoder) value(b []byte, v any, depth int) ([]byte, error) {
	if depth > jsonMaxDepth {
		return b, jsonErrRecursion()
	}
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return jsonAppendBool(b, x), nil
	case string:
		if e.Long(x) {
			return e.longString(b, x)
		}
		return jsonAppendString(b, x), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case float64:
		return jsonAppendFloat(b, x)
	case time.Time:
		var scratch [32]byte
		return jsonAppendString(b, string(x.UTC().AppendFormat(scratch[:0], models.DatetimeLayout))), nil
	case []any:
		return e.array(b, x, depth)
	case []int64:
		b = append(b, '[')
		for i, n := range x {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = strconv.AppendInt(b, n, 10)
		}
		return append(b, ']'), nil
	case map[string]any:
		return e.object(b, x, depth)
	case models.Record:
		return e.object(b, x, depth)
	case *models.Dict:
		return e.dict(b, x, depth)
	case []models.Record:
		return jsonRecords(e, b, x, depth)
	case *models.Table:
		return e.table(b, x, depth)
	case []map[string]any:
		if depth+1 > jsonMaxDepth && len(x) > 0 {
			return b, jsonErrRecursion() // each map counts as a level here
		}
		return jsonRecords(e, b, x, depth)
	case json.RawMessage:
		return append(b, x...), nil
	}
	return e.reflectValue(b, reflect.ValueOf(v), depth)
}

func (e *jsonEncoder) array(b []byte, x []any, depth int) ([]byte, error) {
	if depth+1 > jsonMaxDepth && len(x) > 0 {
		return b, jsonErrRecursion()
	}
	b = append(b, '[')
	var err error
	for i, item := range x {
		if i > 0 {
			b = append(b, ", "...)
		}
		// A many2one's [id, name] pair is written inline.
		switch y := item.(type) {
		case string:
			b = jsonAppendString(b, y)
			continue
		case int64:
			b = strconv.AppendInt(b, y, 10)
			continue
		}
		if b, err = e.value(b, item, depth+1); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

// jsonRecords writes the result of read and search_read: a []models.Record,
// or the []map[string]any of the same shape. Each record is one level
// deeper than the list.
func jsonRecords[M ~map[string]any](e *jsonEncoder, b []byte, recs []M, depth int) ([]byte, error) {
	b = append(b, '[')
	var err error
	for i, m := range recs {
		if i > 0 {
			b = append(b, ", "...)
		}
		if b, err = e.object(b, m, depth+1); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

// table writes a search_read's *models.Table as the list of objects that
// the same []models.Record makes. Its names are sorted already, so they
// make the template of every row.
func (e *jsonEncoder) table(b []byte, x *models.Table, depth int) ([]byte, error) {
	n := x.Len()
	if n == 0 || len(x.Names) == 0 {
		b = append(b, '[')
		for i := range n {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, "{}"...)
		}
		return append(b, ']'), nil
	}
	if depth+2 > jsonMaxDepth {
		return b, jsonErrRecursion()
	}
	var t jsonKeyTemplate
	tp := &t
	if depth+1 < len(e.templates) {
		tp = &e.templates[depth+1]
	}
	tp.set(x.Names)
	b = append(b, '[')
	var err error
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '{')
		from := int32(2) // the first key's ", " is left out
		for j, v := range x.Row(i) {
			b = append(b, tp.text[from:tp.ends[j]]...)
			from = tp.ends[j]
			if b, err = e.field(b, v, depth+1); err != nil {
				return b, err
			}
		}
		b = append(b, '}')
		if b, err = e.Flush(b); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

// object writes m with sorted keys; its values are one level deeper.
func (e *jsonEncoder) object(b []byte, m map[string]any, depth int) ([]byte, error) {
	n := len(m)
	if n == 0 {
		return append(b, "{}"...), nil
	}
	if depth+1 > jsonMaxDepth {
		return b, jsonErrRecursion()
	}
	// Sibling maps (the records of a search_read) usually have the same
	// keys: looking the remembered sorted keys up in m spares iterating,
	// sorting and escaping them.
	var t *jsonKeyTemplate
	if depth < len(e.templates) && n <= jsonMaxTemplateKeys {
		t = &e.templates[depth]
		if len(t.keys) == n {
			if out, ok, err := e.objectTemplate(b, m, t, depth); ok || err != nil {
				return out, err
			}
		}
	}
	base := len(e.keys)
	for k := range m {
		e.keys = append(e.keys, k)
	}
	keys := e.keys[base:]
	slices.Sort(keys)
	if t != nil {
		t.set(keys)
		e.keys = e.keys[:base]
		out, _, err := e.objectTemplate(b, m, t, depth)
		return out, err
	}
	b = append(b, '{')
	var err error
	for i := range n {
		k := e.keys[base+i] // index again each time: nested maps may grow e.keys
		if i > 0 {
			b = append(b, ", "...)
		}
		b = jsonAppendString(b, k)
		b = append(b, ": "...)
		if b, err = e.value(b, m[k], depth+1); err != nil {
			e.keys = e.keys[:base]
			return b, err
		}
	}
	e.keys = e.keys[:base]
	return append(b, '}'), nil
}

// dict writes d with its keys in its own order; its values are one level
// deeper. A nil Dict is an empty object.
func (e *jsonEncoder) dict(b []byte, d *models.Dict, depth int) ([]byte, error) {
	if d.Len() == 0 {
		return append(b, "{}"...), nil
	}
	if depth+1 > jsonMaxDepth {
		return b, jsonErrRecursion()
	}
	b = append(b, '{')
	var err error
	values := d.Values()
	for i, k := range d.Keys() {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = jsonAppendString(b, k)
		b = append(b, ": "...)
		if b, err = e.field(b, values[i], depth); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// objectTemplate writes m with the keys of t, which has as many keys as m
// has. It reports false, having written nothing, when one of them is
// missing from m.
func (e *jsonEncoder) objectTemplate(b []byte, m map[string]any, t *jsonKeyTemplate, depth int) ([]byte, bool, error) {
	if e.Sink != nil && !wire.HasAll(m, t.keys) {
		return b, false, nil
	}
	start := len(b)
	b = append(b, '{')
	var err error
	from := int32(2) // the first key's ", " is left out
	for i, k := range t.keys {
		v, ok := m[k]
		if !ok {
			return b[:start], false, nil
		}
		b = append(b, t.text[from:t.ends[i]]...)
		from = t.ends[i]
		if b, err = e.field(b, v, depth); err != nil {
			return b, true, err
		}
	}
	return append(b, '}'), true, nil
}

// field writes v, the value of a member of an object at depth, with the
// usual record fields inline.
func (e *jsonEncoder) field(b []byte, v any, depth int) ([]byte, error) {
	switch x := v.(type) {
	case string:
		if e.Long(x) {
			return e.longString(b, x)
		}
		return jsonAppendString(b, x), nil
	case bool:
		return jsonAppendBool(b, x), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case []any:
		return e.array(b, x, depth+1)
	}
	return e.value(b, v, depth+1)
}

// longString is jsonAppendString for a string streamed in pieces.
func (e *jsonEncoder) longString(b []byte, s string) ([]byte, error) {
	b = append(b, '"')
	b, err := e.Pieces(b, s, jsonAppendContent)
	if err != nil {
		return b, err
	}
	return append(b, '"'), nil
}

// jsonAppendContent appends s escaped as jsonAppendString does, without
// the quotes: a piece of a long string.
func jsonAppendContent(b []byte, s string) []byte {
	n := len(b)
	b = jsonAppendString(b, s)
	copy(b[n:], b[n+1:len(b)-1])
	return b[:len(b)-2]
}

// jsonMaxTemplateKeys bounds the maps whose keys are remembered.
const jsonMaxTemplateKeys = 64

// jsonKeyTemplate remembers the sorted keys of the last map written at some
// depth, each as `, "key": ` ready to copy.
type jsonKeyTemplate struct {
	keys []string
	text []byte
	ends []int32 // end of each key's text
}

func (t *jsonKeyTemplate) set(keys []string) {
	t.keys, t.text, t.ends = append(t.keys[:0], keys...), t.text[:0], t.ends[:0]
	for _, k := range keys {
		t.text = append(t.text, ", "...)
		t.text = jsonAppendString(t.text, k)
		t.text = append(t.text, ": "...)
		t.ends = append(t.ends, int32(len(t.text)))
	}
}

func (e *jsonEncoder) reflectValue(b []byte, rv reflect.Value, depth int) ([]byte, error) {
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return append(b, "null"...), nil
		}
		return e.value(b, rv.Elem().Interface(), depth+1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.AppendUint(b, rv.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return jsonAppendFloat(b, rv.Float())
	case reflect.String:
		return jsonAppendString(b, rv.String()), nil
	case reflect.Bool:
		return jsonAppendBool(b, rv.Bool()), nil
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8 {
			return jsonAppendString(b, string(rv.Bytes())), nil // bytes are decoded text, as in Odoo
		}
		b = append(b, '[')
		var err error
		for i := 0; i < rv.Len(); i++ {
			if i > 0 {
				b = append(b, ", "...)
			}
			if b, err = e.value(b, rv.Index(i).Interface(), depth+1); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case reflect.Map:
		m := make(map[string]any, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			m[fmt.Sprint(iter.Key().Interface())] = iter.Value().Interface()
		}
		return e.object(b, m, depth)
	}
	return b, models.ServerErrorf("builtins.TypeError", "Object of type %s is not JSON serializable", rv.Type())
}

func jsonErrRecursion() error {
	return models.ServerErrorf("builtins.RecursionError", "maximum recursion depth exceeded while encoding a JSON object")
}

func jsonAppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

func jsonAppendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, models.ServerErrorf("builtins.ValueError", "Out of range float values are not JSON compliant")
	}
	// Python's json writes repr(float): 1.0, not 1, so that a Python
	// client reads a float back as a float.
	return wire.AppendPyFloat(b, f, 64), nil
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the ASCII bytes a JSON string holds as they are.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// jsonAppendString appends s as a JSON string, escaping only what JSON
// requires, and U+2028 and U+2029 as JavaScript needs; invalid UTF-8 becomes
// U+FFFD.
func jsonAppendString(b []byte, s string) []byte {
	b = append(b, '"')
	i := 0
	for i+8 <= len(s) && !jsonNeedsEscape8(wire.Load8(s[i:i+8])) {
		i += 8
	}
	for i < len(s) && s[i] < utf8.RuneSelf && jsonSafe[s[i]] {
		i++
	}
	if i == len(s) {
		b = append(b, s...) // the common case: nothing to change
		return append(b, '"')
	}
	start := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, `\n`...)
			case '\r':
				b = append(b, `\r`...)
			case '\t':
				b = append(b, `\t`...)
			default:
				b = append(b, `\u00`...)
				b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, `\u202`...)
			b = append(b, hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonNeedsEscape8 reports whether any of the 8 bytes of x is a control
// character, a non-ASCII byte, '"' or '\\' (it may say yes when none is;
// never the reverse).
func jsonNeedsEscape8(x uint64) bool {
	ctl := (x - wire.LSBs*0x20) & ^x // high bit set where a byte is below 0x20
	quote := x ^ (wire.LSBs * '"')
	quote = (quote - wire.LSBs) & ^quote // high bit set where a byte is '"'
	bslash := x ^ (wire.LSBs * '\\')
	bslash = (bslash - wire.LSBs) & ^bslash // high bit set where a byte is '\\'
	return (ctl|quote|bslash|x)&wire.MSBs != 0
}
