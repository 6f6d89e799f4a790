package services

import (
	"context"
	"errors"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/uptrace/bun"
)

// TestRunRetries checks the transaction runner: serialization failures are
// retried up to MaxTries with a fresh transaction each time, other errors
// are returned at once, a failed attempt leaves nothing behind, and commit
// hooks run only after a successful commit.
func TestRunRetries(t *testing.T) {
	set, db := testDatabase(t, "retry")
	ctx := context.Background()
	partners := set.Registry().Model("res.partner")
	countNamed := func(name string) int64 {
		n, err := set.core.run(ctx, db, models.SuperuserID, true, func(ctx context.Context, env *models.Env) (any, error) {
			return env.SearchCount(ctx, partners, []any{[]any{"name", "=", name}}, 0)
		})
		if err != nil {
			t.Fatal(err)
		}
		return n.(int64)
	}

	cases := []struct {
		name      string
		failures  int   // attempts that fail before success
		err       error // the failure
		wantTries int
		wantErr   models.Kind
		wantRows  int64
	}{
		{"succeeds after retries", 3, models.Retryable(errors.New("could not serialize access")), 4, -1, 1},
		{"gives up after MaxTries", 100, models.Retryable(errors.New("deadlock detected")), MaxTries, models.KindRetryable, 0},
		{"user errors are not retried", 100, models.UserErrorf("no"), 1, models.KindUser, 0},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name := "retry partner " + string(rune('A'+i))
			tries, hooks := 0, 0
			_, err := set.core.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
				tries++
				if _, err := env.Create(ctx, partners, map[string]any{"name": name}); err != nil {
					return nil, err
				}
				env.OnCommit(func() { hooks++ })
				if tries <= tc.failures {
					return nil, tc.err
				}
				return true, nil
			})
			if tries != tc.wantTries {
				t.Errorf("tries = %d, want %d", tries, tc.wantTries)
			}
			if tc.wantErr >= 0 {
				if models.KindOf(err) != tc.wantErr {
					t.Errorf("err = %v, want kind %v", err, tc.wantErr)
				}
			} else if err != nil {
				t.Errorf("err = %v", err)
			}
			if got := countNamed(name); got != tc.wantRows {
				t.Errorf("rows written = %d, want %d (failed attempts must roll back)", got, tc.wantRows)
			}
			if want := int(tc.wantRows); hooks != want {
				t.Errorf("commit hooks ran %d times, want %d", hooks, want)
			}
		})
	}
}

// testDatabase makes a SQLite store in a temporary directory, with opts,
// and a database name in it, and returns the services and the database's
// pool, opened as calls open it.
func testDatabase(t testing.TB, name string, opts ...sqlitestore.Option) (*Set, *bun.DB) {
	t.Helper()
	set := testSet(t, t.TempDir(), opts...)
	copyTemplate(t, set, name)
	db, err := set.core.open(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return set, db
}

// testSet is the services over a SQLite store in dir.
func testSet(t testing.TB, dir string, opts ...sqlitestore.Option) *Set {
	t.Helper()
	store, err := sqlitestore.New(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	set := NewSet(store, Config{})
	// Few rounds: these tests are not about hashing, which auth tests.
	set.core.auth.Rounds = 1000
	return set
}
