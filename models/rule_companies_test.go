package models_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// stmtIDB keeps the statements run through it.
type stmtIDB struct {
	bun.IDB
	stmts []string
}

func (s *stmtIDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s.stmts = append(s.stmts, q)
	return s.IDB.QueryContext(ctx, q, args...)
}

func (s *stmtIDB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	s.stmts = append(s.stmts, q)
	return s.IDB.QueryRowContext(ctx, q, args...)
}

// TestRuleCompanyHierarchy checks, on both stores, Odoo's multi-company
// rule of res.partner (company_id parent_of the call's companies) for a
// user of a company that has a parent: the user sees the partners of its
// company, of the parent and of none, not those of another company. A
// warm search sends the database the companies as a list, no recursive
// query. The hierarchy of an existing company is fixed (res.company
// refuses a new parent), so the change is one Odoo allows: a new branch
// under the user's company, which the user is given. It is seen by the
// next search of the same transaction, and by the next transaction with
// the access cache of the generation the change moved to.
func TestRuleCompanyHierarchy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		reg, inTx := storetest.Modules(t, s, db)
		partners := reg.Model("res.partner")
		var parent, child, other, uid int64
		var inParent, inChild, inOther, inNone int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			var err error
			company := func(name string, up int64) int64 {
				vals := map[string]any{"name": name}
				if up != 0 {
					vals["parent_id"] = up
				}
				id, cerr := env.Create(ctx, reg.Model("res.company"), vals)
				if cerr != nil && err == nil {
					err = cerr
				}
				return id
			}
			partner := func(name string, company int64) int64 {
				vals := map[string]any{"name": name, "company_id": false}
				if company != 0 {
					vals["company_id"] = company
				}
				id, cerr := env.Create(ctx, partners, vals)
				if cerr != nil && err == nil {
					err = cerr
				}
				return id
			}
			parent = company("Hierarchy Parent", 0)
			child = company("Hierarchy Child", parent)
			other = company("Hierarchy Other", 0)
			inParent, inChild = partner("Of the parent", parent), partner("Of the child", child)
			inOther, inNone = partner("Of the other", other), partner("Of none", 0)
			if err != nil {
				return err
			}
			if uid, err = storetest.InternalUser(ctx, env, "hierarchy_user"); err != nil {
				return err
			}
			return env.Write(ctx, reg.Model("res.users"), []int64{uid}, map[string]any{
				"company_ids": []any{[]any{int64(6), int64(0), []any{child}}}, "company_id": child})
		}); err != nil {
			t.Fatal(err)
		}
		var inBranch int64 // made by the change
		search := func(t *testing.T, env *models.Env, want []int64) []string {
			t.Helper()
			idb := &stmtIDB{IDB: env.DB}
			env.DB = idb
			all := []any{[]any{"id", "in", []any{inParent, inChild, inOther, inNone, inBranch}}}
			got, err := env.Search(ctx, partners, all, models.SearchOptions{Order: "id"})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("the user sees %v, want %v", got, want)
			}
			return idb.stmts
		}
		cache := models.NewAccessCache()
		for call := range 2 {
			if err := inTx(uid, func(env *models.Env) error {
				env.Access = cache
				stmts := search(t, env, []int64{inParent, inChild, inNone})
				if call == 1 && (len(stmts) != 1 || strings.Contains(stmts[0], "RECURSIVE")) {
					t.Errorf("a warm search ran %q, want one statement with the companies listed", stmts)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		if err := inTx(uid, func(env *models.Env) error {
			env.Access = cache
			search(t, env, []int64{inParent, inChild, inNone})
			su := env.Sudo()
			branch, err := su.Create(ctx, reg.Model("res.company"), map[string]any{"name": "Hierarchy Branch", "parent_id": child})
			if err != nil {
				return err
			}
			if inBranch, err = su.Create(ctx, partners, map[string]any{"name": "Of the branch", "company_id": branch}); err != nil {
				return err
			}
			if err := su.Write(ctx, reg.Model("res.users"), []int64{uid}, map[string]any{
				"company_ids": []any{[]any{int64(4), branch, int64(0)}}}); err != nil {
				return err
			}
			search(t, env, []int64{inParent, inChild, inNone, inBranch})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := inTx(uid, func(env *models.Env) error {
			env.Access = models.NewAccessCache() // the generation the change moved to
			search(t, env, []int64{inParent, inChild, inNone, inBranch})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}
