package jsonrpc_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/godoo/godoo/models"
)

// refJSON is the JSON encoder as it was before it was rewritten for speed,
// kept as the reference that the differential tests compare with. It writes
// v as JSON the way Odoo's json_default serializer does: raw UTF-8,
// datetimes as "YYYY-MM-DD HH:MM:SS", non-string keys turned into strings,
// keys sorted for stable output.
func refJSON(buf *bytes.Buffer, v any, depth int) error {
	if depth > 1000 {
		return models.ServerErrorf("builtins.RecursionError", "maximum recursion depth exceeded while encoding a JSON object")
	}
	switch x := v.(type) {
	case nil:
		buf.WriteString("null")
	case bool:
		if x {
			buf.WriteString("true")
		} else {
			buf.WriteString("false")
		}
	case string:
		refJSONString(buf, x)
	case int64:
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), x, 10))
	case int:
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), int64(x), 10))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return models.ServerErrorf("builtins.ValueError", "Out of range float values are not JSON compliant")
		}
		buf.WriteString(refPyRepr(x))
	case time.Time:
		refJSONString(buf, x.UTC().Format(models.DatetimeLayout))
	case []any:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteString(", ")
			}
			if err := refJSON(buf, e, depth+1); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case []int64:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteString(", ")
			}
			buf.Write(strconv.AppendInt(buf.AvailableBuffer(), e, 10))
		}
		buf.WriteByte(']')
	case map[string]any:
		return refJSONObject(buf, x, depth)
	case models.Record:
		return refJSONObject(buf, x, depth)
	case []models.Record:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteString(", ")
			}
			if err := refJSONObject(buf, e, depth+1); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case json.RawMessage:
		buf.Write(x)
	default:
		return refJSONReflect(buf, reflect.ValueOf(v), depth)
	}
	return nil
}

func refJSONObject(buf *bytes.Buffer, m map[string]any, depth int) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			buf.WriteString(", ")
		}
		refJSONString(buf, k)
		buf.WriteString(": ")
		if err := refJSON(buf, m[k], depth+1); err != nil {
			return err
		}
	}
	buf.WriteByte('}')
	return nil
}

func refJSONReflect(buf *bytes.Buffer, rv reflect.Value, depth int) error {
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			buf.WriteString("null")
			return nil
		}
		return refJSON(buf, rv.Elem().Interface(), depth+1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return refJSON(buf, rv.Int(), depth)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		buf.Write(strconv.AppendUint(buf.AvailableBuffer(), rv.Uint(), 10))
		return nil
	case reflect.Float32, reflect.Float64:
		return refJSON(buf, rv.Float(), depth)
	case reflect.String:
		refJSONString(buf, rv.String())
		return nil
	case reflect.Bool:
		return refJSON(buf, rv.Bool(), depth)
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8 {
			refJSONString(buf, string(rv.Bytes())) // bytes are decoded text, as in Odoo
			return nil
		}
		buf.WriteByte('[')
		for i := 0; i < rv.Len(); i++ {
			if i > 0 {
				buf.WriteString(", ")
			}
			if err := refJSON(buf, rv.Index(i).Interface(), depth+1); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
		return nil
	case reflect.Map:
		m := make(map[string]any, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			m[fmt.Sprint(iter.Key().Interface())] = iter.Value().Interface()
		}
		return refJSONObject(buf, m, depth)
	}
	return models.ServerErrorf("builtins.TypeError", "Object of type %s is not JSON serializable", rv.Type())
}

const refHexDigits = "0123456789abcdef"

// refJSONString writes s as a JSON string, escaping only what JSON
// requires; invalid UTF-8 becomes U+FFFD.
func refJSONString(buf *bytes.Buffer, s string) {
	buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				buf.WriteByte('\\')
				buf.WriteByte(c)
			case '\n':
				buf.WriteString(`\n`)
			case '\r':
				buf.WriteString(`\r`)
			case '\t':
				buf.WriteString(`\t`)
			default:
				buf.WriteString(`\u00`)
				buf.WriteByte(refHexDigits[c>>4])
				buf.WriteByte(refHexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf.WriteString(s[start:i])
			buf.WriteString(`\ufffd`)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf.WriteString(s[start:i])
			buf.WriteString(`\u202`)
			buf.WriteByte(refHexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf.WriteString(s[start:])
	buf.WriteByte('"')
}

// refPyRepr is Python's repr of a finite float, as json.dumps writes it:
// the shortest round-trip digits, positional when the decimal exponent is
// in [-4, 16) (with ".0" for whole numbers), else scientific.
func refPyRepr(x float64) string {
	e := strconv.FormatFloat(x, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	f := strconv.FormatFloat(x, 'f', -1, 64)
	if !strings.Contains(f, ".") {
		f += ".0"
	}
	return f
}

func TestRefPyRepr(t *testing.T) {
	// Python 3: repr(x) for each.
	for x, want := range map[float64]string{0: "0.0", 1: "1.0", -2: "-2.0", 0.1: "0.1", 1e16: "1e+16", 1e15: "1000000000000000.0",
		1e-4: "0.0001", 1e-5: "1e-05", 158653182.6516576: "158653182.6516576", 123456.5: "123456.5", 1.5e-7: "1.5e-07"} {
		if got := refPyRepr(x); got != want {
			t.Errorf("refPyRepr(%v) = %s, want %s", x, got, want)
		}
	}
}
