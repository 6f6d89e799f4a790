package integration_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestWire checks the bytes godoo puts on the wire for the XML-RPC, JSON-RPC,
// common and db lines of the compatibility checklist (spec/protocol.md §8),
// with hand-written requests over raw HTTP.
func TestWire(t *testing.T) {
	eachStore(t, services.Config{ListDB: true}, godoorpc.Options{}, func(t *testing.T, e *env) {
		t.Run("GET is 405", func(t *testing.T) { testWireGet(t, e) })
		t.Run("xml faults", func(t *testing.T) { testWireXMLFaults(t, e) })
		t.Run("xml request shapes", func(t *testing.T) { testWireXMLRequests(t, e) })
		t.Run("xml malformed", func(t *testing.T) { testWireXMLMalformed(t, e) })
		t.Run("xml never nil", func(t *testing.T) { testWireXMLNoNil(t, e) })
		t.Run("xml control characters", func(t *testing.T) { testWireControlChars(t, e) })
		t.Run("json id", func(t *testing.T) { testWireJSONID(t, e) })
		t.Run("json http errors", func(t *testing.T) { testWireJSONHTTPErrors(t, e) })
		t.Run("json error envelope", func(t *testing.T) { testWireJSONErrors(t, e) })
		t.Run("json result", func(t *testing.T) { testWireJSONResult(t, e) })
		t.Run("db", func(t *testing.T) { testWireDB(t, e) })
		t.Run("db list_db off", func(t *testing.T) { testWireDBListOff(t, e) })
	})
}

// --- XML-RPC request building -------------------------------------------

// xmlEscape escapes text the way Python's xmlrpc.client does (& < > only).
func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// xs, xi, xa and xst write typed XML-RPC values (the content of <value>).
func xs(s string) string { return "<string>" + xmlEscape(s) + "</string>" }
func xi(n int) string    { return "<int>" + strconv.Itoa(n) + "</int>" }
func xa(items ...string) string {
	var b strings.Builder
	b.WriteString("<array><data>")
	for _, it := range items {
		b.WriteString("<value>" + it + "</value>")
	}
	b.WriteString("</data></array>")
	return b.String()
}
func xst(kv ...string) string {
	var b strings.Builder
	b.WriteString("<struct>")
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteString("<member><name>" + kv[i] + "</name><value>" + kv[i+1] + "</value></member>")
	}
	b.WriteString("</struct>")
	return b.String()
}

// xmlCall writes a <methodCall>; each param is the raw content of its <value>.
func xmlCall(method string, params ...string) []byte {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\"?>\n<methodCall><methodName>" + method + "</methodName><params>")
	for _, p := range params {
		b.WriteString("<param><value>" + p + "</value></param>")
	}
	b.WriteString("</params></methodCall>")
	return []byte(b.String())
}

// adminKw is the raw params of execute_kw as admin, before args and kwargs.
func (e *env) adminKw(model, method string) []string {
	return []string{xs(e.db), xi(2), xs(adminPassword), xs(model), xs(method)}
}

func postXML(t *testing.T, url string, body []byte) httpResult {
	t.Helper()
	return post(t, url, "text/xml", body)
}

// --- XML-RPC response documents, exactly as Python's xmlrpc.client.dumps ---

func respDoc(value string) string {
	return "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n" + value + "</param>\n</params>\n</methodResponse>\n"
}

func faultDoc(code, faultString string) string {
	return "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n" +
		"<member>\n<name>faultCode</name>\n" + code + "</member>\n" +
		"<member>\n<name>faultString</name>\n<value><string>" + xmlEscape(faultString) + "</string></value>\n</member>\n" +
		"</struct></value>\n</fault>\n</methodResponse>\n"
}

func intFault(code int, faultString string) string {
	return faultDoc("<value><int>"+strconv.Itoa(code)+"</int></value>\n", faultString)
}

func stringFault(code, faultString string) string {
	return faultDoc("<value><string>"+xmlEscape(code)+"</string></value>\n", faultString)
}

// wantXML checks an XML-RPC answer: HTTP 200, Odoo's headers, and the body.
func wantXML(t *testing.T, r httpResult, body string) {
	t.Helper()
	wantXMLHeaders(t, r)
	if string(r.body) != body {
		t.Errorf("body =\n%s\nwant\n%s", r.body, body)
	}
}

func wantXMLHeaders(t *testing.T, r httpResult) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Errorf("HTTP %d, want 200: %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/xml; charset=utf-8" {
		t.Errorf("Content-Type = %q, want text/xml; charset=utf-8", ct)
	}
	if n := r.header.Get("X-Content-Type-Options"); n != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q, want nosniff", n)
	}
}

// faultRE captures the code and string of a fault document.
var faultRE = regexp.MustCompile(`(?s)^<\?xml version='1.0'\?>\n<methodResponse>\n<fault>\n<value><struct>\n` +
	`<member>\n<name>faultCode</name>\n<value><(int|string)>(.*?)</(?:int|string)></value>\n</member>\n` +
	`<member>\n<name>faultString</name>\n<value><string>(.*?)</string></value>\n</member>\n` +
	`</struct></value>\n</fault>\n</methodResponse>\n$`)

// xmlFault parses a fault document; type is "int" or "string". The texts are
// returned still escaped.
func xmlFault(t *testing.T, r httpResult) (typ, code, faultString string) {
	t.Helper()
	wantXMLHeaders(t, r)
	m := faultRE.FindSubmatch(r.body)
	if m == nil {
		t.Fatalf("not a fault document:\n%s", r.body)
	}
	return string(m[1]), string(m[2]), string(m[3])
}

// --- GET -------------------------------------------------------------------

func testWireGet(t *testing.T, e *env) {
	for _, path := range []string{"/xmlrpc/2/common", "/xmlrpc/common", "/xmlrpc/2/object", "/xmlrpc/db"} {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
		r := do(t, req)
		if r.status != http.StatusMethodNotAllowed {
			t.Errorf("GET %s: HTTP %d, want 405: %s", path, r.status, r.body)
		}
	}
}

// --- XML-RPC faults ----------------------------------------------------------

func testWireXMLFaults(t *testing.T, e *env) {
	wrongPw := []string{xs(e.db), xi(2), xs("wrong"), xs("res.partner"), xs("search"), xa(xa())}
	call := func(method string) []byte {
		return xmlCall("execute_kw", append(e.adminKw("test.rpc", method), xa())...)
	}
	for _, tc := range []struct {
		name         string
		body         []byte
		want, legacy string
	}{
		{"UserError", call("raise_user_error"),
			intFault(2, "Nope, said the user error"),
			stringFault("warning -- UserError\n\nNope, said the user error", "")},
		{"ValidationError", call("raise_validation_error"),
			intFault(2, "The value must be positive"),
			stringFault("warning -- UserError\n\nThe value must be positive", "")},
		{"AccessError", call("raise_access_error"),
			intFault(4, "You are not allowed to do this"),
			stringFault("warning -- AccessError\n\nYou are not allowed to do this", "")},
		{"MissingError", call("raise_missing_error"),
			intFault(2, "Record does not exist or has been deleted."),
			stringFault("warning -- MissingError\n\nRecord does not exist or has been deleted.", "")},
		{"AccessDenied", xmlCall("execute_kw", wrongPw...),
			intFault(3, "Access Denied"),
			stringFault("AccessDenied", "Access Denied")},
		{"unknown model", xmlCall("execute_kw", append(e.adminKw("res.nope", "search"), xa(xa()))...),
			intFault(2, "Object res.nope doesn't exist"),
			stringFault("warning -- UserError\n\nObject res.nope doesn't exist", "")},
		{"private method", call("_search"),
			intFault(4, "Private methods (such as 'test.rpc._search') cannot be called remotely."),
			stringFault("warning -- AccessError\n\nPrivate methods (such as 'test.rpc._search') cannot be called remotely.", "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantXML(t, postXML(t, e.srv.URL+"/xmlrpc/2/object", tc.body), tc.want)
			wantXML(t, postXML(t, e.srv.URL+"/xmlrpc/object", tc.body), tc.legacy)
		})
	}

	// Python exceptions: fault 1 with a traceback on /xmlrpc/2; on the
	// legacy route the exception text is the code and the traceback the
	// string.
	for _, tc := range []struct {
		name, method, last string
	}{
		{"unexpected", "raise_unexpected", `Exception: Internal server error \(reference [0-9a-f]{12}\); see the server log\.`},
		{"missing method", "no_such_method", `AttributeError: The method 'test\.rpc\.no_such_method' does not exist`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := regexp.MustCompile(`(?s)^Traceback \(most recent call last\):\n.*\n` + tc.last + `\n$`)
			typ, code, s := xmlFault(t, postXML(t, e.srv.URL+"/xmlrpc/2/object", call(tc.method)))
			if typ != "int" || code != "1" {
				t.Errorf("faultCode = <%s>%s, want <int>1", typ, code)
			}
			if !tb.MatchString(s) {
				t.Errorf("faultString is not the traceback: %q", s)
			}
			typ, code, s = xmlFault(t, postXML(t, e.srv.URL+"/xmlrpc/object", call(tc.method)))
			if typ != "string" || strings.Contains(code, "Traceback") || !regexp.MustCompile("^"+tc.last[strings.Index(tc.last, ": ")+2:]+"$").MatchString(code) {
				t.Errorf("legacy faultCode = <%s>%q, want the exception text", typ, code)
			}
			if !tb.MatchString(s) {
				t.Errorf("legacy faultString is not the traceback: %q", s)
			}
		})
	}

	// The common and db services fault the same way.
	wantXML(t, postXML(t, e.srv.URL+"/xmlrpc/2/db", xmlCall("drop", xs("wrong master"), xs(e.db))), intFault(3, "Access Denied"))
	wantXML(t, postXML(t, e.srv.URL+"/xmlrpc/db", xmlCall("drop", xs(""), xs(e.db))), stringFault("AccessDenied", "Access Denied"))
	typ, code, s := xmlFault(t, postXML(t, e.srv.URL+"/xmlrpc/common", xmlCall("nope")))
	if typ != "string" || code != "Method not found: nope" || !strings.HasPrefix(s, "Traceback (most recent call last):\n") {
		t.Errorf("legacy unknown method = <%s>%q, %q", typ, code, s)
	}
	if e.count(t, "res.partner", []any{[]any{"name", "=", "must not survive"}}) != 0 {
		t.Error("a fault left a write behind")
	}
}

// --- XML-RPC request shapes --------------------------------------------------

func testWireXMLRequests(t *testing.T, e *env) {
	searchUsers := xa(xa(xa(xs("id"), xs("="), xi(2))))
	oneID := respDoc("<value><array><data>\n<value><int>2</int></value>\n</data></array></value>\n")
	for _, tc := range []struct {
		name string
		url  string
		body []byte
		want string
	}{
		{"version without params", "/xmlrpc/2/common",
			[]byte("<?xml version='1.0'?>\n<methodCall>\n<methodName>version</methodName>\n</methodCall>\n"), ""},
		{"version with empty params", "/xmlrpc/2/common", []byte("<methodCall><methodName>version</methodName><params/></methodCall>"), ""},
		{"nil kwargs", "/xmlrpc/2/object",
			xmlCall("execute_kw", append(e.adminKw("res.users", "search"), searchUsers, "<nil/>")...), oneID},
		{"empty value kwargs", "/xmlrpc/2/object",
			xmlCall("execute_kw", append(e.adminKw("res.users", "search"), searchUsers, "")...), oneID},
		{"empty struct kwargs", "/xmlrpc/2/object",
			xmlCall("execute_kw", append(e.adminKw("res.users", "search"), searchUsers, "<struct></struct>")...), oneID},
		{"i8 uid and untyped strings", "/xmlrpc/2/object",
			xmlCall("execute_kw", e.db, "<i8>2</i8>", adminPassword, "res.users", "search", searchUsers), oneID},
		{"i4, i8 and nil inside args", "/xmlrpc/2/object",
			xmlCall("execute_kw", append(e.adminKw("res.users", "search"),
				xa(xa(xa(xs("id"), xs("="), "<i8>2</i8>"))), xst("limit", "<i4>5</i4>", "offset", "<i8>0</i8>", "order", "<nil/>"))...), oneID},
		{"nil authenticate env", "/xmlrpc/2/common",
			xmlCall("authenticate", xs(e.db), xs("admin"), xs(adminPassword), "<nil/>"), respDoc("<value><int>2</int></value>\n")},
		{"untyped login params", "/xmlrpc/2/common",
			xmlCall("login", e.db, "admin", adminPassword), respDoc("<value><int>2</int></value>\n")},
		{"echo of untyped text", "/xmlrpc/2/object",
			xmlCall("execute_kw", append(e.adminKw("test.rpc", "echo"), xa("a &lt;b&gt; ✓"))...), respDoc("<value><string>a &lt;b&gt; ✓</string></value>\n")},
		{"echo of i8", "/xmlrpc/2/object",
			xmlCall("execute_kw", append(e.adminKw("test.rpc", "echo"), xa("<i8>2147483647</i8>"))...), respDoc("<value><int>2147483647</int></value>\n")},
		{"echo of empty value", "/xmlrpc/2/object",
			xmlCall("execute_kw", append(e.adminKw("test.rpc", "echo"), xa(""))...), respDoc("<value><string></string></value>\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := postXML(t, e.srv.URL+tc.url, tc.body)
			if tc.want != "" {
				wantXML(t, r, tc.want)
				return
			}
			wantXMLHeaders(t, r)
			for _, frag := range []string{"<name>server_version</name>\n<value><string>18.0</string></value>", "<name>protocol_version</name>\n<value><int>1</int></value>"} {
				if !bytes.Contains(r.body, []byte(frag)) {
					t.Errorf("version response lacks %q:\n%s", frag, r.body)
				}
			}
			if bytes.Contains(r.body, []byte("<fault>")) {
				t.Errorf("version is a fault:\n%s", r.body)
			}
		})
	}

	// The request Content-Type is not looked at.
	for _, ct := range []string{"", "application/json", "text/plain"} {
		r := post(t, e.srv.URL+"/xmlrpc/2/object", ct, xmlCall("execute_kw", append(e.adminKw("res.users", "search"), searchUsers)...))
		wantXML(t, r, oneID)
	}
}

// --- malformed XML -----------------------------------------------------------

func testWireXMLMalformed(t *testing.T, e *env) {
	for _, tc := range []struct {
		name, body, exc string
	}{
		{"empty body", "", "ExpatError: no element found"},
		{"whitespace", "  \n", "ExpatError: no element found"},
		{"truncated", "<?xml version='1.0'?><methodCall><methodName>version</methodName><params>", "ExpatError"},
		{"not XML", "hello, world", "ExpatError"},
		{"mismatched tags", "<methodCall><methodName>version</methodCall></methodName>", "ExpatError: mismatched tag"},
		{"JSON", `{"jsonrpc": "2.0", "params": {}}`, "ExpatError"},
		{"unknown value type", string(xmlCall("login", "<foo>1</foo>", xs("a"), xs("b"))), "ResponseError"},
		{"bad int", string(xmlCall("login", "<int>12x</int>", xs("a"), xs("b"))), "ValueError"},
		{"bad boolean", string(xmlCall("login", "<boolean>2</boolean>", xs("a"), xs("b"))), "TypeError"},
		{"entity declaration", "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><methodCall><methodName>version</methodName></methodCall>", "Error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/xmlrpc/2/common", "/xmlrpc/common"} {
				typ, code, s := xmlFault(t, postXML(t, e.srv.URL+path, []byte(tc.body)))
				if path == "/xmlrpc/2/common" && (typ != "int" || code != "1") {
					t.Errorf("%s: faultCode <%s>%s, want <int>1", path, typ, code)
				}
				if path == "/xmlrpc/common" && (typ != "string" || code == "") {
					t.Errorf("%s: faultCode <%s>%q, want the exception text", path, typ, code)
				}
				if !strings.HasPrefix(s, "Traceback (most recent call last):\n") || !strings.Contains(s, tc.exc) {
					t.Errorf("%s: faultString %q, want a traceback with %q", path, s, tc.exc)
				}
			}
		})
	}
	// And the server still answers.
	r := postXML(t, e.srv.URL+"/xmlrpc/2/common", xmlCall("login", xs(e.db), xs("admin"), xs(adminPassword)))
	wantXML(t, r, respDoc("<value><int>2</int></value>\n"))
}

// --- no <nil/> -----------------------------------------------------------------

func testWireXMLNoNil(t *testing.T, e *env) {
	const noneFault = "TypeError: cannot marshal None unless allow_none is enabled"
	for _, tc := range []struct {
		name string
		args string
	}{
		{"return_none", ""},
		{"echo nil", xa("<nil/>")},
		{"echo nil in array", xa(xa(xi(1), "<nil/>"))},
		{"echo nil in struct", xa(xst("a", "<nil/>"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method, args := "echo", tc.args
			if tc.args == "" {
				method, args = "return_none", xa()
			}
			for _, path := range []string{"/xmlrpc/2/object", "/xmlrpc/object"} {
				r := postXML(t, e.srv.URL+path, xmlCall("execute_kw", append(e.adminKw("test.rpc", method), args)...))
				if bytes.Contains(r.body, []byte("<nil")) {
					t.Fatalf("%s: the server emitted <nil/>:\n%s", path, r.body)
				}
				typ, code, s := xmlFault(t, r)
				if path == "/xmlrpc/2/object" && (typ != "int" || code != "1" || !strings.Contains(s, noneFault)) {
					t.Errorf("%s: fault <%s>%s %q, want 1 with %q", path, typ, code, s, noneFault)
				}
				if path == "/xmlrpc/object" && (typ != "string" || code != "cannot marshal None unless allow_none is enabled") {
					t.Errorf("%s: fault <%s>%q", path, typ, code)
				}
			}
		})
	}
	// Empty field values are <boolean>0</boolean>, never <nil/>.
	r := postXML(t, e.srv.URL+"/xmlrpc/2/object", xmlCall("execute_kw", append(e.adminKw("res.partner", "read"),
		xa(xa(xi(1)), xa(xs("website"), xs("parent_id"), xs("image_1920"))))...))
	wantXMLHeaders(t, r)
	if bytes.Contains(r.body, []byte("<nil")) || bytes.Count(r.body, []byte("<value><boolean>0</boolean></value>")) != 3 {
		t.Errorf("empty values:\n%s", r.body)
	}
}

// --- control characters ----------------------------------------------------------

func testWireControlChars(t *testing.T, e *env) {
	name := "ctl\u0003x\ty\u0001\u001fz\r\nend"
	v, f := e.kw(t, jsonCaller{e.srv.URL}, "res.partner", "create", []any{map[string]any{"name": name}}, nil)
	if f != nil {
		t.Fatal(f)
	}
	id := v.(int64)
	for _, path := range []string{"/xmlrpc/2/object", "/xmlrpc/object"} {
		r := postXML(t, e.srv.URL+path, xmlCall("execute_kw", append(e.adminKw("res.partner", "read"),
			xa(xa(xi(int(id))), xa(xs("name"))))...))
		want := respDoc("<value><array><data>\n<value><struct>\n" +
			"<member>\n<name>id</name>\n<value><int>" + strconv.FormatInt(id, 10) + "</int></value>\n</member>\n" +
			"<member>\n<name>name</name>\n<value><string>ctlx\tyz\r\nend</string></value>\n</member>\n" +
			"</struct></value>\n</data></array></value>\n")
		wantXML(t, r, want)
	}
	// The value is stored as given: only the XML-RPC output drops them.
	got := e.mustKw(t, jsonCaller{e.srv.URL}, "res.partner", "read", []any{[]any{id}, []any{"name"}}, nil).([]any)[0].(map[string]any)
	equal(t, "name over JSON-RPC", got["name"], name)
	// A raw control character in a request is not XML: expat refuses it.
	typ, code, s := xmlFault(t, postXML(t, e.srv.URL+"/xmlrpc/2/object", xmlCall("execute_kw", append(e.adminKw("res.partner", "search"),
		xa(xa(xa(xs("bad\u0002field"), xs("="), xi(1)))))...)))
	if typ != "int" || code != "1" || !strings.Contains(s, "ExpatError: not well-formed (illegal character") {
		t.Errorf("request with a control character: <%s>%s %q", typ, code, s)
	}
}

// --- JSON-RPC -------------------------------------------------------------------------

func (e *env) jsonURL() string { return e.srv.URL + "/jsonrpc" }

func wantJSONHeaders(t *testing.T, r httpResult) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Errorf("HTTP %d, want 200: %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q, want application/json; charset=utf-8", ct)
	}
	if cl := r.header.Get("Content-Length"); cl != strconv.Itoa(len(r.body)) {
		t.Errorf("Content-Length = %q, body has %d bytes", cl, len(r.body))
	}
}

const versionParams = `{"service": "common", "method": "version", "args": []}`

func testWireJSONID(t *testing.T, e *env) {
	for _, tc := range []struct {
		name, body, prefix string
		id                 any
	}{
		{"number", `{"jsonrpc": "2.0", "method": "call", "id": 7, "params": ` + versionParams + `}`, `{"jsonrpc": "2.0", "id": 7, "result": {`, int64(7)},
		{"big number", `{"jsonrpc": "2.0", "method": "call", "id": 123456789012, "params": ` + versionParams + `}`, `{"jsonrpc": "2.0", "id": 123456789012, "result": {`, int64(123456789012)},
		{"string", `{"jsonrpc": "2.0", "method": "call", "id": "r-1 ✓", "params": ` + versionParams + `}`, `{"jsonrpc": "2.0", "id": "r-1 ✓", "result": {`, "r-1 ✓"},
		{"null", `{"jsonrpc": "2.0", "method": "call", "id": null, "params": ` + versionParams + `}`, `{"jsonrpc": "2.0", "id": null, "result": {`, nil},
		{"missing", `{"jsonrpc": "2.0", "method": "call", "params": ` + versionParams + `}`, `{"jsonrpc": "2.0", "id": null, "result": {`, nil},
		{"params only", `{"params": ` + versionParams + `}`, `{"jsonrpc": "2.0", "id": null, "result": {`, nil},
		{"ignored jsonrpc and method", `{"jsonrpc": "1.0", "method": "nope", "id": 3, "params": ` + versionParams + `}`, `{"jsonrpc": "2.0", "id": 3, "result": {`, int64(3)},
		{"number on an error", `{"id": 8, "params": {"service": "common", "method": "nope", "args": []}}`, `{"jsonrpc": "2.0", "id": 8, "error": {"code": 200, "message": "Odoo Server Error", "data": {`, int64(8)},
		{"string on an error", `{"id": "e", "params": {"service": "object", "method": "execute_kw", "args": []}}`, `{"jsonrpc": "2.0", "id": "e", "error": {`, "e"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := postJSON(t, e.jsonURL(), []byte(tc.body))
			wantJSONHeaders(t, r)
			if !bytes.HasPrefix(r.body, []byte(tc.prefix)) {
				t.Errorf("body = %s, want the prefix %s", r.body, tc.prefix)
			}
			m := r.object(t)
			if id, ok := m["id"]; !ok || !equalValue(id, tc.id) {
				t.Errorf("id = %#v (present %v), want %#v", id, ok, tc.id)
			}
			if res, ok := m["result"].(map[string]any); ok && res["server_version"] != "18.0" {
				t.Errorf("result = %v", res)
			}
		})
	}
}

func equalValue(a, b any) bool { return fmt.Sprintf("%#v", a) == fmt.Sprintf("%#v", b) }

func testWireJSONHTTPErrors(t *testing.T, e *env) {
	valid := []byte(`{"jsonrpc": "2.0", "method": "call", "id": 1, "params": ` + versionParams + `}`)
	for _, tc := range []struct {
		name, contentType string
		body              []byte
		status            int
		text              string
	}{
		{"text/plain", "text/plain", valid, 400, "Request inferred type is compatible with ['http'] but '/jsonrpc' is type='json'."},
		{"no Content-Type", "", valid, 400, "Request inferred type is compatible with ['http'] but '/jsonrpc' is type='json'."},
		{"form", "application/x-www-form-urlencoded", valid, 400, "is type='json'"},
		{"unparsable", "application/json", []byte(`{"params": {`), 400, "Invalid JSON data"},
		{"empty", "application/json", nil, 400, "Invalid JSON data"},
		{"garbage", "application/json", []byte("hello"), 400, "Invalid JSON data"},
		{"trailing garbage", "application/json", append(append([]byte{}, valid...), " x"...), 400, "Invalid JSON data"},
		{"array", "application/json", []byte(`[` + string(valid) + `]`), 400, "Invalid JSON-RPC data"},
		{"number", "application/json", []byte(`42`), 400, "Invalid JSON-RPC data"},
		{"string", "application/json", []byte(`"call"`), 400, "Invalid JSON-RPC data"},
		{"null", "application/json", []byte(`null`), 400, "Invalid JSON-RPC data"},
		// charset parameters and application/json-rpc are accepted.
		{"charset", "application/json; charset=utf-8", valid, 200, `"server_version": "18.0"`},
		{"json-rpc", "application/json-rpc", valid, 200, `"server_version": "18.0"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, e.jsonURL(), tc.contentType, tc.body)
			if r.status != tc.status {
				t.Errorf("HTTP %d, want %d: %s", r.status, tc.status, r.body)
			}
			if !bytes.Contains(r.body, []byte(tc.text)) {
				t.Errorf("body %q lacks %q", r.body, tc.text)
			}
			if tc.status == 400 && (json.Valid(r.body) || strings.HasPrefix(r.header.Get("Content-Type"), "application/json")) {
				t.Errorf("a 400 answer must not be JSON: %s %q", r.header.Get("Content-Type"), r.body)
			}
		})
	}
}

// errorData checks a JSON-RPC error envelope and returns its data.
func errorData(t *testing.T, r httpResult) map[string]any {
	t.Helper()
	wantJSONHeaders(t, r)
	m := r.object(t)
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	equal(t, "envelope keys", keys(m), []string{"error", "id", "jsonrpc"})
	errObj, _ := m["error"].(map[string]any)
	equal(t, "error keys", keys(errObj), []string{"code", "data", "message"})
	equal(t, "error.code", errObj["code"], int64(200))
	equal(t, "error.message", errObj["message"], "Odoo Server Error")
	data, _ := errObj["data"].(map[string]any)
	equal(t, "data keys", keys(data), []string{"arguments", "context", "debug", "message", "name"})
	if _, ok := data["arguments"].([]any); !ok {
		t.Errorf("data.arguments = %#v, want an array", data["arguments"])
	}
	if ctx, ok := data["context"].(map[string]any); !ok || len(ctx) != 0 {
		t.Errorf("data.context = %#v, want {}", data["context"])
	}
	if _, ok := data["debug"].(string); !ok {
		t.Errorf("data.debug = %#v, want a string", data["debug"])
	}
	return data
}

func testWireJSONErrors(t *testing.T, e *env) {
	kw := func(model, method string, args ...any) []byte {
		return jsonBody("object", "execute_kw", e.db, 2, adminPassword, model, method, args)
	}
	for _, tc := range []struct {
		name string
		body []byte
		// exception name, exact data.message (or a regexp when it starts with ^)
		exc, msg string
	}{
		{"wrong password", jsonBody("object", "execute_kw", e.db, 2, "wrong", "res.partner", "search", []any{[]any{}}),
			"odoo.exceptions.AccessDenied", "Access Denied"},
		{"UserError", kw("test.rpc", "raise_user_error"), "odoo.exceptions.UserError", "Nope, said the user error"},
		{"ValidationError", kw("test.rpc", "raise_validation_error"), "odoo.exceptions.ValidationError", "The value must be positive"},
		{"MissingError", kw("test.rpc", "raise_missing_error"), "odoo.exceptions.MissingError", "Record does not exist or has been deleted."},
		{"AccessError", kw("test.rpc", "raise_access_error"), "odoo.exceptions.AccessError", "You are not allowed to do this"},
		{"unexpected", kw("test.rpc", "raise_unexpected"), "builtins.Exception", `^Internal server error \(reference [0-9a-f]{12}\); see the server log\.$`},
		{"string domain", kw("res.partner", "search", "x"), "builtins.", `^.+`},
		{"unknown service", jsonBody("report", "render_report"), "builtins.KeyError", "report"},
		{"unknown method", jsonBody("common", "nope"), "builtins.Exception", "Method not found: nope"},
		{"unknown db method", jsonBody("db", "nope"), "builtins.KeyError", "Method not found: nope"},
		{"missing database", jsonBody("common", "login", "no_such_db_x", "admin", "x"), "psycopg2.OperationalError", `FATAL:  database "no_such_db_x" does not exist`},
		{"missing args", jsonBody("common", "login", e.db), "builtins.TypeError", "exp_login() missing 2 required positional arguments: 'login' and 'password'"},
		{"params without args", []byte(`{"jsonrpc": "2.0", "method": "call", "id": 7, "params": {"service": "common", "method": "version"}}`),
			"builtins.TypeError", "RPC.jsonrpc() missing 1 required positional argument: 'args'"},
		{"empty params", []byte(`{"jsonrpc": "2.0", "method": "call", "id": 7, "params": {}}`),
			"builtins.TypeError", "RPC.jsonrpc() missing 3 required positional arguments: 'service', 'method', and 'args'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := errorData(t, postJSON(t, e.jsonURL(), tc.body))
			name, _ := data["name"].(string)
			msg, _ := data["message"].(string)
			if !strings.HasPrefix(name, tc.exc) {
				t.Errorf("data.name = %q, want %s", name, tc.exc)
			}
			if strings.HasPrefix(tc.msg, "^") {
				if !regexp.MustCompile(tc.msg).MatchString(msg) {
					t.Errorf("data.message = %q, want %s", msg, tc.msg)
				}
			} else if msg != tc.msg {
				t.Errorf("data.message = %q, want %q", msg, tc.msg)
			}
			equal(t, "data.arguments", data["arguments"], []any{msg})
			if debug, _ := data["debug"].(string); !strings.HasPrefix(debug, "Traceback (most recent call last):\n") {
				t.Errorf("data.debug = %q, want a traceback", debug)
			}
			if strings.Contains(msg, "deadline") || strings.Contains(data["debug"].(string), "deadline") {
				t.Errorf("an internal error leaked: %v", data)
			}
		})
	}
}

func testWireJSONResult(t *testing.T, e *env) {
	// A None result has no "result" key at all.
	r := postJSON(t, e.jsonURL(), []byte(`{"jsonrpc": "2.0", "method": "call", "id": 5, "params": {"service": "object", "method": "execute_kw", "args": [`+
		strconv.Quote(e.db)+`, 2, `+strconv.Quote(adminPassword)+`, "test.rpc", "return_none", []]}}`))
	wantJSONHeaders(t, r)
	if string(r.body) != `{"jsonrpc": "2.0", "id": 5}` {
		t.Errorf("None result body = %s", r.body)
	}

	// Raw UTF-8 both ways, not \u escapes.
	const name = "héllo ✓ \"q\" <b>&"
	v, f := e.kw(t, jsonCaller{e.srv.URL}, "res.partner", "create", []any{map[string]any{"name": name}}, nil)
	if f != nil {
		t.Fatal(f)
	}
	id := v.(int64)
	r = postJSON(t, e.jsonURL(), jsonBody("object", "execute_kw", e.db, 2, adminPassword, "res.partner", "read", []any{[]any{id}, []any{"name"}}))
	wantJSONHeaders(t, r)
	want := `{"jsonrpc": "2.0", "id": 1, "result": [{"id": ` + strconv.FormatInt(id, 10) + `, "name": "héllo ✓ \"q\" <b>&"}]}`
	if string(r.body) != want {
		t.Errorf("body = %s, want %s", r.body, want)
	}
	// XML-RPC carries it raw too.
	x := postXML(t, e.srv.URL+"/xmlrpc/2/object", xmlCall("execute_kw", append(e.adminKw("res.partner", "read"), xa(xa(xi(int(id))), xa(xs("name"))))...))
	if !bytes.Contains(x.body, []byte("<string>héllo ✓ \"q\" &lt;b&gt;&amp;</string>")) {
		t.Errorf("XML body = %s", x.body)
	}

	// Errors carry the same headers and raw UTF-8.
	r = postJSON(t, e.jsonURL(), jsonBody("object", "execute_kw", e.db, 2, adminPassword, "res.nöpe", "search", []any{[]any{}}))
	data := errorData(t, r)
	equal(t, "data.message", data["message"], "Object res.nöpe doesn't exist")
	if !bytes.Contains(r.body, []byte("res.nöpe")) {
		t.Errorf("error body is escaped: %s", r.body)
	}
}

// --- db service ----------------------------------------------------------------------------

func testWireDB(t *testing.T, e *env) {
	dbURL := e.srv.URL + "/xmlrpc/2/db"
	// list: names, no password; ours among them.
	r := postXML(t, dbURL, xmlCall("list"))
	wantXMLHeaders(t, r)
	if !bytes.HasPrefix(r.body, []byte("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n")) ||
		!bytes.Contains(r.body, []byte("<value><string>"+e.db+"</string></value>\n")) {
		t.Errorf("db.list:\n%s", r.body)
	}
	list, f := jsonCaller{e.srv.URL}.call(t, "db", "list")
	if f != nil {
		t.Fatal(f)
	}
	found := false
	for _, n := range list.([]any) {
		if _, ok := n.(string); !ok {
			t.Errorf("db.list item %#v is not a string", n)
		}
		found = found || n == e.db
	}
	if !found {
		t.Errorf("db.list = %v lacks %s", list, e.db)
	}

	for _, tc := range []struct {
		name string
		body []byte
		want string
	}{
		{"server_version", xmlCall("server_version"), respDoc("<value><string>18.0</string></value>\n")},
		{"db_exist true", xmlCall("db_exist", xs(e.db)), respDoc("<value><boolean>1</boolean></value>\n")},
		{"db_exist false", xmlCall("db_exist", xs(e.db+"_nope")), respDoc("<value><boolean>0</boolean></value>\n")},
		{"db_exist of an invalid name", xmlCall("db_exist", xs("../"+e.db)), respDoc("<value><boolean>0</boolean></value>\n")},
		{"db_exist without a name", xmlCall("db_exist"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := postXML(t, dbURL, tc.body)
			if tc.want == "" {
				typ, code, s := xmlFault(t, r)
				if typ != "int" || code != "1" || !strings.Contains(s, "TypeError: exp_db_exist() missing 1 required positional argument: 'db_name'") {
					t.Errorf("fault <%s>%s %q", typ, code, s)
				}
				return
			}
			wantXML(t, r, tc.want)
		})
	}

	// list_lang: [code, name] pairs sorted by name.
	r = postXML(t, dbURL, xmlCall("list_lang"))
	wantXMLHeaders(t, r)
	pair := "<value><array><data>\n<value><string>en_US</string></value>\n<value><string>English (US)</string></value>\n</data></array></value>\n"
	if !bytes.Contains(r.body, []byte(pair)) {
		t.Errorf("list_lang lacks en_US:\n%s", r.body)
	}
	langs, f := jsonCaller{e.srv.URL}.call(t, "db", "list_lang")
	if f != nil {
		t.Fatal(f)
	}
	var names []string
	for _, l := range langs.([]any) {
		p, ok := l.([]any)
		if !ok || len(p) != 2 {
			t.Fatalf("list_lang item %#v is not a pair", l)
		}
		code, ok1 := p[0].(string)
		name, ok2 := p[1].(string)
		if !ok1 || !ok2 || code == "" || name == "" {
			t.Errorf("list_lang item %#v", p)
		}
		names = append(names, name)
	}
	if len(names) < 2 || !sort.StringsAreSorted(names) {
		t.Errorf("list_lang names %v are not sorted", names)
	}
	v, _ := jsonCaller{e.srv.URL}.call(t, "db", "server_version")
	equal(t, "JSON server_version", v, "18.0")
	v, _ = jsonCaller{e.srv.URL}.call(t, "db", "db_exist", e.db)
	equal(t, "JSON db_exist", v, true)
}

func testWireDBListOff(t *testing.T, e *env) {
	// A second set and handler over the same store, with list_db off.
	set := newSet(e.store, services.Config{ListDB: false, MasterPassword: masterPassword})
	h := godoorpc.NewHandler(set, godoorpc.Options{})
	h.SetReady(true)
	srv := httptest.NewServer(h)
	defer srv.Close()

	wantXML(t, postXML(t, srv.URL+"/xmlrpc/2/db", xmlCall("list")), intFault(3, "Access Denied"))
	wantXML(t, postXML(t, srv.URL+"/xmlrpc/db", xmlCall("list")), stringFault("AccessDenied", "Access Denied"))
	data := errorData(t, postJSON(t, srv.URL+"/jsonrpc", jsonBody("db", "list")))
	equal(t, "data.name", data["name"], "odoo.exceptions.AccessDenied")
	equal(t, "data.message", data["message"], "Access Denied")
	// Management needs list_db too, even with the right master password.
	wantXML(t, postXML(t, srv.URL+"/xmlrpc/2/db", xmlCall("create_database", xs(masterPassword), xs(e.db+"_x"), "<boolean>0</boolean>", xs("en_US"), xs("pw"))), intFault(3, "Access Denied"))
	if v, _ := (jsonCaller{e.srv.URL}).call(t, "db", "db_exist", e.db+"_x"); v != false {
		t.Errorf("create_database with list_db off created a database")
	}
	// The methods that need no management still work.
	wantXML(t, postXML(t, srv.URL+"/xmlrpc/2/db", xmlCall("server_version")), respDoc("<value><string>18.0</string></value>\n"))
	wantXML(t, postXML(t, srv.URL+"/xmlrpc/2/db", xmlCall("db_exist", xs(e.db))), respDoc("<value><boolean>1</boolean></value>\n"))
	// The first server still lists.
	if _, f := (jsonCaller{e.srv.URL}).call(t, "db", "list"); f != nil {
		t.Errorf("db.list on the list_db server: %v", f)
	}
}
