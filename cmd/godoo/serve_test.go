package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godoo/godoo/rpc/rpctest"
	"github.com/godoo/godoo/services"
)

// TestServeBodyReadTimeout: body_read_timeout, from the flag or the
// configuration file, is how long serve waits for a request body: a client
// that stalls half way gets 408 and loses its connection. A value that is
// not a positive number of seconds stops serve at start.
func TestServeBodyReadTimeout(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "godoo.conf")
	if err := os.WriteFile(conf, []byte("[options]\nbody_read_timeout = 0.05\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--body-read-timeout", "0.05"}, {"--config", conf}} {
		t.Run(args[0], func(t *testing.T) {
			s := startServe(t, append([]string{"--data-dir", dir}, args...)...)
			resp := rpctest.StallBody(t, s.addr, "POST /xmlrpc/2/common HTTP/1.1\r\nHost: "+s.addr+
				"\r\nContent-Type: text/xml\r\nContent-Length: 500\r\n\r\n<?xml version='1.0'?><methodCall>")
			if resp.StatusCode != http.StatusRequestTimeout || !resp.Close {
				t.Errorf("HTTP %d (close %v), want 408 and the connection closed", resp.StatusCode, resp.Close)
			}
			s.shutdown(t)
		})
	}
	for _, bad := range []string{"0", "-1", "soon", "NaN"} {
		r := runGodoo(t, "", "serve", "--data-dir", dir, "--http-addr", "127.0.0.1:0", "--body-read-timeout", bad)
		if r.code == 0 || !strings.Contains(r.stderr, "body_read_timeout") {
			t.Errorf("--body-read-timeout %s: %s", bad, r)
		}
	}
}

// TestServeSaysWhenReady: serve says what it is doing before it is ready
// (creating the first database, checking the others) and logs that it
// listens only once it answers calls.
func TestServeSaysWhenReady(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	saved := prepareServe
	t.Cleanup(func() { prepareServe = saved })
	for _, want := range []string{"no database yet: creating the first one", "checking the databases and applying pending migrations"} {
		s := &server{out: &syncBuffer{}, errOut: &syncBuffer{}}
		var before string
		prepareServe = func(ctx context.Context, set *services.Set, stdout io.Writer, log *slog.Logger) error {
			err := prepareDatabases(ctx, set, stdout, log)
			before = s.errOut.String()
			return err
		}
		startServeOn(t, s, "--data-dir", dir)
		if !strings.Contains(before, want) {
			t.Errorf("serve did not log %q while it got ready:\n%s", want, before)
		}
		if strings.Contains(before, "listening") {
			t.Errorf("serve logged that it listens before it was ready:\n%s", before)
		}
		s.shutdown(t)
		if !strings.Contains(s.errOut.String(), "godoo listening") {
			t.Errorf("serve never logged that it listens:\n%s", s.errOut)
		}
	}
}
