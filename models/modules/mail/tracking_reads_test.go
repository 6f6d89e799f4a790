package mail_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestTrackingReadsWhatAWriteChanges checks that a write reads the tracked
// fields it can change and no other: a partner's website, which no tracked
// field is or is computed from, reads none (not its email), while its
// email is read to be tracked.
func TestTrackingReadsWhatAWriteChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		// portal, whose field of mail.thread res.partner must have too
		// for the thread's behaviour to be laid over it.
		r, inTx := storetest.Modules(t, s, db, "portal")
		partners := r.Model("res.partner")
		var p int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			var err error
			p, err = env.WithContext(map[string]any{"tracking_disable": true}).Create(ctx, partners,
				map[string]any{"name": "Tracked", "email": "t@example.com"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		email := &storetest.StatementCounter{Table: "t0.email"}
		db.AddQueryHook(email)
		for _, c := range []struct {
			vals  map[string]any
			reads bool
		}{
			{map[string]any{"website": "https://example.com"}, false},
			{map[string]any{"email": "u@example.com"}, true},
		} {
			email.N.Store(0)
			if err := inTx(models.SuperuserID, func(env *models.Env) error {
				return env.Write(ctx, partners, []int64{p}, c.vals)
			}); err != nil {
				t.Fatal(err)
			}
			if n := email.N.Load(); (n > 0) != c.reads {
				t.Errorf("a write of %v: %d statements read the email, want reads %v", c.vals, n, c.reads)
			}
		}
	})
}
