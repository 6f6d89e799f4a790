package services

import (
	"context"
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
