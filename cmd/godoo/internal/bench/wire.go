package bench

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"slices"
	"strconv"
)

// xmlCall encodes an XML-RPC methodCall. It knows the few types the
// scenarios send: strings, integers, booleans, lists and string-keyed maps
// (in key order).
func xmlCall(method string, params ...any) []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\"?>\n<methodCall><methodName>")
	_ = xml.EscapeText(&b, []byte(method))
	b.WriteString("</methodName><params>")
	for _, p := range params {
		b.WriteString("<param>")
		xmlValue(&b, p)
		b.WriteString("</param>")
	}
	b.WriteString("</params></methodCall>\n")
	return b.Bytes()
}

func xmlValue(b *bytes.Buffer, v any) {
	b.WriteString("<value>")
	switch v := v.(type) {
	case string:
		b.WriteString("<string>")
		_ = xml.EscapeText(b, []byte(v))
		b.WriteString("</string>")
	case int:
		b.WriteString("<int>" + strconv.Itoa(v) + "</int>")
	case int64:
		b.WriteString("<int>" + strconv.FormatInt(v, 10) + "</int>")
	case bool:
		if v {
			b.WriteString("<boolean>1</boolean>")
		} else {
			b.WriteString("<boolean>0</boolean>")
		}
	case []string:
		b.WriteString("<array><data>")
		for _, e := range v {
			xmlValue(b, e)
		}
		b.WriteString("</data></array>")
	case []int64:
		b.WriteString("<array><data>")
		for _, e := range v {
			xmlValue(b, e)
		}
		b.WriteString("</data></array>")
	case []any:
		b.WriteString("<array><data>")
		for _, e := range v {
			xmlValue(b, e)
		}
		b.WriteString("</data></array>")
	case map[string]any:
		b.WriteString("<struct>")
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			b.WriteString("<member><name>")
			_ = xml.EscapeText(b, []byte(k))
			b.WriteString("</name>")
			xmlValue(b, v[k])
			b.WriteString("</member>")
		}
		b.WriteString("</struct>")
	default:
		panic(fmt.Sprintf("bench: cannot encode %T in XML-RPC", v))
	}
	b.WriteString("</value>")
}

// jsonCall encodes a JSON-RPC call of service.method with args, as Odoo's
// clients send it.
func jsonCall(service, method string, args ...any) []byte {
	b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1,
		"params": map[string]any{"service": service, "method": method, "args": args}})
	if err != nil {
		panic(err) // only the scenarios' own constant values are encoded
	}
	return b
}

// template splits a request body around the only occurrence of a
// placeholder, so that a value known only at call time (a record id, a
// key) can be put in without encoding the whole request again.
type template struct{ head, tail []byte }

func splitAt(body []byte, placeholder string) template {
	i := bytes.Index(body, []byte(placeholder))
	if i < 0 || bytes.Count(body, []byte(placeholder)) != 1 {
		panic("bench: placeholder " + placeholder + " is not in the request once")
	}
	return template{head: body[:i], tail: body[i+len(placeholder):]}
}

// fill appends the body with value in place of the placeholder to dst[:0].
func (t template) fill(dst []byte, value string) []byte {
	dst = append(dst[:0], t.head...)
	dst = append(dst, value...)
	return append(dst, t.tail...)
}

var (
	xmlFault    = []byte("<fault>")
	jsonError   = []byte(`"error": {`)
	xmlIntOpen  = []byte("<int>")
	xmlIntClose = []byte("</int>")
)

// faultWindow is how far into an answer its fault or error marker can be:
// XML-RPC's <fault> follows <methodResponse>, and JSON-RPC's "error"
// member comes before any result. Searching only there keeps the check of
// a large answer cheap, so that the bench's own work takes less of the
// machine that the server runs on.
const faultWindow = 512

// isFault reports whether body starts as a fault.
func isFault(body, fault []byte) bool {
	return bytes.Contains(body[:min(len(body), faultWindow)], fault)
}

// countCheck accepts an answer in which marker occurs exactly want times
// (one per record) and that is not a fault.
func countCheck(marker string, want int, fault []byte) Check {
	m := []byte(marker)
	return func(body []byte) error {
		if isFault(body, fault) {
			return fmt.Errorf("fault: %s", excerpt(body))
		}
		if n := bytes.Count(body, m); n != want {
			return fmt.Errorf("%d records, want %d: %s", n, want, excerpt(body))
		}
		return nil
	}
}

// containsCheck accepts an answer that holds want and is not a fault.
func containsCheck(want string, fault []byte) Check {
	w := []byte(want)
	return func(body []byte) error {
		if isFault(body, fault) || !bytes.Contains(body, w) {
			return fmt.Errorf("unexpected answer: %s", excerpt(body))
		}
		return nil
	}
}

// xmlInt returns the first <int> of an XML-RPC answer that is not a fault.
func xmlInt(body []byte) (int64, error) {
	if bytes.Contains(body, xmlFault) {
		return 0, fmt.Errorf("fault: %s", excerpt(body))
	}
	_, rest, ok := bytes.Cut(body, xmlIntOpen)
	if ok {
		var digits []byte
		digits, _, ok = bytes.Cut(rest, xmlIntClose)
		if ok {
			if n, err := strconv.ParseInt(string(digits), 10, 64); err == nil {
				return n, nil
			}
		}
	}
	return 0, fmt.Errorf("no integer in the answer: %s", excerpt(body))
}
