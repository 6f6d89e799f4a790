package mail_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestMessageRuleReadsItsRecords checks that the record rule of
// mail.message reads the records of the messages a call is about (those its
// search's domain matches, or the ids it reads), not those of every
// message, and that a user still sees the messages of the records they
// read and not those of a model godoo does not serve, nor a message that
// names itself as its record (which once asked the rule again without end).
func TestMessageRuleReadsItsRecords(t *testing.T) {
	storetest.EachInstalled(t, withMail, func(t *testing.T, s models.Store, db *bun.DB, r *models.Registry, inTx storetest.InTx) {
		ctx := context.Background()
		msg := r.Model("mail.message")
		var msgs []int64
		var partners []int64
		var user, self int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			env = env.WithContext(map[string]any{"tracking_disable": true})
			var err error
			if partners, msgs, err = storetest.Attached(ctx, env, msg, "model", "body", "P1", "P2", "P3"); err != nil {
				return err
			}
			if self, err = storetest.SelfAttached(ctx, env, msg, "model", "body"); err != nil {
				return err
			}
			user, err = storetest.InternalUser(ctx, env, "clerk")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		storetest.CheckRuleReads(t, db, inTx, user, "SELECT DISTINCT t0.model, t0.res_id", []storetest.RuleRead{
			{Name: "search of one record's messages", Run: func(env *models.Env) ([]int64, error) {
				return env.Search(ctx, msg, []any{[]any{"model", "=", "res.partner"}, []any{"res_id", "=", partners[1]}}, models.SearchOptions{})
			}, Want: msgs[1:2], Rows: 1},
			{Name: "read of one message", Run: func(env *models.Env) ([]int64, error) {
				recs, err := env.Read(ctx, msg, msgs[2:3], []string{"body"}, false)
				if err != nil || len(recs) != 1 {
					return nil, err
				}
				return []int64{recs[0]["id"].(int64)}, nil
			}, Want: msgs[2:3], Rows: 1},
			{Name: "search of the messages of a model godoo does not serve", Run: func(env *models.Env) ([]int64, error) {
				return env.Search(ctx, msg, []any{[]any{"model", "=", "x.unserved"}}, models.SearchOptions{})
			}, Want: nil, Rows: 1},
			{Name: "search of a message of itself", Run: func(env *models.Env) ([]int64, error) {
				return env.Search(ctx, msg, []any{[]any{"id", "=", self}}, models.SearchOptions{})
			}, Want: nil, Rows: 1},
		})
	})
}
