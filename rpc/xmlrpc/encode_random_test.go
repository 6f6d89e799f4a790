package xmlrpc_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/rpctest"
	"github.com/godoo/godoo/rpc/xmlrpc"
)

// pyDumpTagged rebuilds the values that pyTagged describes and writes each
// with Odoo's marshaller, dictionaries in sorted key order as godoo writes
// them, separated by NUL bytes (which the marshaller never writes).
const pyDumpTagged = `
def build(x):
    t, v = x["t"], x.get("v")
    if t == "s": return v
    if t == "i": return int(v)
    if t == "b": return bool(v)
    if t == "f": return float.fromhex(v)
    if t == "d": return datetime.datetime(*v)
    if t == "l": return [build(e) for e in v]
    if t == "m": return {k: build(e) for k, e in sorted(v.items())}
    raise ValueError(t)
import json
out = []
for x in json.load(sys.stdin):
    out.append(xmlrpc.client.dumps((build(x),), methodresponse=True, allow_none=False))
sys.stdout.write("\0".join(out))
`

// pyTagged describes v for pyDumpTagged, or reports false when v is outside
// what Odoo's marshaller and godoo write alike: None, ints beyond 32 bits,
// float32 (Python has none), invalid UTF-8 and the non-characters U+FFFE and
// U+FFFF (which godoo drops), control characters in keys (which godoo
// removes and Python keeps), and maps with other keys than strings.
func pyTagged(v any) (any, bool) {
	tag := func(t string, v any) map[string]any { return map[string]any{"t": t, "v": v} }
	str := func(s string) (any, bool) {
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\uFFFE\uFFFF") {
			return nil, false
		}
		return tag("s", s), true
	}
	switch x := v.(type) {
	case nil, float32:
		return nil, false
	case string:
		return str(x)
	case []byte:
		return str(string(x))
	case bool:
		return tag("b", x), true
	case float64:
		return tag("f", strconvHex(x)), true
	case time.Time:
		u := x.UTC()
		return tag("d", []int{u.Year(), int(u.Month()), u.Day(), u.Hour(), u.Minute(), u.Second()}), true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n := rv.Int(); n >= math.MinInt32 && n <= math.MaxInt32 {
			return tag("i", fmt.Sprint(n)), true
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n := rv.Uint(); n <= math.MaxInt32 {
			return tag("i", fmt.Sprint(n)), true
		}
	case reflect.Pointer:
		if !rv.IsNil() {
			return pyTagged(rv.Elem().Interface())
		}
	case reflect.Slice, reflect.Array:
		items := []any{}
		for i := range rv.Len() {
			e, ok := pyTagged(rv.Index(i).Interface())
			if !ok {
				return nil, false
			}
			items = append(items, e)
		}
		return tag("l", items), true
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil, false
		}
		members := map[string]any{}
		iter := rv.MapRange()
		for iter.Next() {
			k := iter.Key().String()
			if strings.IndexFunc(k, func(r rune) bool { return r < 0x20 }) >= 0 {
				return nil, false
			}
			if _, ok := str(k); !ok {
				return nil, false
			}
			e, ok := pyTagged(iter.Value().Interface())
			if !ok {
				return nil, false
			}
			members[k] = e
		}
		return tag("m", members), true
	}
	return nil, false
}

// TestPythonSameBytesRandom compares, byte for byte, what godoo and Odoo's
// marshaller write for random values of the shapes RPC results take.
func TestPythonSameBytesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var values []any
	var tagged []any
	for len(values) < 1500 {
		v := rpctest.RandomValue(rng, 0)
		if p, ok := pyTagged(v); ok {
			values = append(values, v)
			tagged = append(tagged, p)
		}
	}
	// The records of a search_read, as the ORM returns them.
	values = append(values, rpctest.SearchReadRecords(80))
	p, _ := pyTagged(values[len(values)-1])
	tagged = append(tagged, p)

	in, err := json.Marshal(tagged)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(runPython(t, pyOdooMarshaller+pyDumpTagged, string(in)), "\x00")
	if len(want) != len(values) {
		t.Fatalf("python wrote %d documents for %d values", len(want), len(values))
	}
	bad := 0
	for i, v := range values {
		var buf bytes.Buffer
		if err := xmlrpc.EncodeResponse(&buf, v); err != nil {
			t.Errorf("value %#v: %v", v, err)
			continue
		}
		if buf.String() != want[i] {
			if bad++; bad <= 5 {
				t.Errorf("value %#v:\n--- ours ---\n%s\n--- python ---\n%s", v, buf.String(), want[i])
			}
		}
	}
}

// TestEncodeRecordsLikeMaps checks that []models.Record, which has a fast
// path of its own, is written as the same data in other shapes is.
func TestEncodeRecordsLikeMaps(t *testing.T) {
	recs := rpctest.SearchReadRecords(12)
	plain := make([]map[string]any, len(recs))
	anys := make([]any, len(recs))
	for i, r := range recs {
		plain[i] = r
		anys[i] = map[string]any(r)
	}
	want := encode(t, anys)
	for _, v := range []any{recs, plain, &recs} {
		if got := encode(t, v); got != want {
			t.Errorf("%T:\n%s\nwant\n%s", v, got, want)
		}
	}
	// Records whose key sets change from one to the next.
	mixed := []models.Record{{"a": int64(1)}, {"a": int64(2), "b": "x"}, {"b": "y", "a": int64(3)}, {"c": false}, {}, {"a": 1.5}}
	anys = anys[:0]
	for _, r := range mixed {
		anys = append(anys, map[string]any(r))
	}
	if got, want := encode(t, mixed), encode(t, anys); got != want {
		t.Errorf("mixed records:\n%s\nwant\n%s", got, want)
	}
}
