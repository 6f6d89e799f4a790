package bench_test

import (
	"encoding/json"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"
)

func TestXMLCall(t *testing.T) {
	got := string(bench.XMLCall("execute_kw", "db", int64(2), "k<&>", []any{[]any{"is_company", "=", true}},
		map[string]any{"limit": 80, "fields": []string{"name"}, "x": []int64{7}, "off": false}))
	want := `<?xml version="1.0"?>
<methodCall><methodName>execute_kw</methodName><params>` +
		`<param><value><string>db</string></value></param>` +
		`<param><value><int>2</int></value></param>` +
		`<param><value><string>k&lt;&amp;&gt;</string></value></param>` +
		`<param><value><array><data><value><array><data><value><string>is_company</string></value><value><string>=</string></value><value><boolean>1</boolean></value></data></array></value></data></array></value></param>` +
		`<param><value><struct>` +
		`<member><name>fields</name><value><array><data><value><string>name</string></value></data></array></value></member>` +
		`<member><name>limit</name><value><int>80</int></value></member>` +
		`<member><name>off</name><value><boolean>0</boolean></value></member>` +
		`<member><name>x</name><value><array><data><value><int>7</int></value></data></array></value></member>` +
		`</struct></value></param></params></methodCall>
`
	if got != want {
		t.Errorf("XMLCall =\n%s\nwant\n%s", got, want)
	}
}

func TestJSONCall(t *testing.T) {
	var v struct {
		Method string
		Params struct {
			Service, Method string
			Args            []any
		}
	}
	if err := json.Unmarshal(bench.JSONCall("object", "execute_kw", "db", 2, "pw"), &v); err != nil {
		t.Fatal(err)
	}
	if v.Method != "call" || v.Params.Service != "object" || v.Params.Method != "execute_kw" || len(v.Params.Args) != 3 {
		t.Errorf("JSONCall decodes to %+v", v)
	}
}

func TestTemplate(t *testing.T) {
	tmpl := bench.SplitAt(bench.XMLCall("unlink", []any{987654321}), "987654321")
	var buf []byte
	for _, id := range []string{"12", "3456"} {
		buf = tmpl.Fill(buf, id)
		if want := "<int>" + id + "</int>"; !strings.Contains(string(buf), want) || strings.Contains(string(buf), "987654321") {
			t.Errorf("Fill(%s) = %s", id, buf)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("SplitAt accepted a body without the placeholder")
		}
	}()
	bench.SplitAt([]byte("<int>1</int>"), "987654321")
}

func TestXMLInt(t *testing.T) {
	tests := []struct {
		name, body string
		want       int64
		wantErr    bool
	}{
		{"an id", "<methodResponse><params><param><value><int>4711</int></value></param></params></methodResponse>", 4711, false},
		{"a fault", "<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>3</int></value></member></struct></value></fault></methodResponse>", 0, true},
		{"no integer", "<methodResponse><params><param><value><boolean>1</boolean></value></param></params></methodResponse>", 0, true},
		{"garbage", "<int>12x</int>", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := bench.XMLInt([]byte(tc.body))
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("XMLInt = %d, %v; want %d, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestParseVmHWM(t *testing.T) {
	tests := []struct {
		name, status string
		want         int64
		wantErr      bool
	}{
		{"status", "Name:\tgodoo\nVmPeak:\t 1300000 kB\nVmHWM:\t   51200 kB\nVmRSS:\t   40000 kB\n", 50 << 20, false},
		{"no line", "Name:\tgodoo\nVmRSS:\t 40000 kB\n", 0, true},
		{"bad unit", "VmHWM:\t 12 MB\n", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := bench.ParseVmHWM([]byte(tc.status))
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("ParseVmHWM = %d, %v; want %d, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// TestProcess reads and resets this test process's own peak memory, and
// reads its current memory.
func TestProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Log("/proc is Linux's: nothing to read here")
		return
	}
	p := bench.Process(os.Getpid())
	touch64MiB()
	before, err := p.PeakRSS()
	if err != nil || before < 64<<20 {
		t.Fatalf("PeakRSS = %d, %v; want at least 64 MiB", before, err)
	}
	debug.FreeOSMemory() // the 64 MiB leave the resident set
	// The current size, not the peak: the 64 MiB are gone from it.
	if rss, err := p.RSS(); err != nil || rss <= 0 || rss > before-32<<20 {
		t.Errorf("RSS = %d, %v; want above 0 and well below the peak of %d", rss, err, before)
	}
	if err := p.ResetPeak(); err != nil {
		t.Fatalf("ResetPeak: %v", err)
	}
	after, err := p.PeakRSS()
	if err != nil || after > before-32<<20 {
		t.Errorf("PeakRSS after ResetPeak = %d, %v; want well below the %d before", after, err, before)
	}
}

func touch64MiB() {
	big := make([]byte, 64<<20)
	for i := range big {
		big[i] = 1
	}
	runtime.KeepAlive(big)
}

// TestCountCheck checks the record count and fault detection of answers
// shaped as godoo writes them, including a fault whose message holds the
// record marker and a long answer whose values mention "<fault>".
func TestCountCheck(t *testing.T) {
	xmlRec := "<value><struct>\n<member>\n<name>id</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>is_company</name>\n<value><boolean>1</boolean></value>\n</member>\n<member>\n<name>name</name>\n<value><string>&lt;fault&gt; is_company</value>\n</member>\n</struct></value>\n"
	xmlOK := func(n int) string {
		return "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n" + strings.Repeat(xmlRec, n) + "</data></array></value>\n</param>\n</params>\n</methodResponse>\n"
	}
	xmlFaultBody := "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>Invalid field 'is_company</name>'</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n"
	jsonRec := `{"id": 1, "is_company": true, "name": "\"error\": { _company\": "}`
	jsonOK := func(n int) string {
		recs := make([]string, n)
		for i := range recs {
			recs[i] = jsonRec
		}
		return `{"jsonrpc": "2.0", "id": 1, "result": [` + strings.Join(recs, ", ") + `]}`
	}
	jsonErrBody := `{"jsonrpc": "2.0", "id": 1, "error": {"code": 200, "message": "Odoo Server Error", "data": {"name": "builtins.ValueError", "message": "_company\": "}}}`
	cases := []struct {
		name  string
		check bench.Check
		body  string
		ok    bool
	}{
		{"XML-RPC, 80 records", bench.CountCheck("_company</name>", 80, bench.XMLFault), xmlOK(80), true},
		{"XML-RPC, 79 records", bench.CountCheck("_company</name>", 80, bench.XMLFault), xmlOK(79), false},
		{"XML-RPC, no records", bench.CountCheck("_company</name>", 0, bench.XMLFault), xmlOK(0), true},
		{"XML-RPC fault", bench.CountCheck("_company</name>", 1, bench.XMLFault), xmlFaultBody, false},
		{"JSON-RPC, 80 records", bench.CountCheck(`_company": `, 80, bench.JSONError), jsonOK(80), true},
		{"JSON-RPC, 81 records", bench.CountCheck(`_company": `, 80, bench.JSONError), jsonOK(81), false},
		{"JSON-RPC error", bench.CountCheck(`_company": `, 1, bench.JSONError), jsonErrBody, false},
		{"empty body", bench.CountCheck(`_company": `, 0, bench.JSONError), "", true},
	}
	for _, c := range cases {
		err := c.check([]byte(c.body))
		if (err == nil) != c.ok {
			t.Errorf("%s: error %v, want ok=%v", c.name, err, c.ok)
		}
	}
}
