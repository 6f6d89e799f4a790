package integration_test

import (
	"context"
	"database/sql"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/auth"
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

// TestKeyCache: a warm check of a key, a password, an unknown key or a
// header key runs no statement at all (the cache of credential rows), and
// any committed change to credentials, made by this process, by another one
// or by hand, is seen at the next check.
func TestKeyCache(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		pool, err := e.store.Open(ctx, e.db)
		if err != nil {
			t.Fatal(err)
		}
		db := &countingDB{DB: pool}
		a := e.set.Authenticator()
		native, err := e.set.Database.CreateAPIKey(ctx, e.db, services.KeyOptions{Login: "admin", Name: "cache"})
		if err != nil {
			t.Fatal(err)
		}
		header, err := e.set.Database.CreateAPIKey(ctx, e.db, services.KeyOptions{Kind: services.KeyHeader, Login: "demo", Name: uniqueName("cache_")})
		if err != nil {
			t.Fatal(err)
		}
		unknown, _, _, err := auth.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		checks := map[string]func() error{
			"native key": func() error { return a.Check(ctx, db, e.db, 2, native.Clear, "192.0.2.10") },
			"password":   func() error { return a.Check(ctx, db, e.db, 2, adminPassword, "192.0.2.10") },
			"header key": func() error {
				_, _, err := a.HeaderKey(ctx, db, e.db, header.Clear, "192.0.2.10")
				return err
			},
		}
		// statements runs check until it runs no statement (the feed of
		// PostgreSQL comes up shortly after the first use) and reports
		// whether it got there.
		warm := func(check func() error, wantErr bool) bool {
			deadline := time.Now().Add(5 * time.Second)
			for time.Now().Before(deadline) {
				before := db.n.Load()
				err := check()
				if (err != nil) != wantErr {
					t.Fatalf("check: %v, want error %v", err, wantErr)
				}
				if db.n.Load() == before {
					return true
				}
				time.Sleep(5 * time.Millisecond)
			}
			return false
		}
		for name, check := range checks {
			if !warm(check, false) {
				t.Errorf("a warm %s check still runs statements", name)
			}
		}
		if !warm(func() error { return a.Check(ctx, db, e.db, 2, unknown, "192.0.2.11") }, true) {
			t.Error("a second unknown key is looked up again")
		}

		// A change made by another process (here: by hand) is seen at the
		// next check, and the rows are cached again after it.
		handSQL(t, e.store, pool, e.db, "UPDATE auth_api_key SET active = ? WHERE id = ?", false, header.ID)
		if _, _, err := a.HeaderKey(ctx, db, e.db, header.Clear, "192.0.2.12"); models.KindOf(err) != models.KindAccessDenied {
			t.Fatalf("archived header key: %v, want AccessDenied", err)
		}
		handSQL(t, e.store, pool, e.db, "DELETE FROM res_users_apikeys WHERE id = ?", native.ID)
		if err := a.Check(ctx, db, e.db, 2, native.Clear, "192.0.2.13"); models.KindOf(err) != models.KindAccessDenied {
			t.Fatalf("deleted key: %v, want AccessDenied", err)
		}
		if !warm(checks["password"], false) {
			t.Error("the password check is not cached again after a change")
		}

		// A change committed by godoo in this process is seen at once.
		if _, f := authKw(t, jsonCaller{e.srv.URL}, e.db, 2, adminPassword, "res.users", "write", []any{2}, map[string]any{"password": "other-Admin-9"}); f != nil {
			t.Fatalf("password change: %v", f)
		}
		if err := a.Check(ctx, db, e.db, 2, adminPassword, "192.0.2.14"); models.KindOf(err) != models.KindAccessDenied {
			t.Fatalf("old password after a change: %v, want AccessDenied", err)
		}
	})
}
