package services

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/uptrace/bun"
)

// TestRegistryOf checks that a database's registry is looked up without a
// statement and without allocating while nothing changed, that it
// extends the declared registry with the database's own fields, and that a
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
	// Every database extends the declared registry, with res.users'
	// fields of its own groups at least.
	groupFields := 0
	for _, name := range first.Model("res.users").FieldOrder {
		if strings.HasPrefix(name, "in_group_") || strings.HasPrefix(name, "sel_groups_") {
			groupFields++
		}
	}
	if first.Declared() != c.registry || groupFields == 0 {
		t.Errorf("a database's registry does not extend the declared one with its fields of groups (%d)", groupFields)
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
	c, db := customModelDatabase(t, "registries_rename", "x_ghost")
	ctx := context.Background()
	_, err := c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
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

// TestRegistryOfKeepsNoFallback checks that custom rows the registry
// refuses give the declared models for the call but are not kept under
// the registry version, and that a failing database read is the caller's
// error, not a database without modules.
func TestRegistryOfKeepsNoFallback(t *testing.T) {
	c, db := customModelDatabase(t, "registries_fallback", "x_thing")
	ctx := context.Background()
	if r, err := c.registryOf(ctx, db); err != nil || r.Model("x_thing") == nil {
		t.Fatalf("the registry lacks the custom model: %v", err)
	}
	// A row written by hand, which the hooks would have refused.
	_, err := c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		if _, err := env.Exec(ctx, "UPDATE ir_model_fields SET ttype = 'many2one', relation = 'no.such' WHERE model = 'x_thing' AND name = 'x_name'"); err != nil {
			return nil, err
		}
		return nil, env.RegistryChanged(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.registryOf(ctx, db)
	if err != nil || r.Model("x_thing") != nil || r.Model("res.partner") == nil {
		t.Fatalf("a refused extension does not give the declared models: %v", err)
	}
	if kept := c.regs.slot("registries_fallback").Load(); kept == nil || kept.reg.Model("x_thing") == nil {
		t.Error("the declared registry is kept under the version of a refused extension")
	}

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if mods, err := installedModules(canceled, db); err == nil {
		t.Errorf("a failed read of the installed modules gives %v and no error", mods)
	}
	if mods, err := installedModules(ctx, db); err != nil || !slices.Contains(mods, "base") {
		t.Errorf("installed modules: %v %v", mods, err)
	}
}

// customModelDatabase is a new database with the custom model named model,
// created and committed through the services.
func customModelDatabase(t *testing.T, name, model string) (*core, *bun.DB) {
	t.Helper()
	set, db := testDatabase(t, name)
	_, err := set.core.run(context.Background(), db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		return env.Create(ctx, env.Registry.Model("ir.model"), map[string]any{"name": model, "model": model})
	})
	if err != nil {
		t.Fatal(err)
	}
	return set.core, db
}

// TestRegistryOfBuildsPerDatabase checks that a database's rebuild does
// not wait for another database's: with the first's rebuild lock held,
// the second still gets its new registry (a shared lock would hang here).
func TestRegistryOfBuildsPerDatabase(t *testing.T) {
	set, _ := testDatabase(t, "registries_busy")
	c := set.core
	ctx := context.Background()
	copyTemplate(t, set, "registries_other")
	other, err := c.open(ctx, "registries_other")
	if err != nil {
		t.Fatal(err)
	}
	busy := c.regs.buildLock("registries_busy")
	busy.Lock()
	defer busy.Unlock()
	_, err = c.run(ctx, other, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		return env.Create(ctx, env.Registry.Model("ir.model"), map[string]any{"name": "Other", "model": "x_other"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := c.registryOf(ctx, other); err != nil || r.Model("x_other") == nil {
		t.Errorf("the other database's registry: %v", err)
	}
}
