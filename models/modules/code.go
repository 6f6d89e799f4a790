package modules

import (
	"context"
	"fmt"
	"slices"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/modules/account"
	"github.com/godoo/godoo/models/modules/sale"
)

// code is the Go behaviour of a module, beside its declarations: what a
// data file cannot say (Odoo's Python methods of the module's classes).
type code struct {
	// behaviours are laid over the behaviour of each model, by model.
	behaviours map[string]func() *models.Behaviour
	// computed names the compute of fields Odoo computes, by model and
	// field: the field is computed when read, with the function of that
	// name in the model's behaviour, and has no column.
	computed map[string]map[string]string
	// onDelete gives many2one fields Odoo's ondelete, which fields_get
	// does not tell, by model and field.
	onDelete map[string]map[string]string
	// install creates the module's records beyond groups, access rows
	// and rules (sequences, ...), once its models exist.
	install func(ctx context.Context, env *models.Env) error
	// upgrade creates, in a database where the module is installed,
	// the records its install creates now and an older godoo's did
	// not; it finds what exists and leaves it be.
	upgrade func(ctx context.Context, env *models.Env) error
}

// codes are the modules that have Go behaviour, by name.
var codes = map[string]code{
	"account": {behaviours: account.Behaviours(), install: account.Install, upgrade: account.Install},
	"sale":    {behaviours: sale.Behaviours(), computed: sale.Computed(), onDelete: sale.OnDelete(), install: sale.Install, upgrade: sale.Upgrade},
}

// behavioursOf are the behaviours the modules of order (in dependency
// order) lay over model.
func behavioursOf(order []string, model string) []*models.Behaviour {
	var out []*models.Behaviour
	for _, n := range order {
		if fn := codes[n].behaviours[model]; fn != nil {
			out = append(out, fn())
		}
	}
	return out
}

// computeFields names, in the declarations byModel, the computes the
// modules of order give fields, and sets the ondelete they give. The
// declarations are the registry's own copies: their fields are cloned
// before any is changed.
func computeFields(byModel map[string]*models.Declaration, order []string) error {
	for _, n := range order {
		for _, set := range []struct {
			by  map[string]map[string]string
			set func(f *models.FieldDeclaration, v string)
		}{
			{codes[n].computed, func(f *models.FieldDeclaration, v string) { f.Compute = v }},
			{codes[n].onDelete, func(f *models.FieldDeclaration, v string) { f.OnDelete = v }},
		} {
			for model, fields := range set.by {
				d := byModel[model]
				if d == nil {
					return fmt.Errorf("module %s: changes fields of %s, which is not declared", n, model)
				}
				d.Fields = slices.Clone(d.Fields)
				for name, v := range fields {
					i := slices.IndexFunc(d.Fields, func(f models.FieldDeclaration) bool { return f.Name == name })
					if i < 0 {
						return fmt.Errorf("module %s: changes %s.%s, which is not declared", n, model, name)
					}
					set.set(&d.Fields[i], v)
				}
			}
		}
	}
	return nil
}

// Upgradable reports whether any of the modules installed has an
// upgrade step.
func Upgradable(installed []string) bool {
	return slices.ContainsFunc(installed, func(n string) bool { return codes[n].upgrade != nil })
}

// Upgrade runs, in env's transaction, the upgrade step of each module of
// installed that has one: what the module's install creates now and an
// older godoo's did not (the sale.order sequence).
func Upgrade(ctx context.Context, env *models.Env, installed []string) error {
	env = env.Sudo()
	for _, n := range installed {
		if fn := codes[n].upgrade; fn != nil {
			if err := fn(ctx, env); err != nil {
				return fmt.Errorf("upgrade module %s: %w", n, err)
			}
		}
	}
	return nil
}
