package services

import (
	"context"
	"errors"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestRegistryOf checks that a database's registry is looked up without a
// statement and without allocating while nothing changed, and that a
// change to its custom models, committed, gives a new registry with them
// at the next look-up.
func TestRegistryOf(t *testing.T) {
	set, db := testDatabase(t, "registries")
	ctx := context.Background()
	c := set.core
	first, err := c.registryOf(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if first != c.registry {
		t.Error("a database without custom models does not share the declared registry")
	}
	if allocs := testing.AllocsPerRun(100, func() {
		if r, err := c.registryOf(ctx, db); err != nil || r != first {
			t.Fatalf("registryOf: %v", err)
		}
	}); allocs != 0 {
		t.Errorf("a look-up allocates %.1f times", allocs)
	}
	_, err = c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		return env.Create(ctx, env.Registry.Model("ir.model"), map[string]any{"name": "Thing", "model": "x_thing"})
	})
	if err != nil {
		t.Fatal(err)
	}
	next, err := c.registryOf(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if next.Model("x_thing") == nil || next.Model("x_thing").Field("x_name") == nil {
		t.Fatal("the registry after the change lacks the custom model")
	}
	if c.registry.Model("x_thing") != nil {
		t.Error("the declared registry got the custom model")
	}
}

// BenchmarkRegistryOf is the look-up every call makes of its database's
// registry, while nothing changed.
func BenchmarkRegistryOf(b *testing.B) {
	set, db := testDatabase(b, "registries_bench")
	ctx := context.Background()
	for b.Loop() {
		if _, err := set.core.registryOf(ctx, db); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRenameFieldOfModelOutsideRegistry checks that renaming a custom field
// whose model the call's registry lacks (a registry built before the
// model, or served without the custom models) is Odoo's UserError, not a
// panic.
func TestRenameFieldOfModelOutsideRegistry(t *testing.T) {
	set, db := testDatabase(t, "registries_rename")
	ctx := context.Background()
	c := set.core
	_, err := c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		return env.Create(ctx, env.Registry.Model("ir.model"), map[string]any{"name": "Ghost", "model": "x_ghost"})
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		env = env.WithRegistry(c.registry) // the declared registry: no x_ghost
		ids, err := env.Int64s(ctx, "SELECT id FROM ir_model_fields WHERE model = 'x_ghost' AND name = 'x_name'")
		if err != nil || len(ids) != 1 {
			t.Fatalf("x_ghost's x_name: %v %v", ids, err)
		}
		return nil, env.Write(ctx, env.Registry.Model("ir.model.fields"), ids, map[string]any{"name": "x_title"})
	})
	var me *models.Error
	if !errors.As(err, &me) || me.Kind != models.KindUser || me.Message != "Model x_ghost does not exist!" {
		t.Errorf("renaming a field of a model outside the registry: %v", err)
	}
}
