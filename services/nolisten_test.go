package services

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models/pgstore"
)

// TestNoListen checks, on PostgreSQL, a Set that does not listen on the
// invalidation feed (Config.NoListen, the command line's): it works with a
// listen URL that reaches no server, never watches the feed, checks
// credentials uncached, and a change it commits reaches a listening
// server's cache before the call returns (its triggers notify, and it
// waits until every listener handled the notice).
func TestNoListen(t *testing.T) {
	dsn := os.Getenv("GODOO_TEST_DSN")
	if dsn == "" {
		t.Skip("GODOO_TEST_DSN is not set: PostgreSQL is not tested")
	}
	ctx := context.Background()
	name := fmt.Sprintf("nolisten_unit_%d", os.Getpid())
	newSet := func(cfg Config, opts ...pgstore.Option) *Set {
		store, err := pgstore.New(dsn, opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		cfg.RefusalDelay = -1
		set := NewSet(store, cfg)
		set.core.auth.Rounds = 1000
		return set
	}
	server := newSet(Config{})
	_ = server.core.store.Drop(ctx, name)
	if err := server.Database.Create(ctx, name, CreateOptions{AdminPassword: "x-admin-1"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = server.core.store.Drop(context.Background(), name) })
	if !server.core.auth.WatchFeed(name, 10*time.Second) {
		t.Fatal("the server's feed did not come up")
	}
	check := func(set *Set, pw string) error {
		_, err := set.Auth.Password(ctx, Credentials{DB: name, UID: 2, Password: pw})
		return err
	}
	for range 2 { // the second check is served from the server's cache
		if err := check(server, "x-admin-1"); err != nil {
			t.Fatalf("the server refuses the password: %v", err)
		}
	}

	cli := newSet(Config{NoListen: true}, pgstore.WithListen("postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=1"))
	if err := check(cli, "x-admin-1"); err != nil {
		t.Fatalf("the command line's Set refuses the password: %v", err)
	}
	admin := auth.Identity{DB: name, UID: 2}
	if _, err := cli.Object.Execute(ctx, admin, "res.users", "write", []any{[]any{int64(2)}, map[string]any{"password": "x-admin-2"}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := check(server, "x-admin-1"); err == nil {
		t.Error("the server still takes the password the command line changed")
	}
	if err := check(server, "x-admin-2"); err != nil {
		t.Errorf("the server refuses the new password: %v", err)
	}
	if err := check(cli, "x-admin-2"); err != nil {
		t.Errorf("the command line's Set refuses the new password: %v", err)
	}
	if watched, _ := cli.core.auth.FeedState(name); watched {
		t.Error("the command line's Set watches the invalidation feed")
	}
}
