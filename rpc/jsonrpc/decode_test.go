package jsonrpc_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/jsonrpc"
)

// referenceJSON decodes b with encoding/json and the value shapes godoo
// uses (int64 for integers that fit, float64 otherwise): what the body
// decoder must return for every document it accepts.
func referenceJSON(t testing.TB, b []byte) (any, bool) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	var shaped func(any) (any, bool)
	shaped = func(v any) (any, bool) {
		switch x := v.(type) {
		case json.Number:
			if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
				return n, true
			}
			if !strings.ContainsAny(string(x), ".eE") {
				return nil, false
			}
			f, err := strconv.ParseFloat(string(x), 64)
			return f, err == nil && !math.IsInf(f, 0)
		case []any:
			for i := range x {
				e, ok := shaped(x[i])
				if !ok {
					return nil, false
				}
				x[i] = e
			}
		case map[string]any:
			for k := range x {
				e, ok := shaped(x[k])
				if !ok {
					return nil, false
				}
				x[k] = e
			}
		}
		return v, true
	}
	return shaped(v)
}

func TestDecodeJSONValues(t *testing.T) {
	for _, doc := range []string{
		`{}`, `[]`, `""`, `0`, `-0`, `true`, `false`, `null`, " \t\r\n{ } ",
		`{"a": 1, "b": [1, 2.5, -3e2, "x", null, true, false, {}], "c": {"d": []}}`,
		`[9223372036854775807, -9223372036854775808, 1E3, 1e-3, 0.5, -0.0, 12345678901234567]`,
		`"plain ascii and ünïcödé and 😀"`,
		`"escapes \" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20AC \ud83d\ude00 end"`,
		`"lone surrogates \ud800 and \udc00 and \ud800x and \ud83d\u0041"`,
		`{"dup": 1, "dup": 2}`,
		`{"k\u00e9y": "v", "": 0}`,
		`[[[[[[[[[[1]]]]]]]]]]`,
	} {
		t.Run(doc, func(t *testing.T) {
			want, ok := referenceJSON(t, []byte(doc))
			if !ok {
				t.Fatalf("the reference refuses %s", doc)
			}
			got, notJSON, err := decodeJSON([]byte(doc), 64)
			if err != nil || notJSON {
				t.Fatalf("refused: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %#v\nwant %#v", got, want)
			}
		})
	}
}

// TestDecodeJSONRefuses: what is not JSON, or not UTF-8, is refused as
// not JSON, with the reason JSON-2 gives; invalid UTF-8 is named as
// Python's UTF-8 codec names it.
func TestDecodeJSONRefuses(t *testing.T) {
	for _, tc := range []struct{ doc, reason string }{
		{``, "unexpected end of JSON input"},
		{`   `, "unexpected end of JSON input"},
		{`{`, "unexpected end of JSON input"},
		{`{"a" 1}`, "invalid character '1' after object key"},
		{`{"a": 1,}`, "invalid character '}' looking for beginning of object key string"},
		{`[1,]`, "invalid character ']' looking for beginning of value"},
		{`[1 2]`, "invalid character '2' after array element"},
		{`{} x`, "invalid character 'x' after top-level value"},
		{`nul`, "unexpected end of JSON input"},
		{`tru e`, "invalid character ' ' in literal true (expecting 'e')"},
		{`01`, "invalid character '1' after top-level value"},
		{`-`, "unexpected end of JSON input"},
		{`1.`, "unexpected end of JSON input"},
		{`1.e5`, "invalid character 'e' after decimal point in numeric literal"},
		{`1e+`, "unexpected end of JSON input"},
		{`NaN`, "invalid character 'N' looking for beginning of value"},
		{`"tab	inside"`, `invalid character '\t' in string literal`},
		{`"bad \x escape"`, "invalid character 'x' in string escape code"},
		{`"\u12G4"`, "invalid character 'G' in \\u hexadecimal character escape"},
		{`"unterminated`, "unexpected end of JSON input"},
		{"\ufeff{}", "invalid character 'ï' looking for beginning of value"},
		{"\f{}", `invalid character '\f' looking for beginning of value`},
		{"{\"name\": \"caf\xe9\"}", "'utf-8' codec can't decode byte 0xe9 in position 13: invalid continuation byte"},
		{"[\"\xff\"]", "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte"},
		{"[\"\x80\"]", "'utf-8' codec can't decode byte 0x80 in position 2: invalid start byte"},
		{"[\"\xc0\xaf\"]", "'utf-8' codec can't decode byte 0xc0 in position 2: invalid start byte"},
		{"[\"\xed\xa0\x80\"]", "'utf-8' codec can't decode byte 0xed in position 2: invalid continuation byte"},
		{"[\"\xe2\x82\x28\"]", "'utf-8' codec can't decode bytes in position 2-3: invalid continuation byte"},
		{"\"\xe2\x82", "'utf-8' codec can't decode bytes in position 1-2: unexpected end of data"},
		{"\"\xf0", "'utf-8' codec can't decode byte 0xf0 in position 1: unexpected end of data"},
		{"[1, 2] \xff", "'utf-8' codec can't decode byte 0xff in position 7: invalid start byte"},
	} {
		t.Run(tc.doc, func(t *testing.T) {
			if utf8.ValidString(tc.doc) && json.Valid([]byte(tc.doc)) {
				t.Fatalf("encoding/json accepts %q", tc.doc)
			}
			_, notJSON, err := decodeJSON([]byte(tc.doc), 64)
			if !notJSON {
				t.Fatalf("not refused as not JSON: %v", err)
			}
			if err.Error() != tc.reason {
				t.Errorf("reason %q, want %q", err, tc.reason)
			}
		})
	}
}

// TestDecodeJSONValueErrors: numbers that do not fit and nesting beyond
// the limit are Python's exceptions, after the syntax: a malformed body is
// refused as such even when it also holds a bad value.
func TestDecodeJSONValueErrors(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + "1" + strings.Repeat("]", n) }
	for _, tc := range []struct {
		doc      string
		maxLevel int
		name     string
		msg      string
		notJSON  bool
	}{
		{`[9223372036854775808]`, 64, "builtins.OverflowError", `integer "9223372036854775808" does not fit in 64 bits`, false},
		{`{"a": -9223372036854775809}`, 64, "builtins.OverflowError", `integer "-9223372036854775809" does not fit in 64 bits`, false},
		{`[1e400]`, 64, "builtins.ValueError", "number out of range: 1e400", false},
		{`[1e400, 1e999]`, 64, "builtins.ValueError", "number out of range: 1e400", false},
		{deep(3), 3, "", "", false},
		{deep(3), 2, "builtins.RecursionError", "maximum recursion depth exceeded while decoding a JSON document", false},
		{`{"a": {"b": 1}}`, 1, "builtins.RecursionError", "maximum recursion depth exceeded while decoding a JSON document", false},
		{deep(10000), 64, "builtins.RecursionError", "maximum recursion depth exceeded while decoding a JSON document", false},
		{deep(10001), 20000, "builtins.RecursionError", "maximum recursion depth exceeded while decoding a JSON document", false},
		{deep(10001) + " x", 64, "builtins.RecursionError", "maximum recursion depth exceeded while decoding a JSON document", false},
		{`[1e400, ]`, 64, "", "", true},
		{deep(100) + "]", 64, "", "", true},
	} {
		t.Run(tc.doc[:min(len(tc.doc), 40)], func(t *testing.T) {
			_, notJSON, err := decodeJSON([]byte(tc.doc), tc.maxLevel)
			if notJSON != tc.notJSON {
				t.Fatalf("not JSON: %v (%v), want %v", notJSON, err, tc.notJSON)
			}
			if tc.notJSON || tc.name == "" {
				if !tc.notJSON && err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e := models.AsError(err)
			if e == nil || e.ExceptionName() != tc.name || e.Message != tc.msg {
				t.Errorf("error %v, want %s: %s", err, tc.name, tc.msg)
			}
		})
	}
}

// TestDecodeEnvelope: the id is echoed as sent, even when params cannot be
// decoded and whatever its own nesting, and holds a copy of its bytes; a
// body that is not an object is told apart from one that is not JSON.
func TestDecodeEnvelope(t *testing.T) {
	deep := strings.Repeat("[", 80) + strings.Repeat("]", 80)
	for _, tc := range []struct {
		name, body, id    string
		params            any
		notJSON, notObj   bool
		exception, errMsg string
	}{
		{"no id", `{"params": {"a": 1}}`, `null`, map[string]any{"a": int64(1)}, false, false, "", ""},
		{"id after params", `{"params": [], "id": "x\u0041"}`, `"x\u0041"`, []any{}, false, false, "", ""},
		{"id deep", `{"id": ` + deep + `}`, deep, nil, false, false, "", ""},
		{"other members", `{"jsonrpc": "2.0", "method": "call", "id": 7, "extra": [{"x": 1e999}]}`, `7`, nil, false, false, "", ""},
		{"exact key only", `{"ID": 7, "Params": 1}`, `null`, nil, false, false, "", ""},
		{"params too deep", `{"params": {"a": [[1]]}, "id": 3}`, `3`, nil, false, false, "builtins.RecursionError", "maximum recursion depth exceeded while decoding a JSON document"},
		{"params overflow", `{"params": [123456789012345678901], "id": [1]}`, `[1]`, nil, false, false, "builtins.OverflowError", `integer "123456789012345678901" does not fit in 64 bits`},
		{"array", `[{"params": {}}]`, `null`, nil, false, true, "", ""},
		{"null", `null`, `null`, nil, false, true, "", ""},
		{"broken array", `[{"params": {}]`, `null`, nil, true, false, "", ""},
		{"broken after a bad value", `{"params": [1e999], "id": 1`, `null`, nil, true, false, "", ""},
		{"invalid UTF-8 in a key", "{\"id\": 1, \"\xff\": 2}", `null`, nil, true, false, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := []byte(tc.body)
			id, params, notJSON, notObj, err := decodeEnvelope(body, 1)
			if notJSON != tc.notJSON || notObj != tc.notObj {
				t.Fatalf("not JSON %v, not an object %v (%v)", notJSON, notObj, err)
			}
			for i := range body {
				body[i] = 'X' // the answer must not depend on the body any more
			}
			if string(id) != tc.id {
				t.Errorf("id %s, want %s", id, tc.id)
			}
			if tc.exception != "" {
				if e := models.AsError(err); e == nil || e.ExceptionName() != tc.exception || e.Message != tc.errMsg {
					t.Errorf("error %v, want %s: %s", err, tc.exception, tc.errMsg)
				}
				return
			}
			if !tc.notJSON && !tc.notObj && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !reflect.DeepEqual(params, tc.params) {
				t.Errorf("params %#v, want %#v", params, tc.params)
			}
		})
	}
}

// FuzzDecodeJSON: the decoder accepts exactly the UTF-8 documents that
// encoding/json accepts, and decodes them to the same values.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"a": [1, 2.5, "x\u00e9\ud83d\ude00", null]}`, `[1e400]`, `"\ud800"`, "[\"\xe9\"]", `{"a":`, `-0.0e-0`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, notJSON, err := decodeJSON(b, 1000)
		valid := utf8.Valid(b) && json.Valid(b)
		if notJSON == valid {
			t.Fatalf("%q: refused as not JSON %v (%v), encoding/json valid %v", b, notJSON, err, valid)
		}
		if notJSON {
			return
		}
		want, ok := referenceJSON(t, b)
		if ok != (err == nil) {
			t.Fatalf("%q: error %v, reference ok %v", b, err, ok)
		}
		if ok && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %#v, want %#v", b, got, want)
		}
	})
}

// decodeJSON decodes b; notJSON reports a body refused as not JSON
// (malformed or not UTF-8), with the reason in err.
func decodeJSON(b []byte, maxLevel int) (v any, notJSON bool, err error) {
	v, err = jsonrpc.Decode(b, maxLevel)
	var syntax *jsonrpc.SyntaxError
	return v, errors.As(err, &syntax), err
}

// decodeEnvelope decodes a JSON-RPC body: the id as echoed, the params,
// and the error, with notJSON and notObject for the bodies Odoo answers
// with a 400.
func decodeEnvelope(b []byte, maxDepth int) (id []byte, params any, notJSON, notObject bool, err error) {
	env, err := jsonrpc.DecodeEnvelope(b, maxDepth)
	var syntax *jsonrpc.SyntaxError
	return env.ID, env.Params, errors.As(err, &syntax), errors.Is(err, jsonrpc.ErrNotObject), err
}
