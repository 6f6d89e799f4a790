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

// TestProcess reads and resets this test process's own peak memory.
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
