package faults_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSIGTERMDrains: on SIGTERM, godoo serve stops taking connections but
// finishes the calls in flight, answers them in full, and exits 0.
//
// The call in flight is a create whose body the client holds back: it asks
// for "100 Continue", which godoo sends once its handler reads the body, so
// the call is in godoo's hands before the signal; the last byte goes only
// once new connections are refused.
func TestSIGTERMDrains(t *testing.T) {
	eachStore(t, func(t *testing.T, st store) {
		const db, name = "faults", "drain in flight"
		createDB(t, st, db)
		p := serve(t, st)

		body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 7,
			"params": map[string]any{"service": "object", "method": "execute_kw",
				"args": []any{db, 2, adminPassword, "res.partner", "create", []any{map[string]any{"name": name}}}}})
		if err != nil {
			t.Fatal(err)
		}
		conn, err := net.Dial("tcp", p.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(exitGuard)) // a guard: the test fails rather than hangs
		fmt.Fprintf(conn, "POST /jsonrpc HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", p.addr, len(body))
		br := bufio.NewReader(conn)
		line, err := br.ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "HTTP/1.1 100 ") {
			t.Fatalf("want 100 Continue, got %q, %v", line, err)
		}
		if line, err = br.ReadString('\n'); err != nil || line != "\r\n" {
			t.Fatalf("the end of 100 Continue: %q, %v", line, err)
		}
		if _, err := conn.Write(body[:len(body)-1]); err != nil {
			t.Fatal(err)
		}

		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		refused(t, p.addr)
		if p.exited() {
			t.Fatalf("godoo serve exited with a call in flight: %v", p.state)
		}

		if _, err := conn.Write(body[len(body)-1:]); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("the call in flight got no answer: %v", err)
		}
		answer, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("the call in flight: HTTP %d, %v: %s", resp.StatusCode, err, answer)
		}
		v, err := decodeAnswer(answer)
		created, ok := id(v)
		if err != nil || !ok || created <= 0 {
			t.Fatalf("the call in flight answered %s", answer)
		}
		if state := p.wait(); state.ExitCode() != 0 {
			t.Errorf("godoo serve ended with %v after SIGTERM, want exit status 0", state)
		}
		if !strings.Contains(p.log(), "shutting down") {
			t.Errorf("the log does not say that godoo shut down:\n%s", p.log())
		}

		// What the drained call wrote was committed.
		p = serve(t, st)
		v, err = kw(context.Background(), newClient(), p.base, db, adminPassword, "res.partner", "search_count",
			[]any{[]any{[]any{"id", "=", created}, []any{"name", "=", name}}}, nil)
		if n, _ := id(v); err != nil || n != 1 {
			t.Errorf("the drained create after a restart: %v records, %v", v, err)
		}
		if state := p.signal(syscall.SIGTERM); !state.Success() {
			t.Errorf("the restarted server ended with %v", state)
		}
	})
}

// refused waits until a new connection to addr is refused: the server has
// closed its listener. A connection the kernel was still setting up for
// the listener when it closed is reset instead, which says the same. It
// fails the test when that takes longer than the exit guard.
func refused(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(exitGuard)
	for {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) {
			return
		}
		if err != nil {
			t.Fatalf("a new connection failed otherwise than refused: %v", err)
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatalf("new connections are still accepted %s after SIGTERM", exitGuard)
		}
		time.Sleep(pollEvery)
	}
}
