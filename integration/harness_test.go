// Package integration_test drives a real godoo over real HTTP on loopback,
// with real clients (kolo/xmlrpc, Python's xmlrpc.client, plain JSON-RPC,
// curl), against every store: SQLite always, PostgreSQL when
// GODOO_TEST_DSN names a server; it also replays the recorded Odoo 18
// corpus (conformance_*_test.go).
package integration_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/rpc"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/kolo/xmlrpc"
	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/py"
	"github.com/godoo/godoo/models/sqlitestore"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

const (
	adminPassword  = "admin-Secret-1"
	masterPassword = "master-Secret-1"
)

// env is one running server on one store with one database.
type env struct {
	name  string // store name, for sub-test names
	store models.Store
	set   *services.Set
	srv   *httptest.Server
	db    string
	h     *godoorpc.Handler
}

// stores lists the store constructors to run against.
func stores(t testing.TB) map[string]func(t testing.TB) models.Store {
	out := map[string]func(t testing.TB) models.Store{
		"sqlite": func(t testing.TB) models.Store {
			s, err := sqlitestore.New(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	}
	if dsn := os.Getenv("GODOO_TEST_DSN"); dsn != "" {
		out["pg"] = func(t testing.TB) models.Store {
			s, err := pgstore.New(dsn)
			if err != nil {
				t.Fatal(err)
			}
			return tapFeed(s)
		}
	} else {
		t.Log("GODOO_TEST_DSN is not set: PostgreSQL is not tested")
	}
	return out
}

func uniqueName(prefix string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// testRounds is the PBKDF2 round count of the password hashes the
// harness's servers make, instead of Odoo's 600 000: the suite logs in
// thousands of times, and at 600 000 rounds it spent nine tenths of its
// time in the derivation. The tests of hashing itself (the auth package,
// and the upgrades of old hashes here) use real rounds.
const testRounds = 1000

// newSet is services.NewSet with testRounds. Every server of a database
// must hash alike: a server at 600 000 rounds upgrades each cheap hash it
// verifies, so tests that need real rounds give them a database of their
// own (newEnvWith).
func newSet(store models.Store, cfg services.Config) *services.Set {
	set := services.NewSet(store, cfg)
	set.Authenticator().Rounds = testRounds
	return set
}

// newEnv starts a server on store with a fresh demo database. cfg and opts
// adjust the services and the handler.
func newEnv(t *testing.T, name string, store models.Store, cfg services.Config, opts godoorpc.Options) *env {
	t.Helper()
	if cfg.MasterPassword == "" {
		cfg.MasterPassword = masterPassword
	}
	return newEnvWith(t, name, store, newSet(store, cfg), opts, true)
}

// newRealEnv is newEnv on e's store with services that hash at Odoo's
// 600 000 rounds, on a database of their own without demo data (each user
// costs a real derivation): for the tests of hash upgrades and of the
// rounds new passwords get.
func newRealEnv(t *testing.T, e *env, cfg services.Config, opts godoorpc.Options) *env {
	t.Helper()
	if cfg.MasterPassword == "" {
		cfg.MasterPassword = masterPassword
	}
	return newEnvWith(t, e.name, e.store, services.NewSet(e.store, cfg), opts, false)
}

// newEnvWith is newEnv with the services made by the caller, and demo data
// when demo is true.
func newEnvWith(t *testing.T, name string, store models.Store, set *services.Set, opts godoorpc.Options, demo bool) *env {
	t.Helper()
	registerTestModel(set.Registry())
	db := uniqueName("it_")
	ctx := context.Background()
	if !createFromTemplate(t, store, set, db, demo) {
		if err := set.Database.Create(ctx, db, services.CreateOptions{AdminPassword: adminPassword, AdminLogin: "admin", Demo: demo}); err != nil {
			t.Fatalf("create database: %v", err)
		}
	}
	h := godoorpc.NewHandler(set, opts)
	h.SetReady(true)
	srv := httptest.NewServer(h)
	e := &env{name: name, store: store, set: set, srv: srv, db: db, h: h}
	t.Cleanup(func() {
		srv.Close()
		if _, err := set.Database.DropNoCheck(context.Background(), db); err != nil {
			t.Errorf("drop %s: %v", db, err)
		}
	})
	return e
}

// eachStore runs fn once per store, each with its own server and database.
func eachStore(t *testing.T, cfg services.Config, opts godoorpc.Options, fn func(t *testing.T, e *env)) {
	for name, mk := range stores(t) {
		t.Run(name, func(t *testing.T) {
			store := mk(t)
			t.Cleanup(func() { store.Close() })
			fn(t, newEnv(t, name, store, cfg, opts))
		})
	}
}

// faultInfo is a fault or JSON-RPC error as a client sees it.
type faultInfo struct {
	Code    int
	String  string // faultString, or error.data.message
	Name    string // error.data.name (JSON only)
	Message string
}

// caller is one protocol's client.
type caller interface {
	protocol() string
	call(t *testing.T, service, method string, args ...any) (any, *faultInfo)
}

// xmlCaller uses kolo/xmlrpc, an independent XML-RPC client.
type xmlCaller struct{ base string }

func (c xmlCaller) protocol() string { return "xmlrpc" }

func (c xmlCaller) call(t *testing.T, service, method string, args ...any) (any, *faultInfo) {
	t.Helper()
	client, err := xmlrpc.NewClient(c.base+"/xmlrpc/2/"+service, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if args == nil {
		args = []any{}
	}
	var out any
	err = client.Call(method, args, &out)
	// net/rpc hands kolo's FaultError back as a ServerError string
	// "Fault(<code>): <faultString>".
	var se rpc.ServerError
	if errors.As(err, &se) {
		var code int
		text := string(se)
		if _, scanErr := fmt.Sscanf(text, "Fault(%d):", &code); scanErr == nil {
			_, s, _ := strings.Cut(text, ": ")
			return nil, &faultInfo{Code: code, String: s, Message: s}
		}
	}
	if err != nil {
		t.Fatalf("xmlrpc %s.%s: %v", service, method, err)
	}
	return normalize(out), nil
}

// jsonCaller posts plain JSON-RPC envelopes to /jsonrpc.
type jsonCaller struct{ base string }

func (c jsonCaller) protocol() string { return "jsonrpc" }

func (c jsonCaller) call(t *testing.T, service, method string, args ...any) (any, *faultInfo) {
	t.Helper()
	if args == nil {
		args = []any{}
	}
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1,
		"params": map[string]any{"service": service, "method": method, "args": args}})
	if err != nil {
		t.Fatal(err)
	}
	resp := postJSON(t, c.base+"/jsonrpc", body)
	if resp.status != 200 {
		t.Fatalf("jsonrpc %s.%s: HTTP %d: %s", service, method, resp.status, resp.body)
	}
	m := resp.object(t)
	if e, ok := m["error"].(map[string]any); ok {
		data, _ := e["data"].(map[string]any)
		code, _ := e["code"].(int64)
		name, _ := data["name"].(string)
		msg, _ := data["message"].(string)
		return nil, &faultInfo{Code: int(code), Name: name, Message: msg, String: msg}
	}
	return m["result"], nil
}

type httpResult struct {
	status int
	header http.Header
	body   []byte
}

func (r httpResult) object(t *testing.T) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, r.body)
	}
	m, ok := normalize(v).(map[string]any)
	if !ok {
		t.Fatalf("response is not a JSON object: %s", r.body)
	}
	return m
}

func post(t *testing.T, url, contentType string, body []byte, header ...string) httpResult {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

func postJSON(t *testing.T, url string, body []byte) httpResult {
	t.Helper()
	return post(t, url, "application/json", body)
}

func do(t *testing.T, req *http.Request) httpResult {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return httpResult{status: resp.StatusCode, header: resp.Header, body: b}
}

// normalize maps both clients' values onto int64, float64, string, bool,
// []any and map[string]any, so that one assertion serves both protocols.
func normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		return py.JSONNumbers(x)
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case float64:
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	}
	return v
}

// callers returns both protocols' clients for e.
func (e *env) callers() []caller {
	return []caller{xmlCaller{e.srv.URL}, jsonCaller{e.srv.URL}}
}

// eachProtocol runs fn once per protocol.
func (e *env) eachProtocol(t *testing.T, fn func(t *testing.T, c caller)) {
	for _, c := range e.callers() {
		t.Run(c.protocol(), func(t *testing.T) { fn(t, c) })
	}
}

// kw calls execute_kw as admin.
func (e *env) kw(t *testing.T, c caller, model, method string, args []any, kwargs map[string]any) (any, *faultInfo) {
	t.Helper()
	if kwargs == nil {
		return c.call(t, "object", "execute_kw", e.db, int64(2), adminPassword, model, method, args)
	}
	return c.call(t, "object", "execute_kw", e.db, int64(2), adminPassword, model, method, args, kwargs)
}

// mustKw is kw that fails the test on a fault.
func (e *env) mustKw(t *testing.T, c caller, model, method string, args []any, kwargs map[string]any) any {
	t.Helper()
	v, f := e.kw(t, c, model, method, args, kwargs)
	if f != nil {
		t.Fatalf("%s.%s: unexpected fault %d: %s", model, method, f.Code, f.String)
	}
	return v
}

// wantFault checks a fault's code (the XML-RPC code, or for JSON-RPC the
// exception name that maps to it) and a fragment of its message.
func wantFault(t *testing.T, c caller, f *faultInfo, code int, fragment string) {
	t.Helper()
	if f == nil {
		t.Fatalf("want fault %d (%q), got a result", code, fragment)
	}
	if c.protocol() == "xmlrpc" && f.Code != code {
		t.Errorf("fault code = %d, want %d (%s)", f.Code, code, f.String)
	}
	if c.protocol() == "jsonrpc" {
		if f.Code != 200 {
			t.Errorf("JSON error code = %d, want 200", f.Code)
		}
		want := map[int][]string{
			1: {"builtins.", "psycopg2.", "werkzeug."},
			2: {"odoo.exceptions.UserError", "odoo.exceptions.ValidationError", "odoo.exceptions.MissingError"},
			3: {"odoo.exceptions.AccessDenied"}, 4: {"odoo.exceptions.AccessError"},
		}[code]
		ok := false
		for _, w := range want {
			ok = ok || strings.HasPrefix(f.Name, w)
		}
		if !ok {
			t.Errorf("data.name = %q, want one of %v", f.Name, want)
		}
	}
	if !strings.Contains(f.String, fragment) {
		t.Errorf("fault text %q does not contain %q", f.String, fragment)
	}
}

func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

// count returns search_count(domain) of model as admin.
func (e *env) count(t *testing.T, model string, domain []any) int64 {
	t.Helper()
	v := e.mustKw(t, jsonCaller{e.srv.URL}, model, "search_count", []any{domain}, map[string]any{"context": map[string]any{"active_test": false}})
	n, _ := v.(int64)
	return n
}

// handSQL runs a statement on a database as an administrator typing SQL
// would. No godoo process made that change, so none waited for its notice:
// on a store with a feed (PostgreSQL) it reaches godoo's processes within
// the notice's delivery, not synchronously. handSQL waits until every
// process has it (settle) before it returns.
func handSQL(t *testing.T, store models.Store, pool *bun.DB, dbname, q string, args ...any) {
	t.Helper()
	awaitNotice(t, store, dbname, func() {
		if _, err := pool.ExecContext(context.Background(), q, args...); err != nil {
			t.Fatal(err)
		}
	})
}

// awaitNotice runs change, which commits a change to credentials outside
// godoo, and waits until every process on dbname has it.
func awaitNotice(t *testing.T, store models.Store, dbname string, change func()) {
	t.Helper()
	change()
	settle(t, store, dbname)
}
