// Package rpctest helps tests drive godoo's HTTP front over real
// connections, the way clients that misbehave do.
package rpctest

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// StallBody sends head (a request line, its headers and the start of its
// body) on a new connection to addr and then nothing more, as a client
// that stops half way through its body, and returns the server's answer,
// its body read. The connection is closed when the test ends. It waits a
// minute at most: a guard against a server that never answers, not a
// measure.
func StallBody(t testing.TB, addr, head string) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}
