package storetest

import (
	"context"
	"os"
	"testing"

	"github.com/godoo/godoo/models/pgstore"
)

// TestDropDeferred: a database DropLater keeps stays until DropDeferred,
// which drops every kept one; without Run, DropLater keeps none.
func TestDropDeferred(t *testing.T) {
	dsn := os.Getenv("GODOO_TEST_DSN")
	if dsn == "" {
		t.Skip("PostgreSQL not tested: GODOO_TEST_DSN is not set")
	}
	if DropLater("never_made") {
		t.Fatal("DropLater kept a name outside Run")
	}
	s, err := pgstore.New(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	drops.mu.Lock()
	drops.deferred = true
	drops.mu.Unlock()
	t.Cleanup(func() {
		drops.mu.Lock()
		drops.deferred = false
		drops.mu.Unlock()
	})
	var names []string
	for range dropWorkers + 2 {
		name := Name()
		if _, err := s.Create(ctx, name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
		if !DropLater(name) {
			t.Fatalf("DropLater(%s) within Run = false", name)
		}
	}
	// The store keeps a pool of each: DropDeferred ends its sessions.
	for _, name := range names {
		if ok, err := s.Exists(ctx, name); err != nil || !ok {
			t.Fatalf("%s before DropDeferred: exists %v, %v", name, ok, err)
		}
	}
	if err := DropDeferred(); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if ok, err := s.Exists(ctx, name); err != nil || ok {
			t.Errorf("%s after DropDeferred: exists %v, %v", name, ok, err)
		}
	}
	if err := DropDeferred(); err != nil {
		t.Errorf("DropDeferred with nothing kept: %v", err)
	}
}
