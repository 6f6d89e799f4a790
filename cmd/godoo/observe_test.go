package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestServeObservability: serve's --metrics serves /metrics on the listen
// address, or only on --metrics-addr; without it there is none. The
// access log is on by default, in the text or the JSON format of
// --log-format, and --access-log=False turns it off. Wrong values stop
// serve with an error that names the setting.
func TestServeObservability(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	get := func(t *testing.T, url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, c := range []struct {
		name      string
		args      []string
		metrics   bool // /metrics on the listen address
		ownAddr   bool // /metrics on an address of its own
		json      bool
		accessLog bool
	}{
		{"defaults", nil, false, false, false, true},
		{"metrics, JSON log", []string{"--metrics", "--log-format", "json"}, true, false, true, true},
		{"metrics on their own address", []string{"--metrics", "--metrics-addr", "127.0.0.1:0", "--log-format", "json"}, false, true, true, true},
		{"no access log", []string{"--access-log=False"}, false, false, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := startServe(t, append([]string{"--data-dir", dir}, c.args...)...)
			code, body := get(t, "http://"+s.addr+"/metrics")
			if c.metrics != (code == http.StatusOK) {
				t.Errorf("GET /metrics on the listen address = %d, want metrics %v", code, c.metrics)
			}
			if c.metrics && !strings.Contains(body, `godoo_requests_total{method="GET /web/health",model="",outcome="ok",protocol="health",service=""} 1`) {
				t.Errorf("/metrics lacks the health check serve's start answered:\n%s", body)
			}
			if c.ownAddr {
				addr := loggedMetricsAddr(t, s.errOut.String())
				code, body := get(t, "http://"+addr+"/metrics")
				if code != http.StatusOK || !strings.Contains(body, "go_goroutines") {
					t.Errorf("GET /metrics on --metrics-addr %s = %d, want Go's runtime among the metrics:\n%s", addr, code, body)
				}
			}
			s.shutdown(t)
			var access, metricsAddr int
			for _, line := range strings.Split(strings.TrimSpace(s.errOut.String()), "\n") {
				if c.json {
					var m map[string]any
					if err := json.Unmarshal([]byte(line), &m); err != nil {
						t.Fatalf("with --log-format json, a log line is no JSON object: %v: %s", err, line)
					}
					if m["msg"] == "request" {
						access++
					}
					if m["msg"] == "serving metrics" {
						metricsAddr++
					}
				} else if strings.Contains(line, " msg=request ") {
					access++
				}
			}
			if c.accessLog != (access > 0) {
				t.Errorf("%d access log lines, want access log %v:\n%s", access, c.accessLog, s.errOut)
			}
			if c.ownAddr != (metricsAddr == 1) {
				t.Errorf("metrics on their own address: %d log lines of it, want %v:\n%s", metricsAddr, c.ownAddr, s.errOut)
			}
		})
	}
	for _, bad := range [][]string{{"--log-format", "xml"}, {"--metrics=maybe"}, {"--access-log=sometimes"}} {
		r := runGodoo(t, "", append([]string{"serve", "--data-dir", dir, "--http-addr", "127.0.0.1:0"}, bad...)...)
		setting := strings.ReplaceAll(strings.TrimPrefix(strings.SplitN(bad[0], "=", 2)[0], "--"), "-", "_")
		if r.code == 0 || !strings.Contains(r.stderr, setting) {
			t.Errorf("serve %v: %s, want an error naming %s", bad, r, setting)
		}
	}
}

// loggedMetricsAddr is the address serve logged (in JSON) that it serves
// the metrics on.
func loggedMetricsAddr(t *testing.T, log string) string {
	t.Helper()
	for _, line := range strings.Split(log, "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "serving metrics" {
			return m["addr"].(string)
		}
	}
	t.Fatalf("serve did not log where it serves the metrics:\n%s", log)
	return ""
}
