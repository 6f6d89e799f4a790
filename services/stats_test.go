package services

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestStats: the figures of an open database (its pool, and no feed on
// SQLite) and of the access cache, which a repeated call hits.
func TestStats(t *testing.T) {
	set, db := testDatabase(t, "stats")
	ctx := context.Background()
	for range 2 {
		if _, err := set.core.run(ctx, db, 2, true, func(ctx context.Context, env *models.Env) (any, error) {
			return env.SearchCount(ctx, set.core.registry.Model("res.partner"), []any{}, 0)
		}); err != nil {
			t.Fatal(err)
		}
	}
	st := set.Stats()
	if len(st.DBs) != 1 || st.DBs[0].Name != "stats" || st.DBs[0].Pool.MaxOpenConnections == 0 || st.DBs[0].Feed != FeedNone {
		t.Fatalf("databases %+v, want stats with its pool and no feed", st.DBs)
	}
	if st.Access.Hits == 0 || st.Access.Misses == 0 {
		t.Errorf("access cache %+v, want the first call's misses and the second's hits", st.Access)
	}
}

// TestReady: a store whose databases all open is ready; one with a
// database that cannot be opened is not, and the reason names no
// database.
func TestReady(t *testing.T) {
	dir := t.TempDir()
	set := testSet(t, dir)
	ctx := context.Background()
	copyTemplate(t, set, "fine")
	if err := set.Ready(ctx); err != nil {
		t.Fatalf("ready with one sound database: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "db", "broken_secret_name.sqlite"), []byte("not a database, not at all, not even close to one"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := set.Ready(ctx)
	if !errors.Is(err, ErrNotReady) || strings.Contains(err.Error(), "broken") {
		t.Fatalf("ready with a broken database: %v, want ErrNotReady without its name", err)
	}
}
