package auth_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// countingDB is a pool that counts the statements run through it.
type countingDB struct {
	*bun.DB
	n atomic.Int64
}

func (c *countingDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	return c.DB.QueryContext(ctx, q, args...)
}

func (c *countingDB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	c.n.Add(1)
	return c.DB.QueryRowContext(ctx, q, args...)
}

func (c *countingDB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	c.n.Add(1)
	return c.DB.ExecContext(ctx, q, args...)
}

// warmUp runs check until it runs no statement on db and reports whether
// it got there. Before each try it waits for what makes the next try
// warmer: the listener of PostgreSQL up (it comes up after the first use)
// and the key ids loaded in the background. Four tries cover a cold one,
// one while the listener comes up, one that starts the loading, and the
// warm one.
func warmUp(t *testing.T, e *itest.Env, db *countingDB, bg *itest.Background, check func() error, wantErr bool) bool {
	t.Helper()
	for range 4 {
		itest.AwaitFeeds(t, e.DB)
		bg.Wait(t)
		before := db.n.Load()
		err := check()
		if (err != nil) != wantErr {
			t.Fatalf("check: %v, want error %v", err, wantErr)
		}
		if db.n.Load() == before {
			return true
		}
	}
	return false
}

// keyChecks are a native key and a header key made for a test, and the
// checks of those keys and of the admin's password from one address, on a
// pool that counts their statements.
type keyChecks struct {
	pool           *bun.DB
	db             *countingDB
	native, header services.NewKeyResult
	checks         map[string]func() error
}

func newKeyChecks(t *testing.T, e *itest.Env, name, ip string) keyChecks {
	t.Helper()
	ctx := context.Background()
	pool, err := e.Store.Open(ctx, e.DB)
	if err != nil {
		t.Fatal(err)
	}
	k := keyChecks{pool: pool, db: &countingDB{DB: pool}}
	a := e.Set.Authenticator()
	if k.native, err = e.Set.Database.CreateAPIKey(ctx, e.DB, services.KeyOptions{Login: "admin", Name: name}); err != nil {
		t.Fatal(err)
	}
	if k.header, err = e.Set.Database.CreateAPIKey(ctx, e.DB, services.KeyOptions{Kind: services.KeyHeader, Login: "demo", Name: itest.UniqueName(name + "_")}); err != nil {
		t.Fatal(err)
	}
	k.checks = map[string]func() error{
		"native key": func() error { return a.Check(ctx, k.db, e.DB, 2, k.native.Clear, ip) },
		"password":   func() error { return a.Check(ctx, k.db, e.DB, 2, itest.AdminPassword, ip) },
		"header key": func() error {
			_, err := a.HeaderKey(ctx, k.db, e.DB, k.header.Clear, ip)
			return err
		},
	}
	return k
}

// TestForgetKeys: after Authenticator.ForgetKeys, the next check of a
// native key reads and verifies it again, as after a change to it, while
// what the process remembers of passwords and header keys stays.
func TestForgetKeys(t *testing.T) {
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		k := newKeyChecks(t, e, "forget", "192.0.2.20")
		db, a, checks := k.db, e.Set.Authenticator(), k.checks
		bg := itest.TrackBackground(a)
		for name, check := range checks {
			if !warmUp(t, e, db, bg, check, false) {
				t.Fatalf("a warm %s check still runs statements", name)
			}
		}
		a.ForgetKeys(e.DB)
		for _, name := range []string{"password", "header key"} {
			before := db.n.Load()
			if err := checks[name](); err != nil || db.n.Load() != before {
				t.Errorf("%s after ForgetKeys: %v, %d statements; want it still warm", name, err, db.n.Load()-before)
			}
		}
		before := db.n.Load()
		if err := checks["native key"](); err != nil || db.n.Load() == before {
			t.Errorf("native key after ForgetKeys: %v, %d statements; want it read again", err, db.n.Load()-before)
		}
	})
}

// TestKeyCache: a warm check of a key, a password, an unknown key or a
// header key runs no statement at all (the cache of credential rows), and
// any committed change to credentials, made by this process, by another one
// or by hand, is seen at the next check.
func TestKeyCache(t *testing.T) {
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		ctx := context.Background()
		k := newKeyChecks(t, e, "cache", "192.0.2.10")
		pool, db, a, checks, native, header := k.pool, k.db, e.Set.Authenticator(), k.checks, k.native, k.header
		unknown, _, _, err := auth.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		bg := itest.TrackBackground(a)
		warm := func(check func() error, wantErr bool) bool { return warmUp(t, e, db, bg, check, wantErr) }
		for name, check := range checks {
			if !warm(check, false) {
				t.Errorf("a warm %s check still runs statements", name)
			}
		}
		if !warm(func() error { return a.Check(ctx, db, e.DB, 2, unknown, "192.0.2.11") }, true) {
			t.Error("a second unknown key is looked up again")
		}
		// Once the set of key ids is loaded, a key id never seen before is
		// refused without a statement too.
		var fresh atomic.Int64
		if !warm(func() error {
			k, _, _, err := auth.NewKey()
			if err != nil {
				t.Fatal(err)
			}
			// A new address each time: the limiter must not be what spares
			// the read.
			n := fresh.Add(1)
			return a.Check(ctx, db, e.DB, 2, k, fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255))
		}, true) {
			t.Error("a key id never seen before is looked up")
		}
		if bg.Count() == 0 {
			t.Error("the key ids were not loaded through Authenticator.Spawn")
		}

		// A change made by another process (here: by hand) is seen at the
		// next check, and the rows are cached again after it.
		itest.HandSQL(t, e.Store, pool, e.DB, "UPDATE auth_api_key SET active = ? WHERE id = ?", false, header.ID)
		if _, err := a.HeaderKey(ctx, db, e.DB, header.Clear, "192.0.2.12"); models.KindOf(err) != models.KindAccessDenied {
			t.Fatalf("archived header key: %v, want AccessDenied", err)
		}
		itest.HandSQL(t, e.Store, pool, e.DB, "DELETE FROM res_users_apikeys WHERE id = ?", native.ID)
		if err := a.Check(ctx, db, e.DB, 2, native.Clear, "192.0.2.13"); models.KindOf(err) != models.KindAccessDenied {
			t.Fatalf("deleted key: %v, want AccessDenied", err)
		}
		if !warm(checks["password"], false) {
			t.Error("the password check is not cached again after a change")
		}

		// Emptying a table by hand (TRUNCATE on PostgreSQL, DELETE on
		// SQLite) is seen too.
		second, err := e.Set.Database.CreateAPIKey(ctx, e.DB, services.KeyOptions{Kind: services.KeyHeader, Login: "demo", Name: itest.UniqueName("cache_")})
		if err != nil {
			t.Fatal(err)
		}
		secondCheck := func() error {
			_, err := a.HeaderKey(ctx, db, e.DB, second.Clear, "192.0.2.15")
			return err
		}
		if !warm(secondCheck, false) {
			t.Fatal("a warm header key check still runs statements")
		}
		empty := "DELETE FROM auth_api_key"
		if e.Store.Dialect() == "pg" {
			empty = "TRUNCATE auth_api_key CASCADE"
		}
		itest.HandSQL(t, e.Store, pool, e.DB, empty)
		if err := secondCheck(); models.KindOf(err) != models.KindAccessDenied {
			t.Fatalf("header key after its table was emptied: %v, want AccessDenied", err)
		}

		// A change committed by godoo in this process is seen at once.
		if _, f := itest.KwAs(t, itest.JSONCaller{Base: e.Srv.URL}, e.DB, 2, itest.AdminPassword, "res.users", "write", []any{2}, map[string]any{"password": "other-Admin-9"}); f != nil {
			t.Fatalf("password change: %v", f)
		}
		if err := a.Check(ctx, db, e.DB, 2, itest.AdminPassword, "192.0.2.14"); models.KindOf(err) != models.KindAccessDenied {
			t.Fatalf("old password after a change: %v, want AccessDenied", err)
		}
	})
}

// twoInstances returns a JSON-RPC caller of e's server and one of a
// second services instance on the same store, as a second process has it.
func twoInstances(t *testing.T, e *itest.Env) (a, b itest.JSONCaller) {
	setB := itest.NewSet(e.Store, services.Config{})
	srvB := httptest.NewServer(itest.NewHandler(t, setB, godoorpc.Options{}))
	t.Cleanup(srvB.Close)
	return itest.JSONCaller{Base: e.Srv.URL}, itest.JSONCaller{Base: srvB.URL}
}

// TestAccessCache: access verdicts and record rules are cached across calls
// and processes, and a change to rules or access rights made through one
// process holds at the next call in another, once the change's notice
// reached it (settle).
func TestAccessCache(t *testing.T) {
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		a, b := twoInstances(t, e)
		demo, _ := a.Call(t, "common", "login", e.DB, "demo", "demo")
		mine := e.MustKw(t, a, "res.partner", "create", []any{map[string]any{"name": "Cache mine"}}, nil).(int64)
		other := e.MustKw(t, a, "res.partner", "create", []any{map[string]any{"name": "Cache other", "ref": "hidden-cache"}}, nil).(int64)
		search := func(c itest.Caller) any {
			t.Helper()
			v, f := c.Call(t, "object", "execute_kw", e.DB, demo, "demo", "res.partner", "search", []any{[]any{[]any{"id", "in", []any{mine, other}}}})
			if f != nil {
				t.Fatalf("search: %v", f)
			}
			return v
		}
		both := []any{mine, other}
		for _, c := range []itest.Caller{a, b, a, b} { // warm: verdicts and rules cached
			itest.Equal(t, "demo's search before the rule", search(c), both)
		}
		model := e.MustKw(t, a, "ir.model", "search", []any{[]any{[]any{"model", "=", "res.partner"}}}, nil).([]any)[0]
		rule := e.MustKw(t, a, "ir.rule", "create", []any{map[string]any{"name": "cache rule", "model_id": model,
			"domain_force": `["|", ["ref", "=", false], ["ref", "not like", "hidden-"]]`}}, nil)
		e.Settle(t) // B has the notice of A's change
		for _, c := range []itest.Caller{b, a} {
			itest.Equal(t, "demo's search after the rule", search(c), []any{mine})
		}
		e.MustKw(t, a, "ir.rule", "unlink", []any{[]any{rule}}, nil)
		e.Settle(t)
		for _, c := range []itest.Caller{b, a} {
			itest.Equal(t, "demo's search after the rule went", search(c), both)
		}

		// Access rights: demo loses, then regains, read on res.partner.
		acl := e.MustKw(t, a, "ir.model.access", "search", []any{[]any{[]any{"model_id", "=", model}, []any{"perm_read", "=", true}}}, nil).([]any)
		e.MustKw(t, a, "ir.model.access", "write", []any{acl, map[string]any{"active": false}}, nil)
		e.Settle(t)
		_, f := b.Call(t, "object", "execute_kw", e.DB, demo, "demo", "res.partner", "search", []any{[]any{}})
		itest.WantFault(t, b.Protocol(), f, 4, "You are not allowed to access 'Contact' (res.partner) records.")
		e.MustKw(t, a, "ir.model.access", "write", []any{acl, map[string]any{"active": true}}, nil)
		e.Settle(t)
		itest.Equal(t, "demo's search with read again", search(b), both)
	})
}

// TestAccessCacheCompanies checks, on both stores, that a change to the
// companies made through one services instance is seen at the next call
// by another on the same database: Odoo's multi-company rule of
// res.partner (company_id parent_of the user's companies) is kept bound to
// the companies it named, and the change must move that. The hierarchy of
// an existing company is fixed (res.company refuses a new parent), so the
// change is the one Odoo allows: a new branch under the user's company,
// which the user is given.
func TestAccessCacheCompanies(t *testing.T) {
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		a, b := twoInstances(t, e)
		kw := func(model, method string, args ...any) any { return e.MustKw(t, a, model, method, args, nil) }
		company := func(name string, vals map[string]any) int64 {
			vals["name"] = name
			return kw("res.company", "create", vals).(int64)
		}
		parent := company("Cache Parent", map[string]any{})
		child := company("Cache Child", map[string]any{"parent_id": parent})
		other := company("Cache Other", map[string]any{})
		partner := func(name string, company any) int64 {
			return kw("res.partner", "create", map[string]any{"name": name, "company_id": company}).(int64)
		}
		inParent, inChild, inOther := partner("Of the parent", parent), partner("Of the child", child), partner("Of the other", other)
		login := itest.UniqueName("hier_")
		uid := kw("res.users", "create", map[string]any{"name": login, "login": login, "password": "x-Secret-1",
			"company_ids": []any{[]any{int64(6), int64(0), []any{child}}}, "company_id": child}).(int64)
		ids := []any{inParent, inChild, inOther}
		search := func(c itest.Caller) any {
			t.Helper()
			v, f := c.Call(t, "object", "execute_kw", e.DB, uid, "x-Secret-1", "res.partner", "search",
				[]any{[]any{[]any{"id", "in", ids}}}, map[string]any{"order": "id"})
			if f != nil {
				t.Fatalf("search: %v", f)
			}
			return v
		}
		for _, c := range []itest.Caller{a, b, a, b} { // warm: the rule bound in both
			itest.Equal(t, "the user's search under the parent", search(c), []any{inParent, inChild})
		}
		branch := company("Cache Branch", map[string]any{"parent_id": child})
		inBranch := partner("Of the branch", branch)
		ids = append(ids, inBranch)
		kw("res.users", "write", []any{uid}, map[string]any{"company_ids": []any{[]any{int64(4), branch, int64(0)}}})
		e.Settle(t) // B has the notice of A's change
		for _, c := range []itest.Caller{b, a} {
			itest.Equal(t, "the user's search with the branch", search(c), []any{inParent, inChild, inBranch})
		}
	})
}

// TestSeparateStores: two stores opened apart on one database, as two godoo
// processes have them (their own pools, their own LISTEN connection or WAL
// index mapping): a key revoked through one is refused by the other, and a
// key made through one works on the other, at its first check after the
// notice of the change reached it (settle; at once on SQLite). A
// revocation holds on the other at once: the process that commits it
// waits for the other's acknowledgement.
func TestSeparateStores(t *testing.T) {
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		ctx := context.Background()
		other := itest.OtherStore(t, e)
		setB := itest.NewSet(other, services.Config{})
		poolB, err := other.Open(ctx, e.DB)
		if err != nil {
			t.Fatal(err)
		}
		b := setB.Authenticator()
		bgB := itest.TrackBackground(b)
		countB := &countingDB{DB: poolB}
		for i := range 3 {
			k, err := e.Set.Database.CreateAPIKey(ctx, e.DB, services.KeyOptions{Login: "admin", Name: fmt.Sprintf("separate %d", i)})
			if err != nil {
				t.Fatal(err)
			}
			// Made through A, used on B as soon as B has the notice, then
			// warm on B: checked without a statement (once B's listener is
			// up, or its WAL index mapped, and its key ids loaded).
			itest.Settle(t, e.Store, e.DB)
			warm := false
			for try := 0; try < 4 && !warm; try++ {
				itest.AwaitFeeds(t, e.DB)
				bgB.Wait(t)
				before := countB.n.Load()
				if err := b.Check(ctx, countB, e.DB, 2, k.Clear, "192.0.2.20"); err != nil {
					t.Fatalf("B refuses a key A just made: %v", err)
				}
				warm = countB.n.Load() == before
			}
			if !warm {
				t.Fatal("B's check of a used key still runs statements")
			}
			// No settle: the revocation answers once B acknowledged it.
			if _, err := e.Set.Database.RevokeAPIKeys(ctx, e.DB, services.KeyFilter{IDs: []int64{k.ID}}); err != nil {
				t.Fatal(err)
			}
			if err := b.Check(ctx, countB, e.DB, 2, k.Clear, "192.0.2.20"); models.KindOf(err) != models.KindAccessDenied {
				t.Fatalf("B after A revoked the key: %v, want AccessDenied", err)
			}
		}
	})
}
