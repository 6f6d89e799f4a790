package base_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestParentPath checks, on both stores, Odoo's parent_path of the
// models that keep one (res.partner.category): set at create from the
// parent's, and rewritten for a moved record and all its descendants.
func TestParentPath(t *testing.T) {
	eachInstalled(t, func(t *testing.T, ctx context.Context, env *models.Env, r *models.Registry) error {
		m := r.Model("res.partner.category")
		ids := map[string]int64{}
		for _, c := range [][2]string{{"a", ""}, {"b", "a"}, {"c", "b"}, {"d", ""}} {
			vals := map[string]any{"name": c[0]}
			if c[1] != "" {
				vals["parent_id"] = ids[c[1]]
			}
			id, err := env.Create(ctx, m, vals)
			if err != nil {
				return err
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
