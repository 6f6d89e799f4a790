package main

import (
	"context"
	"os"
	"testing"

	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/services"
)

// TestCommandsDoNotListen checks that the commands other than serve do not
// LISTEN on the invalidation feed: they run with a listen URL no store
// could use (db_listen_url, which only serve reads), and a process serving
// the database sees the password a command changed at its next login.
// services' TestNoListen shows that a listening server's cache is
// invalidated before the command returns.
func TestCommandsDoNotListen(t *testing.T) {
	dsn := os.Getenv("GODOO_TEST_DSN")
	if dsn == "" {
		t.Skip("GODOO_TEST_DSN is not set: PostgreSQL is not tested")
	}
	isolate(t)
	db := unique("clilisten_")
	t.Cleanup(func() { dropPG(t, dsn, db) })
	t.Setenv("GODOO_DB_URL", dsn)
	t.Setenv("GODOO_DB_LISTEN_URL", "host='unterminated")
	mustRun(t, "", "db", "create", db, "--admin-password", "cli-Admin-1")
	mustRun(t, "", "user", "create", "bob", "--db", db, "--password", "bob-Pw-1")

	store, err := pgstore.New(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	server := newServices(store, services.Config{RefusalDelay: -1})
	ctx := context.Background()
	login := func(pw string) any {
		t.Helper()
		uid, err := server.Common.Login(ctx, db, "bob", pw)
		if err != nil {
			t.Fatal(err)
		}
		return uid
	}
	if uid := login("bob-Pw-1"); uid == false {
		t.Fatal("bob cannot log in")
	}
	mustRun(t, "", "user", "passwd", "bob", "--db", db, "--password", "bob-Pw-2")
	if uid := login("bob-Pw-1"); uid != false {
		t.Error("the server still takes the password the command changed")
	}
	if uid := login("bob-Pw-2"); uid == false {
		t.Error("the server refuses the password the command set")
	}
}
