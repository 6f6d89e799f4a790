package services

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

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
// the store only until this process has opened it, and still refuse an
// unknown one.
func TestSelectDBLooksUpOnce(t *testing.T) {
	inner, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	store := &existsCounter{Store: inner}
	set := NewSet(store, Config{})
	ctx := context.Background()
	if err := set.Database.Create(ctx, "routes", CreateOptions{AdminPassword: "x-admin-1"}); err != nil {
		t.Fatal(err)
	}
	set = NewSet(store, Config{}) // a process that has not opened it yet
	w := &Web{set.core}
	before := store.n.Load()
	for range 3 {
		if _, name, err := w.selectDB(ctx, "routes"); err != nil || name != "routes" {
			t.Fatalf("selectDB: %q, %v", name, err)
		}
	}
	if n := store.n.Load() - before; n != 1 {
		t.Fatalf("%d look-ups for three selections of one database, want 1", n)
	}
	var re *RouteError
	if _, _, err := w.selectDB(ctx, "nosuchdb"); !errors.As(err, &re) || re.Reason != ReasonUnknownDatabase {
		t.Fatalf("unknown database: %v, want ReasonUnknownDatabase", err)
	}
}
