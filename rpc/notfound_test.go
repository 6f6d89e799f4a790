package rpc_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestNotFound checks that a path no route serves gets werkzeug's 404 page,
// as Odoo answers, while a route asked with a method it does not serve
// still gets 405 with the methods it allows.
func TestNotFound(t *testing.T) {
	h := routesHandler(t)
	for _, tc := range []struct {
		name, method, path string
		status             int
		body, ctype, allow string
	}{
		{"unknown path", http.MethodPost, "/web/webclient/conf_nope", http.StatusNotFound, "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>", "text/html; charset=utf-8", ""},
		{"unknown path, GET", http.MethodGet, "/nowhere", http.StatusNotFound, "<!doctype html>", "text/html; charset=utf-8", ""},
		{"GET route asked with POST", http.MethodPost, "/web/health", http.StatusMethodNotAllowed, "Method Not Allowed", "text/plain; charset=utf-8", "GET"},
		{"POST route asked with GET", http.MethodGet, "/web/login/nope", http.StatusNotFound, "<!doctype html>", "text/html; charset=utf-8", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, strings.NewReader("{}")))
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tc.status || !strings.HasPrefix(string(body), tc.body) || rec.Header().Get("Content-Type") != tc.ctype {
				t.Errorf("HTTP %d %q %q, want %d %q… %q", rec.Code, rec.Header().Get("Content-Type"), body, tc.status, tc.body, tc.ctype)
			}
			if got := rec.Header().Get("Allow"); !strings.HasPrefix(got, tc.allow) {
				t.Errorf("Allow %q, want %q", got, tc.allow)
			}
		})
	}
}
