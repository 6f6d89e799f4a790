package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHealthcheck: godoo healthcheck passes on a ready serve, found from
// the listen address or given by --url, and fails, with exit status 1 and
// the reason, on a server that is not ready or not there.
func TestHealthcheck(t *testing.T) {
	isolate(t)
	s := startServe(t, "--data-dir", t.TempDir())
	_, port, err := net.SplitHostPort(s.addr)
	if err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, "", "healthcheck", "--url", "http://"+s.addr+"/web/health")
	if !strings.Contains(r.stdout, `"pass"`) {
		t.Errorf("healthcheck --url printed %q", r.stdout)
	}
	// The container's way: the listen address of the environment, on
	// every interface, is asked on loopback.
	t.Setenv("GODOO_HTTP_ADDR", "0.0.0.0:"+port)
	mustRun(t, "", "healthcheck")
	t.Setenv("GODOO_HTTP_ADDR", "")
	t.Setenv("GODOO_HTTP_PORT", port)
	mustRun(t, "", "healthcheck")

	notReady := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"status": "fail"}`))
	}))
	defer notReady.Close()
	r = runGodoo(t, "", "healthcheck", "--url", notReady.URL+"/web/health")
	if r.code != 1 || !strings.Contains(r.stderr, "HTTP 503") {
		t.Errorf("healthcheck of a server that is not ready: %s", r)
	}
	s.shutdown(t)
	r = runGodoo(t, "", "healthcheck", "--url", "http://"+s.addr+"/web/health")
	if r.code != 1 || !strings.Contains(r.stderr, "not healthy") {
		t.Errorf("healthcheck of a stopped server: %s", r)
	}
	if r := runGodoo(t, "", "healthcheck", "--timeout", "0s"); r.code != 2 {
		t.Errorf("healthcheck --timeout 0s: %s", r)
	}
}

func TestHealthURL(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"0.0.0.0:8069", "http://127.0.0.1:8069/web/health"},
		{":9000", "http://127.0.0.1:9000/web/health"},
		{"[::]:8069", "http://[::1]:8069/web/health"},
		{"10.1.2.3:80", "http://10.1.2.3:80/web/health"},
		{"localhost:8069", "http://localhost:8069/web/health"},
	} {
		if got := healthURL(tc.addr); got != tc.want {
			t.Errorf("healthURL(%q) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}
