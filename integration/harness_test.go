// Package integration_test drives a real godoo over real HTTP on loopback,
// with real clients (kolo/xmlrpc, Python's xmlrpc.client, plain JSON-RPC,
// curl), against every store: SQLite always, PostgreSQL when
// GODOO_TEST_DSN names a server; it also replays the recorded Odoo 18
// corpus (conformance_*_test.go). The tests of databases and of
// authentication are packages of their own (integration/database,
// integration/auth), so that each binary has go test's time to itself;
// all share the harness of integration/internal/itest.
package integration_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// This file gives this package's tests the harness (itest) under the
// short names they were written with.

const (
	adminPassword  = itest.AdminPassword
	masterPassword = itest.MasterPassword
)

// env is one running server on one store with one database (itest.Env).
type env struct {
	name  string // store name, for sub-test names
	store models.Store
	set   *services.Set
	srv   *httptest.Server
	db    string
	h     *godoorpc.Handler
	it    *itest.Env
}

func wrapEnv(e *itest.Env) *env {
	return &env{name: e.Name, store: e.Store, set: e.Set, srv: e.Srv, db: e.DB, h: e.H, it: e}
}

var (
	stores         = itest.Stores
	uniqueName     = itest.UniqueName
	newSet         = itest.NewSet
	normalize      = itest.Normalize
	equal          = itest.Equal
	tapFeed        = itest.TapFeed
	randomText     = itest.RandomText
	marshalJSON    = itest.MarshalJSON
	toAny          = itest.ToAny
	quickstart     = itest.Quickstart
	readmeSH       = itest.ReadmeSH
	runREADME      = itest.RunREADME
	authLogin      = itest.Login
	jsonBody       = itest.JSONBody
	errMessage     = itest.ErrMessage
	authURL        = itest.Serve
	authServe      = itest.NewHandler
	authKw         = itest.KwAs
	authSetParam   = itest.SetParam
	authCreateUser = itest.CreateUser
	passlibHash    = itest.PasslibHash
	utc            = itest.UTC

	createFromModulesTemplate = itest.CreateFromModulesTemplate
)

func eachStore(t *testing.T, cfg services.Config, opts godoorpc.Options, fn func(t *testing.T, e *env)) {
	itest.EachStore(t, cfg, opts, func(t *testing.T, e *itest.Env) { fn(t, wrapEnv(e)) })
}

// syncBuffer is a log a test reads.
type syncBuffer = itest.SyncBuffer

// faultInfo is a fault or JSON-RPC error as a client sees it.
type faultInfo = itest.Fault

// caller is one protocol's client; it is also an itest.Caller.
type caller interface {
	itest.Caller
	protocol() string
	call(t *testing.T, service, method string, args ...any) (any, *faultInfo)
}

// xmlCaller is itest.XMLCaller.
type xmlCaller struct{ base string }

func (c xmlCaller) protocol() string { return "xmlrpc" }

func (c xmlCaller) call(t *testing.T, service, method string, args ...any) (any, *faultInfo) {
	t.Helper()
	return itest.XMLCaller{Base: c.base}.Call(t, service, method, args...)
}

func (c xmlCaller) Protocol() string { return c.protocol() }

func (c xmlCaller) Call(t *testing.T, service, method string, args ...any) (any, *faultInfo) {
	t.Helper()
	return c.call(t, service, method, args...)
}

// jsonCaller is itest.JSONCaller.
type jsonCaller struct{ base string }

func (c jsonCaller) protocol() string { return "jsonrpc" }

func (c jsonCaller) call(t *testing.T, service, method string, args ...any) (any, *faultInfo) {
	t.Helper()
	return itest.JSONCaller{Base: c.base}.Call(t, service, method, args...)
}

func (c jsonCaller) Protocol() string { return c.protocol() }

func (c jsonCaller) Call(t *testing.T, service, method string, args ...any) (any, *faultInfo) {
	t.Helper()
	return c.call(t, service, method, args...)
}

// httpResult is itest.HTTPResult.
type httpResult struct {
	status int
	header http.Header
	body   []byte
}

func (r httpResult) object(t *testing.T) map[string]any {
	t.Helper()
	return itest.HTTPResult{Status: r.status, Header: r.header, Body: r.body}.Object(t)
}

func result(r itest.HTTPResult) httpResult {
	return httpResult{status: r.Status, header: r.Header, body: r.Body}
}

func post(t *testing.T, url, contentType string, body []byte, header ...string) httpResult {
	t.Helper()
	return result(itest.Post(t, url, contentType, body, header...))
}

func postJSON(t *testing.T, url string, body []byte) httpResult {
	t.Helper()
	return result(itest.PostJSON(t, url, body))
}

func do(t *testing.T, req *http.Request) httpResult {
	t.Helper()
	return result(itest.Do(t, req))
}

func wantIdentity(t *testing.T, res httpResult, uid int64, login, mode, keyName string) {
	t.Helper()
	itest.WantIdentity(t, itest.HTTPResult{Status: res.status, Header: res.header, Body: res.body}, uid, login, mode, keyName)
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

// kw calls execute_kw as admin (itest.Env.Kw).
func (e *env) kw(t *testing.T, c caller, model, method string, args []any, kwargs map[string]any) (any, *faultInfo) {
	t.Helper()
	return e.it.Kw(t, c, model, method, args, kwargs)
}

// mustKw is kw that fails the test on a fault.
func (e *env) mustKw(t *testing.T, c caller, model, method string, args []any, kwargs map[string]any) any {
	t.Helper()
	return e.it.MustKw(t, c, model, method, args, kwargs)
}

// count returns search_count(domain) of model as admin.
func (e *env) count(t *testing.T, model string, domain []any) int64 {
	t.Helper()
	return e.it.Count(t, model, domain)
}

// settle is itest.Settle on e's store and database.
func (e *env) settle(t *testing.T) {
	t.Helper()
	e.it.Settle(t)
}

func wantFault(t *testing.T, c caller, f *faultInfo, code int, fragment string) {
	t.Helper()
	itest.WantFault(t, c.protocol(), f, code, fragment)
}

func handSQL(t *testing.T, store models.Store, pool *bun.DB, dbname, q string, args ...any) {
	t.Helper()
	itest.HandSQL(t, store, pool, dbname, q, args...)
}

func wantExact(t *testing.T, c caller, f *faultInfo, code int, name, msg string) {
	t.Helper()
	itest.WantExact(t, c.protocol(), f, code, name, msg)
}
