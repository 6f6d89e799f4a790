package auth_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/storetest"
)

// upFeed is a feed that is up at once and never notifies.
type upFeed struct{}

func (upFeed) WatchAuth(_ string, on func(models.AuthEvent)) func() {
	on(models.AuthFeedUp)
	return func() {}
}

// TestCachedRowsLiveOnClock checks that the credential rows a check read
// live their bounded life on the Authenticator's clock (Now), not the wall
// clock's: a check within it reads nothing again, one past it reads the
// user's row again.
func TestCachedRowsLiveOnClock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r := storetest.Base(t)
		storetest.Migrate(t, s, db)
		if _, err := models.EnsureSchema(ctx, db, s.Dialect(), r); err != nil {
			t.Fatal(err)
		}
		a := auth.New(slog.New(slog.DiscardHandler))
		a.Rounds = 1000
		now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		a.Now = func() time.Time { return now }
		a.Feed = upFeed{}
		hash, err := a.Hash("pw-Secret-1")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			env := models.NewEnv(tx, s.Dialect(), r, s.Classify, models.SuperuserID, now)
			if err := base.Install(ctx, env, base.Options{}); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "UPDATE res_users SET password = ? WHERE id = 2", hash)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		count := &storetest.StatementCounter{}
		db.AddQueryHook(count)
		check := func() int64 {
			t.Helper()
			before := count.N.Load()
			if err := a.Check(ctx, db, "rows", 2, "pw-Secret-1", ""); err != nil {
				t.Fatal(err)
			}
			return count.N.Load() - before
		}
		check()
		warm := check()
		now = now.Add(30 * time.Second)
		if n := check(); n != warm {
			t.Errorf("a check within the rows' life ran %d statements, want %d", n, warm)
		}
		now = now.Add(time.Hour)
		if n := check(); n <= warm {
			t.Errorf("a check past the rows' life ran %d statements, as a warm one (%d): the rows were kept", n, warm)
		}
	})
}
