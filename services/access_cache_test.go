package services

import (
	"context"
	"testing"
	"time"

	"github.com/godoo/godoo/models/sqlitestore"
)

// TestAccessCacheLifeOnClock checks that a database's access cache lives
// accessTTL on the Set's clock (Config.Now), not the wall clock's: the
// same cache serves until the clock passes its life, then a new one.
func TestAccessCacheLifeOnClock(t *testing.T) {
	store, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	clk := &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	set := NewSet(store, Config{Now: clk.Now})
	set.core.auth.Rounds = 1000
	copyTemplate(t, set, "ttl")
	db, err := set.core.open(ctx, "ttl")
	if err != nil {
		t.Fatal(err)
	}
	first := set.core.accessCache(ctx, db)
	if first == nil {
		t.Fatal("no access cache")
	}
	clk.advance(accessTTL)
	if got := set.core.accessCache(ctx, db); got != first {
		t.Error("the access cache was renewed within its life")
	}
	clk.advance(time.Second)
	if got := set.core.accessCache(ctx, db); got == first || got == nil {
		t.Error("the access cache outlived its life on the Set's clock")
	}
}
