package services

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/sqlitestore"
)

// existsCounter is a store that counts its look-ups of database names.
type existsCounter struct {
	models.Store
	n atomic.Int32
}

func (s *existsCounter) Exists(ctx context.Context, name string) (bool, error) {
	s.n.Add(1)
	return s.Store.Exists(ctx, name)
}

// TestSelectDBLooksUpOnce checks that the web routes look a database up in
// the store at most once a second, still refuse an unknown one, and refuse
// a dropped one: at once when this process dropped it, within the second
// when another did.
func TestSelectDBLooksUpOnce(t *testing.T) {
	inner, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	store := &existsCounter{Store: inner}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	ctx := context.Background()
	admin := NewSet(store, Config{Now: clock})
	admin.core.auth.Rounds = 1000 // the admin hashes of the databases are not what this tests
	for _, name := range []string{"routes", "other"} {
		if err := admin.Database.Create(ctx, name, CreateOptions{AdminPassword: "x-admin-1"}); err != nil {
			t.Fatal(err)
		}
	}
	set := NewSet(store, Config{Now: clock}) // another process
	w := set.Auth
	unknown := func(name string) {
		t.Helper()
		if _, _, err := w.selectDB(ctx, name); models.KindOf(err) != models.KindNotFound || models.ReasonOf(err) != models.ReasonUnknownDatabase {
			t.Fatalf("selectDB(%s): %v, want ReasonUnknownDatabase", name, err)
		}
	}
	before := store.n.Load()
	for range 3 {
		if _, name, err := w.selectDB(ctx, "routes"); err != nil || name != "routes" {
			t.Fatalf("selectDB: %q, %v", name, err)
		}
	}
	if n := store.n.Load() - before; n != 1 {
		t.Fatalf("%d look-ups for three selections within a second, want 1", n)
	}
	now = now.Add(2 * foundFor)
	if _, _, err := w.selectDB(ctx, "routes"); err != nil {
		t.Fatal(err)
	}
	if n := store.n.Load() - before; n != 2 {
		t.Fatalf("%d look-ups after the second passed, want 2", n)
	}
	unknown("nosuchdb")

	// Dropped by this process: refused at once.
	if _, _, err := w.selectDB(ctx, "other"); err != nil {
		t.Fatal(err)
	}
	if ok, err := set.Database.DropNoCheck(ctx, "other"); err != nil || !ok {
		t.Fatalf("drop: %v %v", ok, err)
	}
	unknown("other")

	// Dropped by another process: refused once the second has passed.
	if ok, err := admin.Database.DropNoCheck(ctx, "routes"); err != nil || !ok {
		t.Fatalf("drop: %v %v", ok, err)
	}
	now = now.Add(2 * foundFor)
	unknown("routes")
}
