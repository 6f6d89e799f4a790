package faults_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/godoo/godoo/integration/privatepg"
)

// TestManyInstances runs 3 godoo serve processes on one PostgreSQL
// database, with clients spread over them, and shows that what one
// instance does holds on the others at their next request: a web session
// made on one is used on the others, a key made on one and revoked on
// another is refused by all, the login cool-down counts the failures made
// on every instance, a custom model (an ir.model record) created on one
// is served by the others and gone from all once deleted on one, and
// concurrent work over all of them meets no error.
func TestManyInstances(t *testing.T) {
	pg := privatepg.Start(t)
	st := store{name: "pg", args: []string{"--db-url", pg.DSN("postgres")}}
	const db = "many"
	createDB(t, st, db)
	var procs []*proc
	for range 3 {
		procs = append(procs, serve(t, st))
	}
	ctx := context.Background()
	kw := func(p *proc, secret, model, method string, args []any, kwargs map[string]any) (any, error) {
		return call(ctx, newClient(), p.base, "object", "execute_kw", db, 2, secret, model, method, args, kwargs)
	}

	// A web session made on instance 0 serves calls on every instance.
	cookie := webLogin(t, procs[0], db, "admin", adminPassword)
	for i, p := range procs {
		if _, err := webCallKw(p, cookie, "res.partner", "search_count", []any{[]any{}}); err != nil {
			t.Errorf("the session of instance 0 on instance %d: %v", i, err)
		}
	}

	// Concurrent work over all instances, without error.
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i, p := range procs {
		for c := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range 10 {
					name := fmt.Sprintf("many %d-%d-%d", i, c, r)
					id, err := kw(p, adminPassword, "res.partner", "create", []any{map[string]any{"name": name}}, nil)
					if err == nil {
						_, err = kw(procs[(i+1)%len(procs)], adminPassword, "res.partner", "write", []any{[]any{id}, map[string]any{"email": name + "@example.com"}}, nil)
					}
					if err == nil {
						_, err = kw(procs[(i+2)%len(procs)], adminPassword, "res.partner", "unlink", []any{[]any{id}}, nil)
					}
					if err != nil {
						errs <- fmt.Errorf("client %d-%d: %w", i, c, err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// A key made on instance 0 and revoked on instance 1 is refused by all.
	key, err := kw(procs[0], adminPassword, "res.users.apikeys", "generate", []any{"rpc", "many-instances", false}, nil)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	for i, p := range procs {
		if _, err := kw(p, key.(string), "res.partner", "search_count", []any{[]any{}}, nil); err != nil {
			t.Fatalf("the new key on instance %d: %v", i, err)
		}
	}
	ids, err := kw(procs[1], adminPassword, "res.users.apikeys", "search", []any{[]any{[]any{"name", "=", "many-instances"}}}, nil)
	if err != nil || len(ids.([]any)) != 1 {
		t.Fatalf("search the key: %v, %v", ids, err)
	}
	if _, err := kw(procs[1], adminPassword, "res.users.apikeys", "revoke", []any{ids}, nil); err != nil {
		t.Fatalf("revoke on instance 1: %v", err)
	}
	for i, p := range procs {
		if _, err := kw(p, key.(string), "res.partner", "search_count", []any{[]any{}}, nil); !isFault(err, "odoo.exceptions.AccessDenied") {
			t.Errorf("the revoked key on instance %d = %v, want AccessDenied", i, err)
		}
	}

	// A custom model created on instance 0 is served by the others at
	// their next request, a field added on instance 2 is written on
	// instance 0, and the model deleted on instance 1 is gone from all.
	mid, err := kw(procs[0], adminPassword, "ir.model", "create", []any{map[string]any{"name": "Many", "model": "x_many"}}, nil)
	if err != nil {
		t.Fatalf("create a custom model on instance 0: %v", err)
	}
	rec, err := kw(procs[1], adminPassword, "x_many", "create", []any{map[string]any{"x_name": "made on 1"}}, nil)
	if err != nil {
		t.Fatalf("the custom model on instance 1: %v", err)
	}
	if n, err := kw(procs[2], adminPassword, "x_many", "search_count", []any{[]any{[]any{"x_name", "=", "made on 1"}}}, nil); err != nil || fmt.Sprint(n) != "1" {
		t.Errorf("the custom model on instance 2: %v, %v", n, err)
	}
	if _, err := kw(procs[2], adminPassword, "ir.model.fields", "create", []any{map[string]any{"model_id": mid, "name": "x_size",
		"field_description": "Size", "ttype": "integer"}}, nil); err != nil {
		t.Fatalf("add a custom field on instance 2: %v", err)
	}
	if _, err := kw(procs[0], adminPassword, "x_many", "write", []any{[]any{rec}, map[string]any{"x_size": 3}}, nil); err != nil {
		t.Errorf("the custom field on instance 0: %v", err)
	}
	if _, err := kw(procs[1], adminPassword, "ir.model", "unlink", []any{[]any{mid}}, nil); err != nil {
		t.Fatalf("delete the custom model on instance 1: %v", err)
	}
	for i, p := range procs {
		_, err := kw(p, adminPassword, "x_many", "search_count", []any{[]any{}}, nil)
		if !isFault(err, "odoo.exceptions.UserError") || !strings.Contains(err.Error(), "Object x_many doesn't exist") {
			t.Errorf("the deleted custom model on instance %d = %v, want Object x_many doesn't exist", i, err)
		}
	}

	// The login cool-down counts the failures of every instance: five on
	// instances 0 and 1, then the right password is refused on instance 2
	// (common.login answers False), which saw none of them. It comes
	// last, since it locks the test's address out for a minute.
	login := func(p *proc, password string) any {
		t.Helper()
		uid, err := call(ctx, newClient(), p.base, "common", "login", db, "admin", password)
		if err != nil {
			t.Fatalf("login: %v", err)
		}
		return uid
	}
	if uid := login(procs[2], adminPassword); uid != float64(2) {
		t.Fatalf("login on instance 2 before the failures = %v, want 2", uid)
	}
	for n := range 5 {
		if uid := login(procs[n%2], "wrong"); uid != false {
			t.Fatalf("a wrong password answered %v", uid)
		}
	}
	if uid := login(procs[2], adminPassword); uid != false {
		t.Errorf("a login on instance 2 after five failures on the others = %v, want False (the cool-down)", uid)
	}
}

// webLogin authenticates on p's /web/session/authenticate and returns the
// session cookie.
func webLogin(t *testing.T, p *proc, db, login, password string) *http.Cookie {
	t.Helper()
	resp, err := webPost(p, nil, "/web/session/authenticate", map[string]any{"db": db, "login": login, "password": password})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "session_id" {
			return c
		}
	}
	b, _ := io.ReadAll(resp.Body)
	t.Fatalf("no session cookie from /web/session/authenticate: %s", b)
	return nil
}

// webCallKw calls a model method with a session cookie on p.
func webCallKw(p *proc, cookie *http.Cookie, model, method string, args []any) (any, error) {
	return readAnswer(webPost(p, cookie, "/web/dataset/call_kw", map[string]any{"model": model, "method": method, "args": args, "kwargs": map[string]any{}}))
}

// webPost posts a JSON-RPC request of the web client to path on p.
func webPost(p *proc, cookie *http.Cookie, path string, params map[string]any) (*http.Response, error) {
	return postJSONRPC(context.Background(), newClient(), p.base+path, cookie, params)
}
