package storetest

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
)

// TestEachInstalled: the copies of an Installed template have its modules
// installed, are served with one registry, built once, and are each a
// database of their own.
func TestEachInstalled(t *testing.T) {
	drops.mu.Lock()
	was := drops.deferred
	drops.deferred = true
	drops.mu.Unlock()
	t.Cleanup(func() {
		temporaryFiles.removeAll()
		if err := DropDeferred(); err != nil {
			t.Error(err)
		}
		drops.mu.Lock()
		drops.deferred = was
		drops.mu.Unlock()
	})
	m := InstalledModules("uom")
	var first *models.Registry
	for range 2 {
		EachInstalled(t, m, func(t *testing.T, s models.Store, db *bun.DB, r *models.Registry, inTx InTx) {
			m.mu.Lock()
			if first == nil {
				first = r
			}
			same := first == r
			m.mu.Unlock()
			if !same {
				t.Error("the copies are served with two registries")
			}
			if err := inTx(models.SuperuserID, func(env *models.Env) error {
				ctx := context.Background()
				var state string
				if _, err := env.Scalar(ctx, &state, "SELECT state FROM ir_module_module WHERE name = 'uom'"); err != nil {
					return err
				}
				if state != "installed" {
					t.Errorf("uom is %q in the copy, want installed", state)
				}
				uoms := r.Model("uom.uom")
				ids, err := env.Search(ctx, uoms, []any{[]any{"name", "=", "Copy's own"}}, models.SearchOptions{})
				if err != nil {
					return err
				}
				if len(ids) != 0 {
					t.Errorf("the copy has another copy's unit %v", ids)
				}
				var category int64
				if _, err := env.Scalar(ctx, &category, "SELECT id FROM uom_category ORDER BY id LIMIT 1"); err != nil {
					return err
				}
				_, err = env.Create(ctx, uoms, map[string]any{"name": "Copy's own", "category_id": category, "uom_type": "bigger", "factor_inv": 2.0})
				return err
			}); err != nil {
				t.Fatal(err)
			}
		})
	}
}
