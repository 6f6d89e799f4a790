package xmlrpc_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	kolo "github.com/kolo/xmlrpc"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/xmlrpc"
)

const (
	nameExpat    = "xml.parsers.expat.ExpatError"
	nameResponse = "xmlrpc.client.ResponseError"
	nameValue    = "builtins.ValueError"
	nameType     = "builtins.TypeError"
	nameOverflow = "builtins.OverflowError"
)

// call wraps value XML fragments as the params of an execute_kw call.
func call(values ...string) string {
	var b strings.Builder
	b.WriteString("<?xml version='1.0'?>\n<methodCall>\n<methodName>execute_kw</methodName>\n<params>\n")
	for _, v := range values {
		b.WriteString("<param>\n" + v + "\n</param>\n")
	}
	b.WriteString("</params>\n</methodCall>\n")
	return b.String()
}

func decode(t *testing.T, doc string) (string, []any) {
	t.Helper()
	method, params, err := xmlrpc.DecodeMethodCall(strings.NewReader(doc), 10)
	if err != nil {
		t.Fatalf("DecodeMethodCall: %v\n%s", err, doc)
	}
	return method, params
}

func TestDecodeAccepted(t *testing.T) {
	cases := []struct {
		name  string
		value string
		want  any
	}{
		{"nil", "<value><nil/></value>", nil},
		{"nil with namespace", "<value><ex:nil xmlns:ex='http://ws.apache.org/xmlrpc/namespaces/extensions'/></value>", nil},
		{"int", "<value><int>42</int></value>", int64(42)},
		{"i4", "<value><i4>-42</i4></value>", int64(-42)},
		{"i1", "<value><i1>7</i1></value>", int64(7)},
		{"i2", "<value><i2>+7</i2></value>", int64(7)},
		{"i8", "<value><i8>9223372036854775807</i8></value>", int64(math.MaxInt64)},
		{"i8 min", "<value><i8>-9223372036854775808</i8></value>", int64(math.MinInt64)},
		{"ex:i8", "<value><ex:i8>5000000000</ex:i8></value>", int64(5000000000)},
		{"biginteger", "<value><biginteger>12345678901</biginteger></value>", int64(12345678901)},
		{"int whitespace", "<value><int> \n 12 \t</int></value>", int64(12)},
		{"int leading zeros", "<value><int>007</int></value>", int64(7)},
		{"int underscores", "<value><int>1_000_000</int></value>", int64(1000000)},
		{"double", "<value><double>1.5</double></value>", 1.5},
		{"double exponent", "<value><double>-1e-7</double></value>", -1e-7},
		{"float", "<value><float>2</float></value>", 2.0},
		{"bigdecimal", "<value><bigdecimal>3.25</bigdecimal></value>", 3.25},
		{"double inf", "<value><double>inf</double></value>", math.Inf(1)},
		{"double huge", "<value><double>1e400</double></value>", math.Inf(1)},
		{"double underscores", "<value><double>1_0.5</double></value>", 10.5},
		{"boolean true", "<value><boolean>1</boolean></value>", true},
		{"boolean false", "<value><boolean>0</boolean></value>", false},
		{"string", "<value><string>hello</string></value>", "hello"},
		{"string entities", "<value><string>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#233;&#x1F389;</string></value>", "a <b> & \"c\" 'd' é🎉"},
		{"string whitespace kept", "<value><string>  x\n </string></value>", "  x\n "},
		{"string cdata", "<value><string><![CDATA[<not> & markup]]></string></value>", "<not> & markup"},
		{"string comment inside", "<value><string>ab<!-- c -->cd</string></value>", "abcd"},
		{"string cr entity", "<value><string>a&#13;b\r\nc</string></value>", "a\rb\nc"},
		{"string empty", "<value><string></string></value>", ""},
		{"string self-closing", "<value><string/></value>", ""},
		{"string utf8", "<value><string>日本語 ü</string></value>", "日本語 ü"},
		{"untyped", "<value>plain text</value>", "plain text"},
		{"untyped whitespace", "<value>  </value>", "  "},
		{"untyped entities", "<value>a&amp;b</value>", "a&b"},
		{"empty value", "<value/>", ""},
		{"empty value pair", "<value></value>", ""},
		{"typed with whitespace around", "<value>\n  <int>1</int>\n</value>", int64(1)},
		{"base64", "<value><base64>aGVs\nbG8=\n</base64></value>", "aGVsbG8="},
		{"base64 empty", "<value><base64></base64></value>", ""},
		{"dateTime compact", "<value><dateTime.iso8601>20240102T03:04:05</dateTime.iso8601></value>", "2024-01-02 03:04:05"},
		{"dateTime dashed", "<value><dateTime.iso8601>2024-01-02T03:04:05</dateTime.iso8601></value>", "2024-01-02 03:04:05"},
		{"dateTime Z", "<value><dateTime.iso8601>2024-01-02T03:04:05Z</dateTime.iso8601></value>", "2024-01-02 03:04:05"},
		{"dateTime offset", "<value><dateTime.iso8601>2024-01-02T03:04:05+02:00</dateTime.iso8601></value>", "2024-01-02 01:04:05"},
		{"dateTime negative offset crossing day", "<value><dateTime.iso8601>20241231T23:30:00-0130</dateTime.iso8601></value>", "2025-01-01 01:00:00"},
		{"dateTime fraction", "<value><dateTime.iso8601>2024-01-02T03:04:05.123456Z</dateTime.iso8601></value>", "2024-01-02 03:04:05"},
		{"dateTime compact time", "<value><dateTime.iso8601> 20240102T030405 </dateTime.iso8601></value>", "2024-01-02 03:04:05"},
		{"array", "<value><array><data><value><int>1</int></value><value>x</value></data></array></value>", []any{int64(1), "x"}},
		{"array empty", "<value><array><data></data></array></value>", []any{}},
		{"array empty data self-closing", "<value><array><data/></array></value>", []any{}},
		{"array without data", "<value><array/></value>", []any{}},
		{"array nested", "<value><array><data><value><array><data><value><boolean>1</boolean></value></data></array></value></data></array></value>", []any{[]any{true}}},
		{"struct", "<value><struct><member><name>a</name><value><int>1</int></value></member><member><name>b</name><value><string>x</string></value></member></struct></value>", map[string]any{"a": int64(1), "b": "x"}},
		{"struct empty", "<value><struct></struct></value>", map[string]any{}},
		{"struct duplicate key last wins", "<value><struct><member><name>a</name><value>1</value></member><member><name>a</name><value>2</value></member></struct></value>", map[string]any{"a": "2"}},
		{"struct key entities", "<value><struct><member><name> a&amp;b </name><value/></member></struct></value>", map[string]any{" a&b ": ""}},
		{"struct pretty", "<value><struct>\n  <member>\n    <name>fields</name>\n    <value><array><data>\n      <value><string>name</string></value>\n    </data></array></value>\n  </member>\n</struct></value>", map[string]any{"fields": []any{"name"}}},
		{"comments everywhere", "<value><!--c--><struct><!--c--><member><!--c--><name>a</name><!--c--><value><!--c--><int>1</int><!--c--></value><!--c--></member></struct><!--c--></value>", map[string]any{"a": int64(1)}},
		{"attributes ignored", "<value kind='x'><int base='10'>5</int></value>", int64(5)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method, params := decode(t, call(c.value))
			if method != "execute_kw" {
				t.Errorf("method = %q", method)
			}
			if len(params) != 1 || !reflect.DeepEqual(params[0], c.want) {
				t.Errorf("got %#v, want %#v", params, c.want)
			}
		})
	}
}

func TestDecodeDocumentForms(t *testing.T) {
	cases := []struct {
		name   string
		doc    string
		method string
		params []any
	}{
		{"no params", "<methodCall><methodName>version</methodName></methodCall>", "version", []any{}},
		{"empty params", "<methodCall><methodName>version</methodName><params/></methodCall>", "version", []any{}},
		{"params first", "<methodCall><params><param><value>x</value></param></params><methodName>m</methodName></methodCall>", "m", []any{"x"}},
		{"no declaration", "<methodCall><methodName>m</methodName><params><param><value><int>1</int></value></param><param><value><i4>2</i4></value></param></params></methodCall>", "m", []any{int64(1), int64(2)}},
		{"declaration utf-8", `<?xml version="1.0" encoding="UTF-8"?><methodCall><methodName>m</methodName></methodCall>`, "m", []any{}},
		{"declaration latin-1", "<?xml version='1.0' encoding='iso-8859-1'?><methodCall><methodName>m</methodName><params><param><value>caf\xe9</value></param></params></methodCall>", "m", []any{"café"}},
		{"declaration ascii", "<?xml version='1.0' encoding='us-ascii'?><methodCall><methodName>m</methodName></methodCall>", "m", []any{}},
		{"bom", "\xef\xbb\xbf<?xml version='1.0'?><methodCall><methodName>m</methodName></methodCall>", "m", []any{}},
		{"comments and PIs around", "<!-- hi --><?pi x?>\n<methodCall><?other?><methodName>m</methodName><!-- x --></methodCall>\n<!-- bye -->\n", "m", []any{}},
		{"method name kept as is", "<methodCall><methodName>a.b_c</methodName></methodCall>", "a.b_c", []any{}},
		{"namespaced method call", "<x:methodCall xmlns:x='urn:x'><x:methodName>m</x:methodName></x:methodCall>", "m", []any{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method, params := decode(t, c.doc)
			if method != c.method || !reflect.DeepEqual(params, c.params) || params == nil {
				t.Errorf("got %q %#v, want %q %#v", method, params, c.method, c.params)
			}
		})
	}
}

func TestDecodeRejected(t *testing.T) {
	v := func(s string) string { return call(s) }
	cases := []struct {
		name    string
		doc     string
		errName string
		msg     string // substring of the message
	}{
		// Malformed XML.
		{"empty body", "", nameExpat, "no element found"},
		{"whitespace body", " \n ", nameExpat, "no element found"},
		{"not xml", "hello", nameExpat, "text before the document element"},
		{"truncated", "<methodCall><methodName>m</methodName>", nameExpat, ""},
		{"truncated in tag", "<methodCall><methodName>m</meth", nameExpat, "not well-formed"},
		{"mismatched tags", "<methodCall><methodName>m</methodCall></methodName>", nameExpat, "mismatched tag"},
		{"mismatched value", v("<value><int>1</string></value>"), nameExpat, "mismatched tag"},
		{"bad entity", v("<value>&foo;</value>"), nameExpat, "invalid character entity"},
		{"NUL char ref", v("<value>&#0;</value>"), nameExpat, ""},
		{"control char ref", v("<value>&#1;</value>"), nameExpat, ""},
		{"raw control char", v("<value>a\x01b</value>"), nameExpat, "illegal character"},
		{"invalid utf-8", v("<value>a\xffb</value>"), nameExpat, "invalid UTF-8"},
		{"junk after root", "<methodCall><methodName>m</methodName></methodCall><x/>", nameExpat, "junk after document element"},
		{"text after root", "<methodCall><methodName>m</methodName></methodCall>junk", nameExpat, "junk after document element"},
		{"two declarations", "<?xml version='1.0'?><?xml version='1.0'?><methodCall/>", nameExpat, "declaration not at start"},
		{"late declaration", " <?xml version='1.0'?><methodCall/>", nameExpat, "declaration not at start"},
		{"unknown encoding", "<?xml version='1.0' encoding='klingon'?><methodCall/>", nameExpat, "unknown encoding"},
		{"xml 1.1", "<?xml version='1.1'?><methodCall/>", nameExpat, "unsupported version"},
		{"stray end tag", "</methodCall>", nameExpat, "without start tag"},
		{"unquoted attribute", "<methodCall a=b><methodName>m</methodName></methodCall>", nameExpat, ""},
		// DTDs.
		{"doctype", "<?xml version='1.0'?><!DOCTYPE methodCall><methodCall><methodName>m</methodName></methodCall>", nameValue, "DOCTYPE"},
		{"xxe", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><methodCall><methodName>&x;</methodName></methodCall>`, nameValue, "DOCTYPE"},
		{"billion laughs", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><methodCall><methodName>&lol2;</methodName></methodCall>`, nameValue, "DOCTYPE"},
		{"entity declaration inside", v("<value><!ENTITY x 'y'></value>"), nameValue, "ENTITY"},
		// Not an XML-RPC call.
		{"wrong root", "<methodResponse><params/></methodResponse>", nameResponse, "expected a <methodCall>"},
		{"missing methodName", "<methodCall><params/></methodCall>", nameResponse, "without a <methodName>"},
		{"empty methodName", "<methodCall><methodName></methodName></methodCall>", nameResponse, "without a <methodName>"},
		{"duplicate methodName", "<methodCall><methodName>a</methodName><methodName>b</methodName></methodCall>", nameResponse, "duplicate"},
		{"duplicate params", "<methodCall><methodName>a</methodName><params/><params/></methodCall>", nameResponse, "duplicate"},
		{"element in methodName", "<methodCall><methodName>a<b/></methodName></methodCall>", nameResponse, "unexpected <b>"},
		{"unknown element in call", "<methodCall><methodName>a</methodName><foo/></methodCall>", nameResponse, "unknown tag"},
		{"text in call", "<methodCall>x<methodName>a</methodName></methodCall>", nameResponse, "unexpected text"},
		{"unknown element in params", "<methodCall><methodName>a</methodName><params><value/></params></methodCall>", nameResponse, "unknown tag"},
		{"empty param", "<methodCall><methodName>a</methodName><params><param/></params></methodCall>", nameResponse, "without a <value>"},
		{"two values in param", v("<value/><value/>"), nameResponse, "more than one <value>"},
		{"unknown type", v("<value><integer>1</integer></value>"), nameResponse, "unknown tag \"integer\""},
		{"unknown namespaced type", v("<value><ex:serializable>x</ex:serializable></value>"), nameResponse, "unknown tag"},
		{"two types in value", v("<value><int>1</int><int>2</int></value>"), nameResponse, "more than one child"},
		{"text before type", v("<value>x<int>1</int></value>"), nameResponse, "mixed"},
		{"text after type", v("<value><int>1</int>x</value>"), nameResponse, "unexpected text"},
		{"element in int", v("<value><int><b>1</b></int></value>"), nameResponse, "unexpected <b>"},
		{"value in array without data", v("<value><array><value/></array></value>"), nameResponse, "unknown tag"},
		{"two data", v("<value><array><data/><data/></array></value>"), nameResponse, "more than one <data>"},
		{"text in data", v("<value><array><data>x</data></array></value>"), nameResponse, "unexpected text"},
		{"struct without member", v("<value><struct><name>a</name></struct></value>"), nameResponse, "unknown tag"},
		{"member without name", v("<value><struct><member><value/></member></struct></value>"), nameResponse, "<member>"},
		{"member without value", v("<value><struct><member><name>a</name></member></struct></value>"), nameResponse, "<member>"},
		{"member value before name", v("<value><struct><member><value/><name>a</name></member></struct></value>"), nameResponse, "<member>"},
		{"member two names", v("<value><struct><member><name>a</name><name>b</name><value/></member></struct></value>"), nameResponse, "<member>"},
		{"member unknown child", v("<value><struct><member><name>a</name><foo/></member></struct></value>"), nameResponse, "unknown tag"},
		// Bad values.
		{"int empty", v("<value><int></int></value>"), nameValue, "invalid literal for int()"},
		{"int text", v("<value><int>abc</int></value>"), nameValue, "invalid literal for int()"},
		{"int float", v("<value><int>1.5</int></value>"), nameValue, "invalid literal"},
		{"int hex", v("<value><int>0x10</int></value>"), nameValue, "invalid literal"},
		{"int sign only", v("<value><i4>-</i4></value>"), nameValue, "invalid literal"},
		{"int bad underscore", v("<value><int>1__0</int></value>"), nameValue, "invalid literal"},
		{"int trailing underscore", v("<value><int>10_</int></value>"), nameValue, "invalid literal"},
		{"int too big", v("<value><i8>9223372036854775808</i8></value>"), nameOverflow, "64 bits"},
		{"int too small", v("<value><i8>-9223372036854775809</i8></value>"), nameOverflow, "64 bits"},
		{"biginteger huge", v("<value><biginteger>123456789012345678901234567890</biginteger></value>"), nameOverflow, "64 bits"},
		{"double text", v("<value><double>abc</double></value>"), nameValue, "could not convert string to float"},
		{"double empty", v("<value><double/></value>"), nameValue, "could not convert"},
		{"double hex", v("<value><double>0x1p-2</double></value>"), nameValue, "could not convert"},
		{"boolean 2", v("<value><boolean>2</boolean></value>"), nameType, "bad boolean value"},
		{"boolean true", v("<value><boolean>true</boolean></value>"), nameType, "bad boolean value"},
		{"boolean empty", v("<value><boolean/></value>"), nameType, "bad boolean value"},
		{"base64 bad char", v("<value><base64>aGV$bG8=</base64></value>"), nameValue, "base64"},
		{"base64 bad padding", v("<value><base64>aGVsbG8</base64></value>"), nameValue, "base64"},
		{"base64 inner padding", v("<value><base64>aG=sbG8=</base64></value>"), nameValue, "base64"},
		{"dateTime garbage", v("<value><dateTime.iso8601>yesterday</dateTime.iso8601></value>"), nameValue, "dateTime"},
		{"dateTime date only", v("<value><dateTime.iso8601>20240102</dateTime.iso8601></value>"), nameValue, "dateTime"},
		{"dateTime bad month", v("<value><dateTime.iso8601>20241302T00:00:00</dateTime.iso8601></value>"), nameValue, "dateTime"},
		{"dateTime Feb 30", v("<value><dateTime.iso8601>2024-02-30T00:00:00</dateTime.iso8601></value>"), nameValue, "dateTime"},
		{"dateTime bad hour", v("<value><dateTime.iso8601>20240102T24:00:00</dateTime.iso8601></value>"), nameValue, "dateTime"},
		{"dateTime bad zone", v("<value><dateTime.iso8601>20240102T00:00:00+5</dateTime.iso8601></value>"), nameValue, "dateTime"},
		{"dateTime trailing junk", v("<value><dateTime.iso8601>20240102T00:00:00Zx</dateTime.iso8601></value>"), nameValue, "dateTime"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method, params, err := xmlrpc.DecodeMethodCall(strings.NewReader(c.doc), 10)
			if err == nil {
				t.Fatalf("accepted: %q %#v", method, params)
			}
			checkDecodeError(t, err, c.errName, c.msg)
			if method != "" || params != nil {
				t.Errorf("results on error: %q %#v", method, params)
			}
		})
	}
}

func checkDecodeError(t *testing.T, err error, name, msg string) {
	t.Helper()
	var me *models.Error
	if !errors.As(err, &me) {
		t.Fatalf("error %T %v is not a *models.Error", err, err)
	}
	if me.Kind != models.KindServer {
		t.Errorf("kind = %v, want KindServer", me.Kind)
	}
	if me.ExceptionName() != name {
		t.Errorf("name = %q, want %q (message %q)", me.ExceptionName(), name, me.Message)
	}
	if !strings.Contains(me.Message, msg) {
		t.Errorf("message %q does not contain %q", me.Message, msg)
	}
	if me.Message == "" {
		t.Error("empty message")
	}
}

func TestDecodeMaxDepth(t *testing.T) {
	nest := func(n int) string {
		s := "<value><int>1</int></value>"
		for i := range n {
			if i%2 == 0 {
				s = "<value><array><data>" + s + "</data></array></value>"
			} else {
				s = "<value><struct><member><name>k</name>" + s + "</member></struct></value>"
			}
		}
		return s
	}
	for _, max := range []int{1, 3, 10} {
		if _, _, err := xmlrpc.DecodeMethodCall(strings.NewReader(call(nest(max))), max); err != nil {
			t.Errorf("depth %d with max %d: %v", max, max, err)
		}
		_, _, err := xmlrpc.DecodeMethodCall(strings.NewReader(call(nest(max+1))), max)
		if err == nil {
			t.Fatalf("depth %d accepted with max %d", max+1, max)
		}
		checkDecodeError(t, err, nameValue, "nested deeper than")
	}
	// Scalars need no depth at all, and maxDepth <= 0 means the default (64).
	if _, _, err := xmlrpc.DecodeMethodCall(strings.NewReader(call(nest(64))), 0); err != nil {
		t.Errorf("default depth: %v", err)
	}
	if _, _, err := xmlrpc.DecodeMethodCall(strings.NewReader(call(nest(65))), 0); err == nil {
		t.Error("default depth not enforced")
	}
	// A very deep document fails fast instead of exhausting the stack.
	deep := strings.Repeat("<value><array><data>", 100000)
	if _, _, err := xmlrpc.DecodeMethodCall(strings.NewReader(call(deep)), 100); err == nil {
		t.Error("deep document accepted")
	}
}

type failingReader struct {
	data io.Reader
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.data.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

func TestDecodeReadError(t *testing.T) {
	boom := errors.New("http: request body too large")
	for _, doc := range []string{"", "<methodCall><methodName>m</methodName><params><param><value><string>abc"} {
		_, _, err := xmlrpc.DecodeMethodCall(&failingReader{strings.NewReader(doc), boom}, 10)
		if !errors.Is(err, boom) {
			t.Errorf("%q: error %v does not wrap the read error", doc, err)
		}
		checkDecodeError(t, err, "builtins.OSError", "cannot read")
	}
}

// TestDecodeKoloCalls decodes what a Go XML-RPC client (kolo/xmlrpc) sends.
func TestDecodeKoloCalls(t *testing.T) {
	type partner struct {
		Name  string `xmlrpc:"name"`
		Email string `xmlrpc:"email"`
	}
	cases := []struct {
		args []any
		want []any
	}{
		{[]any{"db", 2, "secret", "res.partner", "search_read",
			[]any{[]any{[]any{"is_company", "=", true}}},
			map[string]any{"fields": []string{"name", "email"}, "limit": 5, "offset": int64(10), "context": map[string]any{"lang": "fr_FR"}}},
			[]any{"db", int64(2), "secret", "res.partner", "search_read",
				[]any{[]any{[]any{"is_company", "=", true}}},
				map[string]any{"fields": []any{"name", "email"}, "limit": int64(5), "offset": int64(10), "context": map[string]any{"lang": "fr_FR"}}}},
		{[]any{1.5, float32(0.25), -7, uint8(3), false, "a<b>&c 日本", kolo.Base64("aGVsbG8="),
			time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), partner{"Azure", "a@b.c"}, []any{}, map[string]any{}},
			[]any{1.5, 0.25, int64(-7), int64(3), false, "a<b>&c 日本", "aGVsbG8=",
				"2024-01-02 03:04:05", map[string]any{"name": "Azure", "email": "a@b.c"}, []any{}, map[string]any{}}},
		{[]any{}, []any{}},
	}
	for i, c := range cases {
		body, err := kolo.EncodeMethodCall("execute_kw", c.args...)
		if err != nil {
			t.Fatal(err)
		}
		method, params, err := xmlrpc.DecodeMethodCall(bytes.NewReader(body), 10)
		if err != nil {
			t.Fatalf("case %d: %v\n%s", i, err, body)
		}
		if method != "execute_kw" || !reflect.DeepEqual(params, c.want) {
			t.Errorf("case %d: got %q\n%#v\nwant\n%#v", i, method, params, c.want)
		}
	}
	// kolo sends a nil inside a container as an empty <value/>, which Python
	// reads as "" too; a nil argument becomes an empty <param></param>, which
	// Python silently drops (shifting the arguments) and we refuse.
	body, _ := kolo.EncodeMethodCall("m", []any{nil})
	if _, params := decode(t, string(body)); !reflect.DeepEqual(params, []any{[]any{""}}) {
		t.Errorf("kolo nil: %#v", params)
	}
	body, _ = kolo.EncodeMethodCall("m", nil)
	_, _, err := xmlrpc.DecodeMethodCall(bytes.NewReader(body), 10)
	checkDecodeError(t, err, nameResponse, "<param> without a <value>")
}

// TestDecodePythonCalls decodes what Python's xmlrpc.client (what most Odoo
// scripts use) sends.
func TestDecodePythonCalls(t *testing.T) {
	script := `import sys, datetime, xmlrpc.client
args = ("odoo", 2, "admin", "res.partner", "search_read",
        [[["is_company", "=", True], "|", ["name", "ilike", "a&b <c>"]]],
        {"fields": ["name", "country_id"], "limit": 80, "offset": 0, "order": "id desc",
         "context": {"lang": "en_US", "tz": "Europe/Brussels", "active_test": False},
         "none": None, "float": 0.1, "neg": -2**31,
         "bytes": b"hello world", "when": datetime.datetime(2024, 1, 2, 3, 4, 5),
         "binary": xmlrpc.client.Binary(b"\x00\x01"), "tuple": (1, "x"), "unicode": "é日本🎉\t"})
sys.stdout.write(xmlrpc.client.dumps(args, "execute_kw", allow_none=True))`
	// Both calls come from one Python process (runPythonJobs).
	bodies := runPythonJobs(t, []pyJob{{script, ""},
		{`import sys, xmlrpc.client; sys.stdout.write(xmlrpc.client.dumps((), "version"))`, ""}})
	body := bodies[0]
	method, params := decode(t, body)
	want := []any{"odoo", int64(2), "admin", "res.partner", "search_read",
		[]any{[]any{[]any{"is_company", "=", true}, "|", []any{"name", "ilike", "a&b <c>"}}},
		map[string]any{"fields": []any{"name", "country_id"}, "limit": int64(80), "offset": int64(0), "order": "id desc",
			"context": map[string]any{"lang": "en_US", "tz": "Europe/Brussels", "active_test": false},
			"none":    nil, "float": 0.1, "neg": int64(-1 << 31),
			"bytes": "aGVsbG8gd29ybGQ=", "when": "2024-01-02 03:04:05",
			"binary": "AAE=", "tuple": []any{int64(1), "x"}, "unicode": "é日本🎉\t"}}
	if method != "execute_kw" || !reflect.DeepEqual(params, want) {
		t.Errorf("got %q\n%#v\nwant\n%#v\nfrom\n%s", method, params, want, body)
	}

	// A call without params.
	if method, params = decode(t, bodies[1]); method != "version" || params == nil || len(params) != 0 {
		t.Errorf("version call: %q %#v", method, params)
	}
}

// TestDecodeGoldenCalls decodes the request documents kept in testdata.
func TestDecodeGoldenCalls(t *testing.T) {
	cases := []struct {
		file   string
		method string
		params []any
	}{
		{"call_python_execute_kw.xml", "execute_kw", []any{"odoo", int64(2), "admin", "res.partner", "search_read",
			[]any{[]any{[]any{"is_company", "=", true}}},
			map[string]any{"fields": []any{"name", "email"}, "limit": int64(5)}}},
		{"call_kolo_execute_kw.xml", "execute_kw", []any{"odoo", int64(2), "admin", "res.partner", "write",
			[]any{[]any{int64(7)}, map[string]any{"name": "New & <Improved>", "active": false, "ratio": 0.5}}}},
		{"call_apache_extensions.xml", "execute_kw", []any{nil, int64(5000000000), "2024-01-02 03:04:05", "AAE="}},
		{"call_search_read.xml", "execute_kw", nil}, // the benchmark request; checked for shape only
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "xmlrpc", c.file))
			if err != nil {
				t.Fatal(err)
			}
			method, params := decode(t, string(body))
			if method != c.method {
				t.Errorf("method %q", method)
			}
			if c.params == nil {
				if len(params) != 7 {
					t.Errorf("%d params", len(params))
				}
				return
			}
			if !reflect.DeepEqual(params, c.params) {
				t.Errorf("got\n%#v\nwant\n%#v", params, c.params)
			}
		})
	}
}

// TestRoundTrip decodes what we encode (as the params of a call).
func TestRoundTrip(t *testing.T) {
	in := []any{map[string]any{"s": "a<b>&\t\n", "i": int64(-3), "f": 0.1, "b": true, "l": []any{[]any{}, map[string]any{}},
		"u": "日本🎉", "e": ""}, 1e-7, int64(math.MaxInt32)}
	var buf bytes.Buffer
	if err := xmlrpc.EncodeResponse(&buf, in); err != nil {
		t.Fatal(err)
	}
	_, params := decode(t, responseToCall(buf.String()))
	if !reflect.DeepEqual(params, []any{in}) {
		t.Errorf("round trip\n%#v\nwant\n%#v", params, []any{in})
	}
}

// responseToCall turns a methodResponse document into a methodCall "m" with
// the same params.
func responseToCall(resp string) string {
	s := strings.Replace(resp, "<methodResponse>\n", "<methodCall>\n<methodName>m</methodName>\n", 1)
	return strings.Replace(s, "</methodResponse>\n", "</methodCall>\n", 1)
}

// ---------------------------------------------------------------------------
// Fuzzing

func FuzzDecodeMethodCall(f *testing.F) {
	seeds := []string{
		"",
		"<methodCall><methodName>m</methodName></methodCall>",
		call("<value><nil/></value>", "<value><i8>-9223372036854775808</i8></value>", "<value><double>1e-7</double></value>"),
		call("<value><boolean>1</boolean></value>", "<value>text &amp; more</value>", "<value/>"),
		call("<value><base64>aGVsbG8=</base64></value>", "<value><dateTime.iso8601>20240102T03:04:05+01:00</dateTime.iso8601></value>"),
		call("<value><array><data><value><struct><member><name>a</name><value><array><data/></array></value></member></struct></value></data></array></value>"),
		call("<value><string><![CDATA[x]]>&#233;<!--c--></string></value>"),
		"<?xml version='1.0' encoding='iso-8859-1'?><methodCall><methodName>\xe9</methodName></methodCall>",
		`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><methodCall><methodName>&x;</methodName></methodCall>`,
		"<methodCall><methodName>m</methodName><params><param><value><int>1_0</int></value></param></params></methodCall>",
		"\xef\xbb\xbf<x:methodCall xmlns:x='u'><x:methodName>m</x:methodName></x:methodCall>",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	for _, name := range []string{"call_python_execute_kw.xml", "call_kolo_execute_kw.xml", "call_apache_extensions.xml", "call_search_read.xml"} {
		if b, err := os.ReadFile(filepath.Join("testdata", "xmlrpc", name)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		method, params, err := xmlrpc.DecodeMethodCall(bytes.NewReader(data), 8)
		if err != nil {
			var me *models.Error
			if !errors.As(err, &me) || me.Kind != models.KindServer || me.Name == "" || me.Message == "" {
				t.Fatalf("bad error %T %#v", err, err)
			}
			if method != "" || params != nil {
				t.Fatalf("results with an error")
			}
			return
		}
		if method == "" || params == nil {
			t.Fatalf("success without method or params: %q %#v", method, params)
		}
		for _, p := range params {
			checkDecodedTypes(t, p, 0)
		}
		// Whatever we decode and can encode must decode to the same values.
		var buf bytes.Buffer
		if err := xmlrpc.EncodeResponse(&buf, params); err != nil {
			return // None or ints beyond int32: refused by design
		}
		_, again, err := xmlrpc.DecodeMethodCall(strings.NewReader(responseToCall(buf.String())), 9)
		if err != nil {
			t.Fatalf("cannot decode our own encoding: %v\n%s", err, buf.String())
		}
		if len(again) != 1 || !sameValue(again[0], normalize(params)) {
			t.Fatalf("round trip changed the values\n%#v\n%#v", params, again)
		}
	})
}

func checkDecodedTypes(t *testing.T, v any, depth int) {
	if depth > 8 {
		t.Fatalf("depth %d beyond maxDepth", depth)
	}
	switch x := v.(type) {
	case nil, bool, int64, float64, string:
	case []any:
		if x == nil {
			t.Fatal("nil []any")
		}
		for _, e := range x {
			checkDecodedTypes(t, e, depth+1)
		}
	case map[string]any:
		for _, e := range x {
			checkDecodedTypes(t, e, depth+1)
		}
	default:
		t.Fatalf("unexpected decoded type %T", v)
	}
}

// normalize applies what the encoder does to strings (CR is read back as LF
// by any XML parser, as with Python) and turns params into a []any.
func normalize(v any) any {
	switch x := v.(type) {
	case string:
		return strings.ReplaceAll(x, "\r", "\n")
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[strings.ReplaceAll(k, "\r", "\n")] = normalize(e)
		}
		return out
	}
	return v
}

func sameValue(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || math.IsNaN(x) && math.IsNaN(y))
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, e := range x {
			f, ok := y[k]
			if !ok || !sameValue(e, f) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}
