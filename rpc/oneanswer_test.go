package rpc_test

import (
	"bytes"
	"encoding/json"
	"errors"
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

// failingListener's connections refuse every write larger than 4 KB, as a
// connection whose client went away refuses the first write after.
type failingListener struct{ net.Listener }

func (l failingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return failingConn{c}, nil
}

type failingConn struct{ net.Conn }

func (c failingConn) Write(p []byte) (int, error) {
	if len(p) > 4<<10 {
		return 0, errors.New("connection reset by peer")
	}
	return c.Conn.Write(p)
}

// TestAnswerOneWriteFailed checks that an answer whose one write fails is
// logged as abandoned with none of its bytes counted, not as a 200 sent
// whole, and that what it held is given back.
func TestAnswerOneWriteFailed(t *testing.T) {
	var buf bytes.Buffer
	srv := httptest.NewUnstartedServer(accessLogHandler(t, &buf, rpc.Options{}))
	srv.Listener = rpc.Listener(failingListener{srv.Listener})
	srv.Config.ConnContext = rpc.ConnContext
	srv.Start()
	long := strings.Repeat("x", 6000)
	resp, err := srv.Client().Post(srv.URL+"/jsonrpc", "application/json", strings.NewReader(
		`{"jsonrpc": "2.0", "id": "`+long+`", "method": "call", "params": {"service": "common", "method": "version", "args": []}}`))
	if err == nil {
		resp.Body.Close()
		t.Fatal("an answer arrived through a connection that refuses it")
	}
	srv.Close() // waits for the handler, which logs before it returns
	var line map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(buf.Bytes()), &line); err != nil {
		t.Fatalf("access log %q: %v", buf.String(), err)
	}
	if line["outcome"] != "abandoned" || line["bytes"] != float64(0) {
		t.Errorf("access log line %v, want outcome abandoned and 0 bytes", line)
	}
	if n := rpc.HeldBytes(); n != 0 {
		t.Errorf("%d bytes still held", n)
	}
}

// TestAnswerOneWriteBudget checks that answers beyond the bytes the
// connections may hold together leave as net/http writes them, whole.
func TestAnswerOneWriteBudget(t *testing.T) {
	rpc.SetOneWriteBudget(t, 4<<10)
	accepted, writes := &atomic.Int64{}, &atomic.Int64{}
	srv := httptest.NewUnstartedServer(routesHandler(t))
	srv.Listener = rpc.Listener(countingListener{srv.Listener, accepted, writes})
	srv.Config.ConnContext = rpc.ConnContext
	srv.Start()
	defer srv.Close()
	for _, size := range []int{2500, 6000} {
		id := strings.Repeat("x", size)
		before := writes.Load()
		resp, err := srv.Client().Post(srv.URL+"/jsonrpc", "application/json", strings.NewReader(
			`{"jsonrpc": "2.0", "id": "`+id+`", "method": "call", "params": {"service": "common", "method": "version", "args": []}}`))
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.ContentLength != int64(len(body)) || !strings.Contains(string(body), id) {
			t.Errorf("%d: Content-Length %d, body of %d bytes", size, resp.ContentLength, len(body))
		}
		want := int64(1) // held within the budget
		if size > 4<<10 {
			want = 2 // beyond it: as net/http writes it
		}
		if n := writes.Load() - before; n != want {
			t.Errorf("%d: answer in %d writes, want %d", size, n, want)
		}
	}
	if n := rpc.HeldBytes(); n != 0 {
		t.Errorf("%d bytes still held", n)
	}
}
