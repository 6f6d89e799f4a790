package rpc_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/godoo/godoo/rpc"
)

// TestAnswerLength checks that answers of every front, results and
// errors, are sent with their Content-Length and not in chunks, as Odoo
// sends them: a chunked answer costs the client a parse and the server a
// write per chunk and one for the last, empty one.
func TestAnswerLength(t *testing.T) {
	url, _, done := bodyServer(t, rpc.Options{})
	// The answers that echo a long name or id are longer than net/http's
	// buffer (2 KB), under which it would find the length itself.
	long := strings.Repeat("x", 3000)
	for _, c := range []struct{ name, path, contentType, body string }{
		{"xmlrpc result", "/xmlrpc/2/common", "text/xml",
			`<?xml version="1.0"?><methodCall><methodName>version</methodName><params></params></methodCall>`},
		{"xmlrpc fault", "/xmlrpc/2/object", "text/xml",
			`<?xml version="1.0"?><methodCall><methodName>` + long + `</methodName><params></params></methodCall>`},
		{"jsonrpc result", "/jsonrpc", "application/json",
			`{"jsonrpc": "2.0", "id": "` + long + `", "method": "call", "params": {"service": "common", "method": "version", "args": []}}`},
		{"jsonrpc error", "/jsonrpc", "application/json",
			`{"jsonrpc": "2.0", "id": "` + long + `", "method": "call", "params": {"service": "object", "method": "execute_kw", "args": []}}`},
		{"web route", "/web/session/authenticate", "application/json",
			`{"jsonrpc": "2.0", "id": "` + long + `", "method": "call", "params": {"db": "none", "login": "a", "password": "b"}}`},
		{"json2 error", "/json/2/res.partner/search", "application/json", `{"domain": []}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, err := http.Post(url+c.path, c.contentType, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			<-done
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.TransferEncoding) != 0 {
				t.Errorf("Transfer-Encoding %v, want none", resp.TransferEncoding)
			}
			if resp.ContentLength != int64(len(body)) || len(body) == 0 {
				t.Errorf("Content-Length %d, body of %d bytes", resp.ContentLength, len(body))
			}
		})
	}
}
