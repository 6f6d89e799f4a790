package integration_test

import (
	"strings"
	"testing"
)

// Tests of the order-keeping JSON and XML-RPC codecs of the conformance
// replay.

func TestConformanceJSONKeepsOrderAndNumberKinds(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"key order", `{"b": 1, "a": 2, "c": {"z": true, "y": null}}`, `{"b": 1, "a": 2, "c": {"z": true, "y": null}}`},
		{"float stays float", `[1.0, 0.0, 45.76, 1e-05, 2]`, `[1.0, 0.0, 45.76, 1e-05, 2]`},
		{"repeated key keeps first place, last value", `{"a": 1, "b": 2, "a": 3}`, `{"a": 3, "b": 2}`},
		{"strings unescaped and written back", `["<p>é</p>", "a\"b", "\u00e9"]`, `["<p>é</p>", "a\"b", "é"]`},
		{"empty containers", `{"l": [], "o": {}}`, `{"l": [], "o": {}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := decodeJSON([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(appendJSON(nil, v)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	for _, bad := range []string{`{"a": 1} {}`, `{"a": }`, `[1, 2`} {
		if _, err := decodeJSON([]byte(bad)); err == nil {
			t.Errorf("%s: decoded without error", bad)
		}
	}
}

func TestConformancePyFloat(t *testing.T) {
	for f, want := range map[float64]string{1: "1.0", 45: "45.0", 0: "0.0", 3.7: "3.7", 1e-5: "1e-05",
		1e16: "1e+16", 123456789012345: "123456789012345.0", -0.5: "-0.5"} {
		if got := pyFloat(f); got != want {
			t.Errorf("pyFloat(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestConformanceXMLRPCResponse(t *testing.T) {
	tests := []struct {
		name, body string
		want       string // the result as JSON, or the fault as "fault CODE: STRING"
	}{
		{"struct keeps member order",
			`<?xml version='1.0'?><methodResponse><params><param><value><struct>
<member><name>server_version</name><value><string>18.0</string></value></member>
<member><name>protocol_version</name><value><int>1</int></value></member>
<member><name>a</name><value><i4>2</i4></value></member>
</struct></value></param></params></methodResponse>`,
			`{"server_version": "18.0", "protocol_version": 1, "a": 2}`},
		{"scalar types",
			`<methodResponse><params><param><value><array><data>
<value>bare text</value><value><string></string></value><value><boolean>1</boolean></value>
<value><boolean>0</boolean></value><value><double>0.0</double></value><value><i8>99999999999</i8></value>
<value><nil/></value><value><base64>aGVsbG8=</base64></value>
<value><dateTime.iso8601>20240101T10:00:00</dateTime.iso8601></value>
<value><array><data></data></array></value><value><struct></struct></value>
</data></array></value></param></params></methodResponse>`,
			`["bare text", "", true, false, 0.0, 99999999999, null, "<bytes 5>", "20240101T10:00:00", [], {}]`},
		{"entities", `<methodResponse><params><param><value><string>a &amp; &lt;b&gt;</string></value></param></params></methodResponse>`,
			`"a & <b>"`},
		{"fault", `<methodResponse><fault><value><struct>
<member><name>faultCode</name><value><int>3</int></value></member>
<member><name>faultString</name><value><string>Access Denied</string></value></member>
</struct></value></fault></methodResponse>`, `fault 3: Access Denied`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := decodeMethodResponse([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			got := string(appendJSON(nil, a.result))
			if a.fault {
				got = "fault " + string(appendJSON(nil, a.faultCode)) + ": " + a.faultString
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	for _, bad := range []string{`<methodResponse><params><param><value><int>x</int></value></param></params></methodResponse>`,
		`<methodCall></methodCall>`, `<methodResponse><params><param><value><struct><member><name>a</name>`} {
		if _, err := decodeMethodResponse([]byte(bad)); err == nil {
			t.Errorf("%s: decoded without error", bad)
		}
	}
}

func TestConformanceXMLRPCCallIsPythons(t *testing.T) {
	v, err := decodeJSON([]byte(`["db", 2, 1.0, true, null, {"b": [1], "a": "x&<y>"}]`))
	if err != nil {
		t.Fatal(err)
	}
	// What Python's xmlrpc.client.dumps(..., methodname="execute_kw",
	// allow_none=True) writes for the same values.
	want := strings.Join([]string{"<?xml version='1.0'?>", "<methodCall>", "<methodName>execute_kw</methodName>", "<params>",
		"<param>", "<value><string>db</string></value>", "</param>",
		"<param>", "<value><int>2</int></value>", "</param>",
		"<param>", "<value><double>1.0</double></value>", "</param>",
		"<param>", "<value><boolean>1</boolean></value>", "</param>",
		"<param>", "<value><nil/></value></param>",
		"<param>", "<value><struct>", "<member>", "<name>b</name>", "<value><array><data>", "<value><int>1</int></value>",
		"</data></array></value>", "</member>", "<member>", "<name>a</name>", "<value><string>x&amp;&lt;y&gt;</string></value>",
		"</member>", "</struct></value>", "</param>",
		"</params>", "</methodCall>", ""}, "\n")
	if got := string(encodeMethodCall("execute_kw", v.([]any))); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
