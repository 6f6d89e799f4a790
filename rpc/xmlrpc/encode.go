package xmlrpc

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/wire"
)

const (
	xmlResponseHead = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"
	xmlResponseTail = "</param>\n</params>\n</methodResponse>\n"
	xmlFaultHead    = "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n"
	xmlFaultMiddle  = "</member>\n<member>\n<name>faultString</name>\n"
	xmlFaultTail    = "</member>\n</struct></value>\n</fault>\n</methodResponse>\n"

	// xmlMaxEncodeDepth stops runaway recursion on self-referencing values
	// (Python detects the cycle; Go would overflow its stack).
	xmlMaxEncodeDepth = 500
)

// EncodeResponse appends a complete <methodResponse> holding v to buf.
//
// The output is byte-for-byte what Odoo's OdooMarshaller (Python 3.11
// xmlrpc.client.dumps with allow_none=False) writes:
//
//	bool                      <boolean>1|0</boolean>
//	Go integer kinds          <int>, only within the int32 range, else OverflowError
//	float32, float64          <double> in Python repr form (1.0, 0.1, 1e+20, inf, nan)
//	string, []byte            <string>, & < > escaped, control characters other
//	                          than TAB, LF and CR removed (Odoo 17+)
//	time.Time                 <string>YYYY-MM-DD HH:MM:SS</string> in UTC
//	slices and arrays         <array> (a nil slice is an empty array)
//	maps with string keys     <struct>, members sorted by key (a nil map is empty)
//	*models.Dict              <struct>, members in the Dict's order
//	nil, nil pointer or       TypeError "cannot marshal None unless allow_none is enabled"
//	nil interface
//
// Beyond Odoo, member names get the same escaping and control-character
// removal as strings, invalid UTF-8 becomes U+FFFD and the non-characters
// U+FFFE and U+FFFF are dropped, so that the document is always well-formed.
//
// Other maps fail with TypeError "dictionary key must be string", other types
// (structs, channels, functions...) with TypeError "cannot marshal ... objects".
// Errors are *models.Error of kind models.KindServer, and on error buf is
// left exactly as it was.
//
// The common result types ([]any, map[string]any, []map[string]any, []int64,
// string, int64, bool, float64) take allocation-free fast paths; other slices
// and maps go through reflection. Reusing buf makes encoding allocation-free.
func EncodeResponse(buf *bytes.Buffer, v any) error {
	b, err := AppendResponse(buf.AvailableBuffer(), v)
	if err != nil {
		return err // b is discarded: buf still holds what it held
	}
	buf.Write(b)
	return nil
}

// AppendResponse appends the <methodResponse> of EncodeResponse to b. On
// error the returned slice holds partial output and must be discarded.
func AppendResponse(b []byte, v any) ([]byte, error) {
	e := xmlEncPool.Get().(*xmlEncoder)
	b = append(b, xmlResponseHead...)
	b, err := e.value(b, v, 0)
	e.release()
	if err != nil {
		return b, err
	}
	return append(b, xmlResponseTail...), nil
}

// EncodeFault appends a complete fault <methodResponse>; code is an int (for /xmlrpc/2) or a string (legacy /xmlrpc).
//
// Any Go integer is written as <int> (without the int32 check: fault codes are
// small), a string as <string>; anything else is formatted with fmt as a
// string. message gets the same escaping and control-character removal as
// EncodeResponse strings.
func EncodeFault(buf *bytes.Buffer, code any, message string) {
	buf.Write(AppendFault(buf.AvailableBuffer(), code, message))
}

// AppendFault appends the fault document of EncodeFault to b.
func AppendFault(b []byte, code any, message string) []byte {
	b = append(b, xmlFaultHead...)
	switch c := code.(type) {
	case int:
		b = xmlAppendIntValue(b, int64(c))
	case int64:
		b = xmlAppendIntValue(b, c)
	case int32:
		b = xmlAppendIntValue(b, int64(c))
	case string:
		b = xmlAppendString(b, c)
	default:
		rv := reflect.ValueOf(code)
		switch {
		case code == nil:
			b = xmlAppendString(b, "")
		case rv.CanInt():
			b = xmlAppendIntValue(b, rv.Int())
		case rv.CanUint() && rv.Uint() <= math.MaxInt64:
			b = xmlAppendIntValue(b, int64(rv.Uint()))
		default:
			b = xmlAppendString(b, fmt.Sprint(code))
		}
	}
	b = append(b, xmlFaultMiddle...)
	b = xmlAppendString(b, message)
	return append(b, xmlFaultTail...)
}

// StreamResponse is AppendResponse handing its output to sink as it goes:
// whenever what b holds reaches flushAt bytes between two records of a
// *models.Table, b goes to sink and the encoding continues at b[:0]. It
// returns the rest, which the caller writes after it, so that the whole
// answer is what sink got followed by the returned bytes, byte for byte
// what AppendResponse appends to an empty b. A large search_read then
// holds about flushAt bytes of its answer at a time instead of all of it
// (in a buffer that grew by copies of itself). On error, sink may have
// had part of the answer: callers that must answer a fault instead run it
// first into a sink that only counts, which finds the error and the
// answer's length.
func StreamResponse(b []byte, v any, flushAt int, sink func([]byte) error) ([]byte, error) {
	e := xmlEncPool.Get().(*xmlEncoder)
	e.Flusher = wire.Flusher{Sink: sink, At: flushAt}
	b = append(b, xmlResponseHead...)
	b, err := e.value(b, v, 0)
	e.Flusher = wire.Flusher{}
	e.release()
	if err != nil {
		return b, err
	}
	return append(b, xmlResponseTail...), nil
}

// xmlEncoder holds scratch space reused across calls through xmlEncPool.
type xmlEncoder struct {
	kvs       []xmlMember        // map members being written, a stack shared by nested maps
	rkvs      []xmlReflectMember // the same for maps walked by reflection
	templates [4]xmlKeyTemplate
	// Flusher, when its sink is set, takes the output between two
	// records of a table.
	wire.Flusher
}

type xmlMember struct {
	key string
	val any
}

type xmlReflectMember struct {
	key string
	val reflect.Value
}

var xmlEncPool = sync.Pool{New: func() any { return &xmlEncoder{kvs: make([]xmlMember, 0, 32)} }}

func (e *xmlEncoder) release() {
	if cap(e.kvs) > 4096 || cap(e.rkvs) > 4096 {
		return // let an unusually large encoder go
	}
	clear(e.kvs[:cap(e.kvs)])
	clear(e.rkvs[:cap(e.rkvs)])
	for i := range e.templates {
		t := &e.templates[i]
		clear(t.keys[:cap(t.keys)]) // do not keep the caller's strings alive
		t.keys = t.keys[:0]
	}
	e.kvs, e.rkvs = e.kvs[:0], e.rkvs[:0]
	xmlEncPool.Put(e)
}

var xmlTimeType = reflect.TypeFor[time.Time]()

// value appends one <value>...</value>\n. depth counts enclosing containers.
func (e *xmlEncoder) value(b []byte, v any, depth int) ([]byte, error) {
	switch x := v.(type) {
	case string:
		if e.Long(x) {
			return e.longString(b, x)
		}
		return xmlAppendString(b, x), nil
	case int64:
		return xmlAppendInt(b, x)
	case bool:
		return xmlAppendBool(b, x), nil
	case float64:
		return xmlAppendDouble(b, x, 64), nil
	case []any:
		return e.array(b, x, depth)
	case models.Record:
		return e.mapAny(b, x, depth)
	case map[string]any:
		return e.mapAny(b, x, depth)
	case *models.Dict:
		return e.dict(b, x, depth)
	case []models.Record:
		return xmlRecords(e, b, x, depth)
	case *models.Table:
		return e.table(b, x, depth)
	case []map[string]any:
		return xmlRecords(e, b, x, depth)
	case []int64:
		b = append(b, "<value><array><data>\n"...)
		var err error
		for _, n := range x {
			if b, err = xmlAppendInt(b, n); err != nil {
				return b, err
			}
		}
		return append(b, "</data></array></value>\n"...), nil
	case nil:
		return b, xmlErrNone()
	case int:
		return xmlAppendInt(b, int64(x))
	case int32:
		return xmlAppendIntValue(b, int64(x)), nil
	case []int:
		b = append(b, "<value><array><data>\n"...)
		var err error
		for _, n := range x {
			if b, err = xmlAppendInt(b, int64(n)); err != nil {
				return b, err
			}
		}
		return append(b, "</data></array></value>\n"...), nil
	case []string:
		b = append(b, "<value><array><data>\n"...)
		for _, s := range x {
			b = xmlAppendString(b, s)
		}
		return append(b, "</data></array></value>\n"...), nil
	case []byte:
		return xmlAppendBytes(b, x), nil
	case float32:
		return xmlAppendDouble(b, float64(x), 32), nil
	case time.Time:
		return xmlAppendTime(b, x), nil
	}
	return e.reflectValue(b, reflect.ValueOf(v), depth)
}

// array writes a []any, such as a many2one's [id, name] pair.
func (e *xmlEncoder) array(b []byte, x []any, depth int) ([]byte, error) {
	if depth >= xmlMaxEncodeDepth {
		return b, xmlErrRecursive("sequences")
	}
	b = append(b, "<value><array><data>\n"...)
	b, err := e.items(b, x, depth)
	if err != nil {
		return b, err
	}
	return append(b, "</data></array></value>\n"...), nil
}

// items writes the values of an array, with its common scalars inline.
// depth is the array's own.
func (e *xmlEncoder) items(b []byte, x []any, depth int) ([]byte, error) {
	var err error
	for _, item := range x {
		switch y := item.(type) {
		case string:
			b = xmlAppendString(b, y)
			continue
		case int64:
			if y >= math.MinInt32 && y <= math.MaxInt32 {
				b = xmlAppendIntValue(b, y)
				continue
			}
		case bool:
			b = xmlAppendBool(b, y)
			continue
		}
		if b, err = e.value(b, item, depth+1); err != nil {
			return b, err
		}
	}
	return b, nil
}

// xmlRecords writes the result of read and search_read: a []models.Record,
// or the []map[string]any of the same shape.
func xmlRecords[M ~map[string]any](e *xmlEncoder, b []byte, recs []M, depth int) ([]byte, error) {
	if depth >= xmlMaxEncodeDepth {
		return b, xmlErrRecursive("sequences")
	}
	b = append(b, "<value><array><data>\n"...)
	var err error
	for _, m := range recs {
		if b, err = e.mapAny(b, m, depth+1); err != nil {
			return b, err
		}
	}
	return append(b, "</data></array></value>\n"...), nil
}

// table writes a search_read's *models.Table as the array of structs that
// the same []models.Record makes. Its names are sorted already, so they
// make the template of every row.
func (e *xmlEncoder) table(b []byte, x *models.Table, depth int) ([]byte, error) {
	if depth >= xmlMaxEncodeDepth {
		return b, xmlErrRecursive("sequences")
	}
	b = append(b, "<value><array><data>\n"...)
	n := x.Len()
	if n > 0 && depth+1 >= xmlMaxEncodeDepth {
		return b, xmlErrRecursive("dictionaries")
	}
	if n > 0 && len(x.Names) > 0 {
		var err error
		if b, err = e.tableRows(b, x, depth+1); err != nil {
			return b, err
		}
	} else {
		for range n {
			b = append(b, "<value><struct>\n</struct></value>\n"...)
		}
	}
	return append(b, "</data></array></value>\n"...), nil
}

func (e *xmlEncoder) mapAny(b []byte, m map[string]any, depth int) ([]byte, error) {
	if depth >= xmlMaxEncodeDepth {
		return b, xmlErrRecursive("dictionaries")
	}
	n := len(m)
	if n == 0 {
		return append(b, "<value><struct>\n</struct></value>\n"...), nil
	}
	// Sibling maps (the records of a search_read) usually have the same keys:
	// looking the remembered sorted keys up in m spares iterating, sorting
	// and escaping them.
	if depth < len(e.templates) && n <= xmlMaxTemplateKeys {
		t := &e.templates[depth]
		if len(t.keys) == n {
			if out, ok, err := e.mapTemplate(b, m, t, depth); ok || err != nil {
				return out, err
			}
		}
	}
	base := len(e.kvs)
	for k, v := range m {
		e.kvs = append(e.kvs, xmlMember{k, v})
	}
	sortXMLMembers(e.kvs[base:])
	if depth < len(e.templates) && n <= xmlMaxTemplateKeys {
		t := &e.templates[depth]
		t.set(e.kvs[base:])
		e.kvs = e.kvs[:base]
		out, _, err := e.mapTemplate(b, m, t, depth)
		return out, err
	}

	b = append(b, "<value><struct>\n"...)
	var err error
	for i := range n {
		kv := e.kvs[base+i] // index again each time: nested maps may grow e.kvs
		b = append(b, "<member>\n<name>"...)
		b = xmlAppendEscaped(b, kv.key)
		b = append(b, "</name>\n"...)
		if b, err = e.value(b, kv.val, depth+1); err != nil {
			e.kvs = e.kvs[:base]
			return b, err
		}
		b = append(b, "</member>\n"...)
	}
	e.kvs = e.kvs[:base]
	return append(b, "</struct></value>\n"...), nil
}

// dict writes d as a struct whose members keep d's order, as Python's
// marshaller writes a dict. A nil Dict is an empty struct.
func (e *xmlEncoder) dict(b []byte, d *models.Dict, depth int) ([]byte, error) {
	if depth >= xmlMaxEncodeDepth {
		return b, xmlErrRecursive("dictionaries")
	}
	b = append(b, "<value><struct>\n"...)
	var err error
	values := d.Values()
	for i, k := range d.Keys() {
		b = append(b, "<member>\n<name>"...)
		b = xmlAppendEscaped(b, k)
		b = append(b, "</name>\n"...)
		if b, err = e.value(b, values[i], depth+1); err != nil {
			return b, err
		}
		b = append(b, "</member>\n"...)
	}
	return append(b, "</struct></value>\n"...), nil
}

// mapTemplate writes m with the keys of t, which has as many keys as m has.
// It reports false, having written nothing, when one of them is missing
// from m.
func (e *xmlEncoder) mapTemplate(b []byte, m map[string]any, t *xmlKeyTemplate, depth int) ([]byte, bool, error) {
	if e.Sink != nil && !wire.HasAll(m, t.keys) {
		return b, false, nil
	}
	start := len(b)
	b = append(b, "<value><struct>\n"...)
	var err error
	for i, k := range t.keys {
		v, ok := m[k]
		if !ok {
			return b[:start], false, nil
		}
		if b, err = e.member(b, t, i, v, depth); err != nil {
			return b, true, err
		}
	}
	return append(b, "</struct></value>\n"...), true, nil
}

// member writes the member of t's i-th key holding v, in a struct at depth.
// The usual record fields are written inline, each opening merged with its
// member's name.
func (e *xmlEncoder) member(b []byte, t *xmlKeyTemplate, i int, v any, depth int) ([]byte, error) {
	f := &t.frags[i]
	switch x := v.(type) {
	case string:
		b = append(b, t.text[f[xmlFragString]:f[xmlFragString+1]]...)
		b = xmlAppendEscaped(b, x)
		return append(b, "</string></value>\n</member>\n"...), nil
	case bool:
		if x {
			return append(b, t.text[f[xmlFragTrue]:f[xmlFragTrue+1]]...), nil
		}
		return append(b, t.text[f[xmlFragFalse]:f[xmlFragFalse+1]]...), nil
	case int64:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			b = append(b, t.text[f[xmlFragInt]:f[xmlFragInt+1]]...)
			b = strconv.AppendInt(b, x, 10)
			return append(b, "</int></value>\n</member>\n"...), nil
		}
	case float64:
		b = append(b, t.text[f[xmlFragDouble]:f[xmlFragDouble+1]]...)
		b = wire.AppendPyFloat(b, x, 64)
		return append(b, "</double></value>\n</member>\n"...), nil
	case []any:
		if len(x) == 2 && depth+1 < xmlMaxEncodeDepth {
			// A many2one's [id, name].
			id, ok1 := x[0].(int64)
			name, ok2 := x[1].(string)
			if ok1 && ok2 && id >= math.MinInt32 && id <= math.MaxInt32 {
				b = append(b, t.text[f[xmlFragPair]:f[xmlFragPair+1]]...)
				b = strconv.AppendInt(b, id, 10)
				b = append(b, "</int></value>\n<value><string>"...)
				b = xmlAppendEscaped(b, name)
				return append(b, "</string></value>\n</data></array></value>\n</member>\n"...), nil
			}
		}
		if depth+1 < xmlMaxEncodeDepth {
			b = append(b, t.text[f[xmlFragArray]:f[xmlFragArray+1]]...)
			var err error
			if b, err = e.items(b, x, depth+1); err != nil {
				return b, err
			}
			return append(b, "</data></array></value>\n</member>\n"...), nil
		}
	}
	b = append(b, t.text[f[xmlFragName]:f[xmlFragName+1]]...)
	var err error
	if b, err = e.value(b, v, depth+1); err != nil {
		return b, err
	}
	return append(b, "</member>\n"...), nil
}

// xmlMaxTemplateKeys bounds the maps whose keys are remembered.
const xmlMaxTemplateKeys = 64

// The openings of a member kept for each key of a template: the member and
// its name alone, or followed by the opening of a string, an int, a double,
// an array or an array starting with an int (a many2one's [id, name]), or a
// whole member holding a boolean.
const (
	xmlFragName = iota
	xmlFragString
	xmlFragInt
	xmlFragDouble
	xmlFragArray
	xmlFragPair
	xmlFragTrue
	xmlFragFalse
	xmlFragCount
)

// xmlKeyTemplate remembers the sorted keys of the last map written at some
// depth, with each member's openings ready to copy.
type xmlKeyTemplate struct {
	keys  []string
	text  []byte
	frags [][xmlFragCount + 1]int32 // start of each opening in text, then the end of the last
}

func (t *xmlKeyTemplate) set(kvs []xmlMember) {
	t.keys, t.text, t.frags = t.keys[:0], t.text[:0], t.frags[:0]
	for _, kv := range kvs {
		t.add(kv.key)
	}
}

// add appends key and its members' openings to t.
func (t *xmlKeyTemplate) add(key string) {
	t.keys = append(t.keys, key)
	var f [xmlFragCount + 1]int32
	for kind := range xmlFragCount {
		f[kind] = int32(len(t.text))
		t.text = append(t.text, "<member>\n<name>"...)
		t.text = xmlAppendEscaped(t.text, key)
		switch kind {
		case xmlFragName:
			t.text = append(t.text, "</name>\n"...)
		case xmlFragString:
			t.text = append(t.text, "</name>\n<value><string>"...)
		case xmlFragInt:
			t.text = append(t.text, "</name>\n<value><int>"...)
		case xmlFragDouble:
			t.text = append(t.text, "</name>\n<value><double>"...)
		case xmlFragArray:
			t.text = append(t.text, "</name>\n<value><array><data>\n"...)
		case xmlFragPair:
			t.text = append(t.text, "</name>\n<value><array><data>\n<value><int>"...)
		case xmlFragTrue:
			t.text = append(t.text, "</name>\n<value><boolean>1</boolean></value>\n</member>\n"...)
		case xmlFragFalse:
			t.text = append(t.text, "</name>\n<value><boolean>0</boolean></value>\n</member>\n"...)
		}
	}
	f[xmlFragCount] = int32(len(t.text))
	t.frags = append(t.frags, f)
}

func sortXMLMembers(s []xmlMember) {
	if len(s) <= 16 {
		for i := 1; i < len(s); i++ {
			x, j := s[i], i
			for ; j > 0 && xmlKeyLess(x.key, s[j-1].key); j-- {
				s[j] = s[j-1]
			}
			s[j] = x
		}
		return
	}
	slices.SortFunc(s, func(a, b xmlMember) int { return strings.Compare(a.key, b.key) })
}

// xmlKeyLess is a < b, deciding on the first byte when it can (field names
// mostly differ there) to skip the call to the runtime's string comparison.
func xmlKeyLess(a, b string) bool {
	if len(a) > 0 && len(b) > 0 && a[0] != b[0] {
		return a[0] < b[0]
	}
	return a < b
}

// reflectValue handles every type without a fast path.
func (e *xmlEncoder) reflectValue(b []byte, rv reflect.Value, depth int) ([]byte, error) {
	switch rv.Kind() {
	case reflect.Invalid:
		return b, xmlErrNone()
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return b, xmlErrNone()
		}
		if depth >= xmlMaxEncodeDepth {
			return b, xmlErrRecursive("objects")
		}
		elem := rv.Elem()
		if elem.CanInterface() {
			return e.value(b, elem.Interface(), depth+1)
		}
		return e.reflectValue(b, elem, depth+1)
	case reflect.Bool:
		return xmlAppendBool(b, rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return xmlAppendInt(b, rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u > math.MaxInt32 {
			return b, xmlErrOverflow()
		}
		return xmlAppendIntValue(b, int64(u)), nil
	case reflect.Float32:
		return xmlAppendDouble(b, rv.Float(), 32), nil
	case reflect.Float64:
		return xmlAppendDouble(b, rv.Float(), 64), nil
	case reflect.String:
		return xmlAppendString(b, rv.String()), nil
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return xmlAppendBytes(b, rv.Bytes()), nil
		}
		return e.reflectArray(b, rv, depth)
	case reflect.Array:
		return e.reflectArray(b, rv, depth)
	case reflect.Map:
		return e.reflectMap(b, rv, depth)
	case reflect.Struct:
		if rv.Type() == xmlTimeType && rv.CanInterface() {
			return xmlAppendTime(b, rv.Interface().(time.Time)), nil
		}
	}
	return b, xmlServerErrorf(xmlErrNameType, "cannot marshal <class '%s'> objects", rv.Type())
}

func (e *xmlEncoder) reflectArray(b []byte, rv reflect.Value, depth int) ([]byte, error) {
	if depth >= xmlMaxEncodeDepth {
		return b, xmlErrRecursive("sequences")
	}
	b = append(b, "<value><array><data>\n"...)
	var err error
	for i, n := 0, rv.Len(); i < n; i++ {
		if b, err = e.reflectElem(b, rv.Index(i), depth+1); err != nil {
			return b, err
		}
	}
	return append(b, "</data></array></value>\n"...), nil
}

// reflectElem writes a slice element or map value, going back to the fast
// paths for interface elements such as those of a named []any type.
func (e *xmlEncoder) reflectElem(b []byte, rv reflect.Value, depth int) ([]byte, error) {
	if rv.Kind() == reflect.Interface && !rv.IsNil() && rv.CanInterface() {
		return e.value(b, rv.Interface(), depth)
	}
	return e.reflectValue(b, rv, depth)
}

func (e *xmlEncoder) reflectMap(b []byte, rv reflect.Value, depth int) ([]byte, error) {
	if rv.Type().Key().Kind() != reflect.String {
		if rv.Len() == 0 {
			// Python only notices a bad key when there is one.
			return append(b, "<value><struct>\n</struct></value>\n"...), nil
		}
		return b, xmlServerErrorf(xmlErrNameType, "dictionary key must be string")
	}
	if depth >= xmlMaxEncodeDepth {
		return b, xmlErrRecursive("dictionaries")
	}
	base := len(e.rkvs)
	iter := rv.MapRange()
	for iter.Next() {
		e.rkvs = append(e.rkvs, xmlReflectMember{iter.Key().String(), iter.Value()})
	}
	n := len(e.rkvs) - base
	slices.SortFunc(e.rkvs[base:], func(a, b xmlReflectMember) int { return strings.Compare(a.key, b.key) })
	b = append(b, "<value><struct>\n"...)
	var err error
	for i := base; i < base+n; i++ {
		kv := e.rkvs[i]
		b = append(b, "<member>\n<name>"...)
		b = xmlAppendEscaped(b, kv.key)
		b = append(b, "</name>\n"...)
		if b, err = e.reflectElem(b, kv.val, depth+1); err != nil {
			e.rkvs = e.rkvs[:base]
			return b, err
		}
		b = append(b, "</member>\n"...)
	}
	e.rkvs = e.rkvs[:base]
	return append(b, "</struct></value>\n"...), nil
}

// ---------------------------------------------------------------------------
// Scalars

func xmlAppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "<value><boolean>1</boolean></value>\n"...)
	}
	return append(b, "<value><boolean>0</boolean></value>\n"...)
}

func xmlAppendInt(b []byte, n int64) ([]byte, error) {
	if n < math.MinInt32 || n > math.MaxInt32 {
		return b, xmlErrOverflow()
	}
	return xmlAppendIntValue(b, n), nil
}

func xmlAppendIntValue(b []byte, n int64) []byte {
	b = append(b, "<value><int>"...)
	b = strconv.AppendInt(b, n, 10)
	return append(b, "</int></value>\n"...)
}

func xmlAppendDouble(b []byte, f float64, bits int) []byte {
	b = append(b, "<value><double>"...)
	b = wire.AppendPyFloat(b, f, bits)
	return append(b, "</double></value>\n"...)
}

func xmlAppendString(b []byte, s string) []byte {
	b = append(b, "<value><string>"...)
	b = xmlAppendEscaped(b, s)
	return append(b, "</string></value>\n"...)
}

// longString is xmlAppendString for a string streamed in pieces.
func (e *xmlEncoder) longString(b []byte, s string) ([]byte, error) {
	b = append(b, "<value><string>"...)
	b, err := e.Pieces(b, s, xmlAppendEscaped)
	if err != nil {
		return b, err
	}
	return append(b, "</string></value>\n"...), nil
}

func xmlAppendBytes(b []byte, p []byte) []byte {
	// A read-only view: xmlAppendEscaped neither keeps nor modifies it.
	return xmlAppendString(b, unsafe.String(unsafe.SliceData(p), len(p)))
}

func xmlAppendTime(b []byte, t time.Time) []byte {
	b = append(b, "<value><string>"...)
	b = t.UTC().AppendFormat(b, "2006-01-02 15:04:05")
	return append(b, "</string></value>\n"...)
}

// Byte classes for xmlAppendEscaped.
const (
	xmlCharCopy    = iota // written as is
	xmlCharEscape         // & < >
	xmlCharDrop           // control characters other than TAB, LF, CR
	xmlCharUnicode        // start of a multi-byte (or invalid) UTF-8 sequence
)

var xmlCharClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c == '&' || c == '<' || c == '>':
			t[c] = xmlCharEscape
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			t[c] = xmlCharDrop
		case c >= utf8.RuneSelf:
			t[c] = xmlCharUnicode
		}
	}
	return t
}()

// xmlAppendEscaped appends s with Python's xmlrpc escape() (& < > only) after
// Odoo 17+'s removal of control characters. Invalid UTF-8 becomes U+FFFD and
// the non-characters U+FFFE and U+FFFF are dropped, so that the document is
// always well-formed XML.
func xmlAppendEscaped(b []byte, s string) []byte {
	i := xmlCleanLen(s)
	if i == len(s) {
		return append(b, s...) // the common case: nothing to change
	}
	last := 0
	for i < len(s) {
		switch xmlCharClass[s[i]] {
		case xmlCharCopy:
			i++
		case xmlCharUnicode:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b = append(b, s[last:i]...)
				b = append(b, "\uFFFD"...)
				i++
				last = i
			case r == 0xFFFE || r == 0xFFFF:
				b = append(b, s[last:i]...)
				i += size
				last = i
			default:
				i += size
			}
		case xmlCharEscape:
			b = append(b, s[last:i]...)
			switch s[i] {
			case '&':
				b = append(b, "&amp;"...)
			case '<':
				b = append(b, "&lt;"...)
			default:
				b = append(b, "&gt;"...)
			}
			i++
			last = i
		default: // xmlCharDrop
			b = append(b, s[last:i]...)
			i++
			last = i
		}
	}
	return append(b, s[last:]...)
}

// xmlCleanLen returns how many leading bytes of s xmlAppendEscaped copies
// as they are: it checks eight bytes at a time, the last eight overlapping
// the ones before when the length is not a multiple of eight.
func xmlCleanLen(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if xmlNeedsEscape8(wire.Load8(s[i : i+8])) {
			break
		}
	}
	if i < len(s) && i+8 > len(s) && len(s) >= 8 && !xmlNeedsEscape8(wire.Load8(s[len(s)-8:])) {
		return len(s)
	}
	for i < len(s) && xmlCharClass[s[i]] == xmlCharCopy {
		i++
	}
	return i
}

// xmlNeedsEscape8 reports whether any of the 8 bytes of x is a control
// character, a non-ASCII byte, '&', '<' or '>' (it may say yes when none
// is; never the reverse).
func xmlNeedsEscape8(x uint64) bool {
	ctl := (x - wire.LSBs*0x20) & ^x // high bit set where a byte is below 0x20
	amp := x ^ (wire.LSBs * '&')
	amp = (amp - wire.LSBs) & ^amp // high bit set where a byte is '&'
	ltgt := (x ^ (wire.LSBs * '<')) &^ (wire.LSBs * 0x02)
	ltgt = (ltgt - wire.LSBs) & ^ltgt // high bit set where a byte is '<' or '>' (0x3C, 0x3E)
	return (ctl|amp|ltgt|x)&wire.MSBs != 0
}

// ---------------------------------------------------------------------------
// Errors

func xmlErrNone() error {
	return &models.Error{Kind: models.KindServer, Name: xmlErrNameType, Message: "cannot marshal None unless allow_none is enabled"}
}

func xmlErrOverflow() error {
	return &models.Error{Kind: models.KindServer, Name: xmlErrNameOverflow, Message: "int exceeds XML-RPC limits"}
}

func xmlErrRecursive(what string) error {
	return &models.Error{Kind: models.KindServer, Name: xmlErrNameType,
		Message: "cannot marshal recursive " + what + " (nested more than " + strconv.Itoa(xmlMaxEncodeDepth) + " levels)"}
}
