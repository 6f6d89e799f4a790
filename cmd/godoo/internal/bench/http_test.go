package bench

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestHTTPClient checks the bench's own HTTP/1.1 client against net/http's
// server: bodies with a length, chunked bodies, the request's headers and
// body, a status other than 200, a server that closes the connection, and
// that one keep-alive connection serves a client's calls.
func TestHTTPClient(t *testing.T) {
	big := bytes.Repeat([]byte("<value><string>x</string></value>\n"), 4000) // 136 KB, chunked
	mux := http.NewServeMux()
	mux.HandleFunc("/small", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "small answer") })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < len(big); i += 10000 {
			w.Write(big[i:min(i+10000, len(big))])
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		io.WriteString(w, r.Method+" "+r.Header.Get("Content-Type")+" "+r.Header.Get("X-Forwarded-For")+" "+string(b))
	})
	mux.HandleFunc("/nobody", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/fail", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no such thing", http.StatusNotFound) })
	mux.HandleFunc("/close", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		io.WriteString(w, "bye")
	})
	srv := httptest.NewUnstartedServer(mux)
	var opened atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	h := NewHTTP(1)
	defer h.CloseIdle()
	c := h.conn(0)
	ctx := context.Background()
	hdr := http.Header{"Content-Type": {"text/xml"}, "X-Forwarded-For": {"10.0.0.1"}}
	calls := []struct {
		method, path string
		body         []byte
		want         string
		wantErr      string
	}{
		{"GET", "/small", nil, "small answer", ""},
		{"GET", "/big", nil, string(big), ""},
		{"POST", "/echo", []byte("<methodCall/>"), "POST text/xml 10.0.0.1 <methodCall/>", ""},
		{"POST", "/echo", []byte{}, "POST text/xml 10.0.0.1 ", ""},
		{"GET", "/fail", nil, "", "HTTP 404: no such thing"},
		{"GET", "/nobody", nil, "", "HTTP 204"},
		{"GET", "/big", nil, string(big), ""},
		{"GET", "/small", nil, "small answer", ""},
	}
	for _, k := range calls {
		out, err := c.do(ctx, k.method, srv.URL+k.path, hdr, k.body)
		if k.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), k.wantErr) {
				t.Fatalf("%s %s: error %v, want %q", k.method, k.path, err, k.wantErr)
			}
			continue
		}
		if err != nil || string(out) != k.want {
			t.Fatalf("%s %s: %v, %d bytes %.60q; want %d bytes %.60q", k.method, k.path, err, len(out), out, len(k.want), k.want)
		}
	}
	if n := opened.Load(); n != 1 {
		t.Fatalf("%d connections for %d calls of one client, want 1", n, len(calls))
	}
	// A server that closes: the answer is read, the next call reconnects.
	for range 2 {
		if out, err := c.do(ctx, "GET", srv.URL+"/close", hdr, nil); err != nil || string(out) != "bye" {
			t.Fatalf("/close: %q, %v", out, err)
		}
	}
	if out, err := c.do(ctx, "GET", srv.URL+"/small", hdr, nil); err != nil || string(out) != "small answer" {
		t.Fatalf("after /close: %q, %v", out, err)
	}
	if n := opened.Load(); n != 3 {
		t.Fatalf("%d connections after two closing answers, want 3", n)
	}
	// A context that ends after its call does not spoil the connection for
	// the next one.
	for range 20 {
		cctx, cancel := context.WithCancel(ctx)
		out, err := c.do(cctx, "GET", srv.URL+"/small", hdr, nil)
		cancel()
		if err != nil || string(out) != "small answer" {
			t.Fatalf("call before its context ended: %q, %v", out, err)
		}
	}
	// A kept connection that the server dropped while idle: the call is
	// sent again on a new one.
	before := opened.Load()
	srv.CloseClientConnections()
	if out, err := c.do(ctx, "GET", srv.URL+"/small", hdr, nil); err != nil || string(out) != "small answer" {
		t.Fatalf("after the server dropped the connection: %q, %v", out, err)
	}
	if n := opened.Load() - before; n != 1 {
		t.Fatalf("%d new connections after the server dropped one, want 1", n)
	}
	// A cancelled call returns instead of waiting.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.do(cctx, "GET", srv.URL+"/small", hdr, nil); err == nil {
		t.Fatal("a call with a cancelled context succeeded")
	}
}
