package base_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestParentPath checks, on both stores, Odoo's parent_path of the
// models that keep one (res.partner.category): set at create from the
// parent's, and rewritten for a moved record and all its descendants.
func TestParentPath(t *testing.T) {
	eachInstalled(t, func(t *testing.T, ctx context.Context, env *models.Env, r *models.Registry) error {
		m := r.Model("res.partner.category")
		ids, path, err := tagTree(ctx, env, m)
		if err != nil {
			return err
		}
		check := func(step string, want map[string]string) error {
			for name, w := range want {
				recs, err := env.Read(ctx, m, []int64{ids[name]}, []string{"parent_path"}, false)
				if err != nil {
					return err
				}
				if got := recs[0]["parent_path"]; got != w {
					t.Errorf("%s: parent_path of %s = %v, want %s", step, name, got, w)
				}
			}
			return nil
		}
		if err := check("created", map[string]string{"a": path("a"), "b": path("a", "b"), "c": path("a", "b", "c"), "d": path("d")}); err != nil {
			return err
		}
		if err := env.Write(ctx, m, []int64{ids["b"]}, map[string]any{"parent_id": ids["d"]}); err != nil {
			return err
		}
		if err := check("moved under d", map[string]string{"a": path("a"), "b": path("d", "b"), "c": path("d", "b", "c")}); err != nil {
			return err
		}
		if err := env.Write(ctx, m, []int64{ids["b"]}, map[string]any{"parent_id": false}); err != nil {
			return err
		}
		return check("made a root", map[string]string{"b": path("b"), "c": path("b", "c")})
	})
}

// TestFillParentPaths checks, on both stores, that the paths a database
// made before godoo kept parent_path lacks are filled from parent_id:
// NULL and empty paths, and a path made under a parent that had none, are
// computed again for the whole table; parent_path and child_of searches
// then find the old rows, and a second pass has nothing to fill.
func TestFillParentPaths(t *testing.T) {
	eachInstalled(t, func(t *testing.T, ctx context.Context, env *models.Env, r *models.Registry) error {
		m := r.Model("res.partner.category")
		ids, path, err := tagTree(ctx, env, m)
		if err != nil {
			return err
		}
		for _, blank := range []struct {
			name string
			path any
		}{{"a", nil}, {"b", ""}, {"c", fmt.Sprint(ids["c"]) + "/"}} {
			if _, err := env.Exec(ctx, "UPDATE res_partner_category SET parent_path = ? WHERE id = ?", blank.path, ids[blank.name]); err != nil {
				return err
			}
		}
		filled, err := models.FillParentPaths(ctx, env.DB, r)
		if err != nil {
			return err
		}
		if !slices.Contains(filled, "res_partner_category") {
			t.Errorf("filled %v, want res_partner_category among them", filled)
		}
		for name, want := range map[string]string{"a": path("a"), "b": path("a", "b"), "c": path("a", "b", "c"), "d": path("d")} {
			recs, err := env.Read(ctx, m, []int64{ids[name]}, []string{"parent_path"}, false)
			if err != nil {
				return err
			}
			if got := recs[0]["parent_path"]; got != want {
				t.Errorf("parent_path of %s = %v, want %s", name, got, want)
			}
		}
		for _, domain := range [][]any{
			{[]any{"parent_path", "=like", path("a") + "%"}},
			{[]any{"id", "child_of", ids["a"]}},
		} {
			got, err := env.Search(ctx, m, domain, models.SearchOptions{})
			if err != nil {
				return err
			}
			slices.Sort(got)
			if want := []int64{ids["a"], ids["b"], ids["c"]}; !slices.Equal(got, want) {
				t.Errorf("search %v = %v, want %v", domain, got, want)
			}
		}
		again, err := models.FillParentPaths(ctx, env.DB, r)
		if err != nil {
			return err
		}
		if len(again) > 0 {
			t.Errorf("a second pass filled %v", again)
		}
		return nil
	})
}

// tagTree creates the tags a, b under a, c under b, and d, and returns
// their ids by name and the function giving the parent_path of a chain
// of them.
func tagTree(ctx context.Context, env *models.Env, m *models.Model) (map[string]int64, func(names ...string) string, error) {
	ids := map[string]int64{}
	for _, c := range [][2]string{{"a", ""}, {"b", "a"}, {"c", "b"}, {"d", ""}} {
		vals := map[string]any{"name": c[0]}
		if c[1] != "" {
			vals["parent_id"] = ids[c[1]]
		}
		id, err := env.Create(ctx, m, vals)
		if err != nil {
			return nil, nil, err
		}
		ids[c[0]] = id
	}
	path := func(names ...string) string {
		s := ""
		for _, n := range names {
			s += fmt.Sprint(ids[n]) + "/"
		}
		return s
	}
	return ids, path, nil
}

// TestParentPathMoveStatements checks, on both stores, that moving a
// record rewrites its subtree's paths in a fixed number of statements,
// whatever the subtree's size and depth.
func TestParentPathMoveStatements(t *testing.T) {
	storetest.EachFrom(t, installed, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r, inTx := baseDB(t, s, db)
		counter := &storetest.StatementCounter{Table: "res_partner_category"}
		db.AddQueryHook(counter)
		err := inTx(models.SuperuserID, func(env *models.Env) error {
			m := r.Model("res.partner.category")
			root, err := env.Create(ctx, m, map[string]any{"name": "root"})
			if err != nil {
				return err
			}
			other, err := env.Create(ctx, m, map[string]any{"name": "other"})
			if err != nil {
				return err
			}
			// a chain of 20 under root, and 20 children of its first
			parent, first := root, int64(0)
			for i := range 20 {
				id, err := env.Create(ctx, m, map[string]any{"name": fmt.Sprint("chain ", i), "parent_id": parent})
				if err != nil {
					return err
				}
				parent = id
				if first == 0 {
					first = id
				}
			}
			for i := range 20 {
				if _, err := env.Create(ctx, m, map[string]any{"name": fmt.Sprint("leaf ", i), "parent_id": first}); err != nil {
					return err
				}
			}
			counter.N.Store(0)
			if err := env.Write(ctx, m, []int64{root}, map[string]any{"parent_id": other}); err != nil {
				return err
			}
			if n := counter.N.Load(); n > 8 {
				t.Errorf("moving a subtree of 40 took %d statements", n)
			}
			recs, err := env.Read(ctx, m, []int64{parent}, []string{"parent_path"}, false)
			if err != nil {
				return err
			}
			if got, _ := recs[0]["parent_path"].(string); !strings.HasPrefix(got, fmt.Sprintf("%d/%d/%d/", other, root, first)) || !strings.HasSuffix(got, fmt.Sprintf("/%d/", parent)) {
				t.Errorf("parent_path of the chain's end: %q", got)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
