package rpc_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/godoo/godoo/rpc"
)

// countingListener counts the connections it accepts and the writes made
// on them.
type countingListener struct {
	net.Listener
	accepted, writes *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.accepted.Add(1)
	return countingConn{c, l.writes}, nil
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// TestAnswerOneWrite checks that an answer larger than net/http's 4 KB
// connection buffer leaves in one write when the server listens through
// rpc.Listener with rpc.ConnContext, and in two without: a write less
// per call of the search_read of 80 records, on every front that writes
// a whole answer. The answers are whole and keep their Content-Length,
// and the connection is kept for the next call.
func TestAnswerOneWrite(t *testing.T) {
	h := routesHandler(t)
	long := strings.Repeat("x", 6000)
	huge := strings.Repeat("y", 600<<10) // above what is held: as net/http writes it
	// want is a piece of the answer: the id or the method name it echoes.
	calls := []struct{ name, path, contentType, body, want string }{
		{"jsonrpc result", "/jsonrpc", "application/json",
			`{"jsonrpc": "2.0", "id": "` + long + `", "method": "call", "params": {"service": "common", "method": "version", "args": []}}`, long},
		{"xmlrpc fault", "/xmlrpc/2/object", "text/xml",
			`<?xml version="1.0"?><methodCall><methodName>` + long + `</methodName><params></params></methodCall>`, long},
		{"web route", "/web/session/authenticate", "application/json",
			`{"jsonrpc": "2.0", "id": "` + long + `", "method": "call", "params": {"db": "none", "login": "a", "password": "b"}}`, long},
		{"small", "/jsonrpc", "application/json",
			`{"jsonrpc": "2.0", "id": 1, "method": "call", "params": {"service": "common", "method": "version", "args": []}}`, "server_version"},
		{"huge", "/jsonrpc", "application/json",
			`{"jsonrpc": "2.0", "id": "` + huge + `", "method": "call", "params": {"service": "common", "method": "version", "args": []}}`, huge},
	}
	for _, c := range []struct {
		name   string
		listen bool
		writes map[string]int64 // by call; 0: not checked
	}{
		{"Listener", true, map[string]int64{"jsonrpc result": 1, "xmlrpc fault": 1, "web route": 1, "small": 1}},
		{"plain", false, map[string]int64{"jsonrpc result": 2, "xmlrpc fault": 2, "web route": 2, "small": 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			accepted, writes := &atomic.Int64{}, &atomic.Int64{}
			srv := httptest.NewUnstartedServer(h)
			var ln net.Listener = countingListener{srv.Listener, accepted, writes}
			if c.listen {
				ln = rpc.Listener(ln)
				srv.Config.ConnContext = rpc.ConnContext
			}
			srv.Listener = ln
			srv.Start()
			defer srv.Close()
			client := srv.Client()
			for _, call := range calls {
				before := writes.Load()
				req, err := http.NewRequest(http.MethodPost, srv.URL+call.path, strings.NewReader(call.body))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", call.contentType)
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Fatalf("%s: %v", call.name, err)
				}
				n := writes.Load() - before
				if resp.ContentLength != int64(len(body)) || !strings.Contains(string(body), call.want) {
					t.Errorf("%s: Content-Length %d, body of %d bytes: %.200s", call.name, resp.ContentLength, len(body), body)
				}
				if want := c.writes[call.name]; want != 0 && n != want {
					t.Errorf("%s: answer of %d bytes in %d writes, want %d", call.name, len(body), n, want)
				}
			}
			if n := accepted.Load(); n != 1 {
				t.Errorf("%d connections for %d calls, want one kept", n, len(calls))
			}
		})
	}
}
