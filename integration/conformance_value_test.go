package integration_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The conformance replay compares godoo's answers with Odoo's recorded ones
// down to the order of the keys of every dict, which Go maps forget and
// which Python clients see (dict order is insertion order). The values here
// keep the wire order: an answer, a request or a recorded expectation is
// one of nil, bool, string, int64, float64, []any, *object, xmlBytes and
// xmlTime. Integers and floats stay apart, as Python's int and float do.

// object is a JSON object or an XML-RPC struct with its members in wire
// order.
type object struct {
	keys []string
	vals map[string]any
}

func newObject() *object { return &object{vals: map[string]any{}} }

// set adds key at the end, or replaces its value where it already is (a
// repeated JSON key keeps its first place and its last value, as Python's
// json module does).
func (o *object) set(key string, v any) {
	if _, ok := o.vals[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.vals[key] = v
}

func (o *object) get(key string) (any, bool) {
	v, ok := o.vals[key]
	return v, ok
}

func (o *object) has(key string) bool {
	_, ok := o.vals[key]
	return ok
}

// xmlBytes is an XML-RPC base64 value.
type xmlBytes []byte

// xmlTime is an XML-RPC dateTime.iso8601 value, kept as its text: Odoo
// sends datetimes as strings, so one arriving as this type is a difference
// to show, not a value to interpret.
type xmlTime string

// decodeJSON reads one JSON document into ordered values.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeJSONValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("json: data after the value")
	}
	return v, nil
}

func decodeJSONValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := newObject()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("json: object key %v is not a string", kt)
				}
				v, err := decodeJSONValue(dec)
				if err != nil {
					return nil, err
				}
				o.set(key, v)
			}
			_, err := dec.Token()
			return o, err
		case '[':
			list := []any{}
			for dec.More() {
				v, err := decodeJSONValue(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			_, err := dec.Token()
			return list, err
		}
		return nil, fmt.Errorf("json: unexpected %v", t)
	case json.Number:
		return jsonNumber(string(t))
	default: // string, bool, nil
		return t, nil
	}
}

// jsonNumber keeps Python's distinction: a literal with a fraction or an
// exponent is a float, any other an int.
func jsonNumber(lit string) (any, error) {
	if !strings.ContainsAny(lit, ".eE") {
		if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
			return n, nil
		}
	}
	return strconv.ParseFloat(lit, 64)
}

// appendJSON writes v as JSON, objects in their order.
func appendJSON(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, x)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return append(b, pyFloat(x)...)
	case string:
		return appendJSONString(b, x)
	case xmlTime:
		return appendJSONString(b, string(x))
	case xmlBytes:
		return appendJSONString(b, fmt.Sprintf("<bytes %d>", len(x)))
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	case *object:
		b = append(b, '{')
		for i, k := range x.keys {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendJSONString(b, k)
			b = append(b, ": "...)
			b = appendJSON(b, x.vals[k])
		}
		return append(b, '}')
	}
	panic(fmt.Sprintf("appendJSON: unexpected %T", v))
}

func appendJSONString(b []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return append(b, bytes.TrimRight(buf.Bytes(), "\n")...)
}

// pyFloat formats f as Python's repr does, so that a float of the corpus
// (1.0) reaches the server as a float and not as an int.
func pyFloat(f float64) string {
	abs := math.Abs(f)
	if f != 0 && (abs < 1e-4 || abs >= 1e16) || math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.FormatFloat(f, 'e', -1, 64)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// showJSON renders v for a failure message, cut at limit bytes.
func showJSON(v any, limit int) string {
	return clip(string(appendJSON(nil, v)), limit)
}

// clip cuts s at limit bytes, on a character boundary.
func clip(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf(" … (%d bytes in all)", len(s))
}
