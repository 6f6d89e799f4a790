package base_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/storetest"
)

// pairsIDB keeps the statements of the attachment rule that read the
// records attachments belong to, with their arguments.
type pairsIDB struct {
	bun.IDB
	stmts []pairsStmt
}

type pairsStmt struct {
	q    string
	args []any
}

func (p *pairsIDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if strings.HasPrefix(q, "SELECT DISTINCT t0.res_model, t0.res_id") {
		p.stmts = append(p.stmts, pairsStmt{q, args})
	}
	return p.IDB.QueryContext(ctx, q, args...)
}

// TestAttachmentRuleReadsItsRecords checks that the record rule of
// ir.attachment reads the records of the attachments a call is about (those
// its search's domain matches, or the ids it reads), not those of every
// attachment, and that what a user sees is unchanged: the attachments of
// records they read, not those of a model godoo does not serve.
func TestAttachmentRuleReadsItsRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r, inTx := baseDB(t, s, db)
		att := r.Model("ir.attachment")
		var atts []int64
		var partners []int64
		var user int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			if err := base.Install(ctx, env, base.Options{}); err != nil {
				return err
			}
			for _, name := range []string{"P1", "P2", "P3", "P4", "P5"} {
				p, err := env.Create(ctx, r.Model("res.partner"), map[string]any{"name": name})
				if err != nil {
					return err
				}
				a, err := env.Create(ctx, att, map[string]any{"name": name + ".txt", "res_model": "res.partner", "res_id": p})
				if err != nil {
					return err
				}
				partners, atts = append(partners, p), append(atts, a)
			}
			if _, err := env.Create(ctx, att, map[string]any{"name": "other", "res_model": "x.unserved", "res_id": int64(1)}); err != nil {
				return err
			}
			gid, err := env.XMLID(ctx, "base.group_user")
			if err != nil {
				return err
			}
			user, err = env.Create(ctx, r.Model("res.users"), map[string]any{"name": "Clerk", "login": "clerk",
				"groups_id": []any{[]any{int64(6), int64(0), []any{gid}}}})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name     string
			run      func(env *models.Env) ([]int64, error)
			want     []int64
			pairRows int64
		}{
			{"search of one record's attachments", func(env *models.Env) ([]int64, error) {
				return env.Search(ctx, att, []any{[]any{"res_model", "=", "res.partner"}, []any{"res_id", "=", partners[1]}}, models.SearchOptions{})
			}, atts[1:2], 1},
			{"read of one attachment", func(env *models.Env) ([]int64, error) {
				recs, err := env.Read(ctx, att, atts[2:3], []string{"name"}, false)
				var ids []int64
				for _, rec := range recs {
					ids = append(ids, rec["id"].(int64))
				}
				return ids, err
			}, atts[2:3], 1},
			{"search of every attachment", func(env *models.Env) ([]int64, error) {
				return env.Search(ctx, att, []any{}, models.SearchOptions{Order: "id"})
			}, atts, 6},
		} {
			t.Run(c.name, func(t *testing.T) {
				var idb *pairsIDB
				var got []int64
				if err := inTx(user, func(env *models.Env) error {
					idb = &pairsIDB{IDB: env.DB}
					env.DB = idb
					var err error
					got, err = c.run(env)
					return err
				}); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("the user sees %v, want %v", got, c.want)
				}
				if len(idb.stmts) == 0 {
					t.Fatal("the rule read no records of attachments")
				}
				var rows int64
				for _, st := range idb.stmts {
					var n int64
					if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+st.q+") x", st.args...).Scan(&n); err != nil {
						t.Fatal(err)
					}
					rows += n
				}
				if rows != c.pairRows {
					t.Errorf("the rule read %d records of attachments, want %d", rows, c.pairRows)
				}
			})
		}
	})
}
