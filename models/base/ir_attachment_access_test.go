package base_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestAttachmentRuleReadsItsRecords checks that the record rule of
// ir.attachment reads the records of the attachments a call is about (those
// its search's domain matches, or the ids it reads), not those of every
// attachment, and that what a user sees is unchanged: the attachments of
// records they read, not those of a model godoo does not serve, nor one
// that names itself as its record (which once asked the rule again without
// end).
func TestAttachmentRuleReadsItsRecords(t *testing.T) {
	storetest.EachFrom(t, installed, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r, inTx := baseDB(t, s, db)
		att := r.Model("ir.attachment")
		var atts []int64
		var partners []int64
		var user, self int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			var err error
			if partners, atts, err = storetest.Attached(ctx, env, att, "res_model", "name", "P1", "P2", "P3", "P4", "P5"); err != nil {
				return err
			}
			if self, err = storetest.SelfAttached(ctx, env, att, "res_model", "name"); err != nil {
				return err
			}
			user, err = storetest.InternalUser(ctx, env, "clerk")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		storetest.CheckRuleReads(t, db, inTx, user, "SELECT DISTINCT t0.res_model, t0.res_id", []storetest.RuleRead{
			{Name: "search of one record's attachments", Run: func(env *models.Env) ([]int64, error) {
				return env.Search(ctx, att, []any{[]any{"res_model", "=", "res.partner"}, []any{"res_id", "=", partners[1]}}, models.SearchOptions{})
			}, Want: atts[1:2], Rows: 1},
			{Name: "read of one attachment", Run: func(env *models.Env) ([]int64, error) {
				return readIDs(ctx, env, att, atts[2:3])
			}, Want: atts[2:3], Rows: 1},
			{Name: "search of every attachment", Run: func(env *models.Env) ([]int64, error) {
				return env.Search(ctx, att, []any{}, models.SearchOptions{Order: "id"})
			}, Want: atts, Rows: 7},
			{Name: "search of an attachment of itself", Run: func(env *models.Env) ([]int64, error) {
				return env.Search(ctx, att, []any{[]any{"id", "=", self}}, models.SearchOptions{})
			}, Want: nil, Rows: 1},
		})
	})
}

// readIDs reads ids of m and returns the ids read.
func readIDs(ctx context.Context, env *models.Env, m *models.Model, ids []int64) ([]int64, error) {
	recs, err := env.Read(ctx, m, ids, []string{"display_name"}, false)
	var out []int64
	for _, rec := range recs {
		out = append(out, rec["id"].(int64))
	}
	return out, err
}
