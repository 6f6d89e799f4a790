package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"
)

// BenchmarkLargeBody measures what one large request costs a server in
// memory: the peak resident size (VmHWM) of a godoo server process, this
// test binary run as bench-serve with serve's runtime settings, while it
// answers one res.partner create whose comment makes the body
// GODOO_BENCH_BODY_MB megabytes (default 100), over XML-RPC and over
// JSON-RPC, on SQLite and, with GODOO_TEST_DSN, on PostgreSQL. Each case
// runs on a server of its own, so that none inherits the memory another
// left behind. The figures are reported as metrics, never asserted:
//
//	go test -run '^$' -bench LargeBody -benchtime 1x ./cmd/godoo
//
// peak-MB is the largest resident size during the call, idle-MB the size
// just before it, and peak/body the peak over the body's size (of one
// body: the x3 case sends three at once). The refused
// cases send a wrong password: the body is received and decoded, then the
// call is refused, as an attacker's would be; the create cases store the
// value.
func BenchmarkLargeBody(b *testing.B) {
	size := 100 << 20
	if v := os.Getenv("GODOO_BENCH_BODY_MB"); v != "" {
		mb, err := strconv.Atoi(v)
		if err != nil || mb <= 0 {
			b.Fatalf("GODOO_BENCH_BODY_MB=%q is not a positive number", v)
		}
		size = mb << 20
	}
	stores := [][]string{{"sqlite"}}
	if dsn := os.Getenv("GODOO_TEST_DSN"); dsn != "" {
		stores = append(stores, []string{"pg", "--db-url", dsn})
	} else {
		b.Log("GODOO_TEST_DSN is not set: measured on SQLite only")
	}
	for _, store := range stores {
		b.Run(store[0], func(b *testing.B) {
			isolate(b)
			db, pw, args := largeBodyDatabase(b, store[1:])
			for _, c := range []struct {
				proto, call string
				atOnce      int
			}{
				// The creates first: the refusals end in the login cool-down.
				{"xmlrpc", "create", 1}, {"jsonrpc", "create", 1}, {"xmlrpc", "refused", 1}, {"jsonrpc", "refused", 1}, {"jsonrpc", "refused", 3},
			} {
				name := c.proto + "-" + c.call
				if c.atOnce > 1 {
					name += "-x" + strconv.Itoa(c.atOnce)
				}
				b.Run(name, func(b *testing.B) {
					srv := largeBodyServer(b, args)
					password := pw
					if c.call == "refused" {
						password = "not-the-password"
					}
					var peak, idle int64
					for range b.N {
						if err := srv.ResetPeak(); err != nil {
							b.Fatal(err)
						}
						before, err := srv.PeakRSS()
						if err != nil {
							b.Fatal(err)
						}
						errs := make(chan error, c.atOnce)
						for range c.atOnce {
							go func() { errs <- largeCreate(srv.URL, c.proto, db, password, size, c.call == "create") }()
						}
						for range c.atOnce {
							if err := <-errs; err != nil {
								b.Fatal(err)
							}
						}
						after, err := srv.PeakRSS()
						if err != nil {
							b.Fatal(err)
						}
						peak, idle = max(peak, after), max(idle, before)
					}
					b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
					b.ReportMetric(float64(idle)/(1<<20), "idle-MB")
					b.ReportMetric(float64(peak)/float64(size), "peak/body")
				})
			}
		})
	}
}

// largeBodyDatabase makes a scratch database, dropped when b ends, and
// returns its name, its admin password and the store's flags.
func largeBodyDatabase(b *testing.B, storeArgs []string) (string, string, []string) {
	if len(storeArgs) == 0 {
		storeArgs = []string{"--data-dir", filepath.Join(b.TempDir(), "data")}
	}
	name, pw := unique("bodymem_"), "body-Memory-1"
	if r := runGodoo(b, "", append([]string{"db", "create", name, "--admin-password", pw}, storeArgs...)...); r.code != 0 {
		b.Fatalf("db create: %s", r)
	}
	b.Cleanup(func() { runGodoo(b, "", append([]string{"db", "drop", name}, storeArgs...)...) })
	return name, pw, append([]string{"--database", name}, storeArgs...)
}

// largeBodyServer serves the scratch database from a process of its own,
// stopped when b ends. args are bench-serve's: the database, then the
// store's flags.
func largeBodyServer(b *testing.B, args []string) *bench.Server {
	addr, err := bench.FreeAddr()
	if err != nil {
		b.Fatal(err)
	}
	args = append([]string{bench.ServeCommand, args[0], args[1], "--http-addr", addr, "--log-level", "warn"}, args[2:]...)
	srv, err := bench.StartServer(context.Background(), os.Args[0], args, nil, addr, filepath.Join(b.TempDir(), "server.log"), time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Stop() })
	return srv
}

// largeCreate sends one create of a partner whose comment fills the body
// up to size bytes, streamed so that the client holds none of it, and
// checks that the answer is the new id, or Odoo's AccessDenied when
// stored is false.
func largeCreate(url, proto, db, pw string, size int, stored bool) error {
	var head, tail, path, ctype string
	switch proto {
	case "xmlrpc":
		path, ctype = "/xmlrpc/2/object", "text/xml"
		head = "<?xml version='1.0'?><methodCall><methodName>execute_kw</methodName><params>" +
			"<param><value><string>" + db + "</string></value></param><param><value><int>2</int></value></param>" +
			"<param><value><string>" + pw + "</string></value></param><param><value><string>res.partner</string></value></param>" +
			"<param><value><string>create</string></value></param><param><value><array><data><value><struct>" +
			"<member><name>name</name><value><string>Large body</string></value></member>" +
			"<member><name>comment</name><value><string>"
		tail = "</string></value></member></struct></value></data></array></value></param></params></methodCall>"
	default:
		path, ctype = "/jsonrpc", "application/json"
		head = `{"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"service": "object", "method": "execute_kw", "args": [` +
			strconv.Quote(db) + `, 2, ` + strconv.Quote(pw) + `, "res.partner", "create", [{"name": "Large body", "comment": "`
		tail = `"}]]}}`
	}
	fill := int64(size - len(head) - len(tail))
	body := io.MultiReader(strings.NewReader(head), io.LimitReader(letters{}, fill), strings.NewReader(tail))
	req, err := http.NewRequest(http.MethodPost, url+path, body)
	if err != nil {
		return err
	}
	req.ContentLength = int64(size)
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	ok := resp.StatusCode == http.StatusOK
	switch {
	case !stored:
		ok = ok && bytes.Contains(answer, []byte("Access Denied")) || bytes.Contains(answer, []byte("AccessDenied"))
	case proto == "xmlrpc":
		ok = ok && bytes.Contains(answer, []byte("<int>")) && !bytes.Contains(answer, []byte("<fault>"))
	default:
		var env struct{ Result json.Number }
		ok = ok && json.Unmarshal(answer, &env) == nil && env.Result != ""
	}
	if !ok {
		return fmt.Errorf("%s create: HTTP %d %.300s", proto, resp.StatusCode, answer)
	}
	return nil
}

// letters reads as an endless run of lower-case letters.
type letters struct{}

func (letters) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a' + byte(i%26)
	}
	return len(p), nil
}
