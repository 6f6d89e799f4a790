package modules

import (
	"context"
	"fmt"
	"slices"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/modules/account"
	"github.com/godoo/godoo/models/modules/mail"
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
	// tracking gives fields Odoo's tracking, which fields_get does not
	// tell, by model and field: the chatter logs their changes.
	tracking map[string]map[string]int
	// indexes gives models indexes their declarations lack, by model:
	// those the module's own statements need (mail's cleanup of unsent
	// e-mails).
	indexes map[string][]models.Index
	// install creates the module's records beyond groups, access rows
	// and rules (sequences, ...), once its models exist.
	install func(ctx context.Context, env *models.Env) error
	// upgrade creates, in a database where the module is installed,
	// the records its install creates now and an older godoo's did
	// not; it finds what exists and leaves it be. It runs once, when
	// migration 0020 asked for it (Upgrade).
	upgrade func(ctx context.Context, env *models.Env) error
	// fill stores, in a database where the module is installed, the
	// values of the fields an older godoo computed when read and the
	// module stores now (sale's invoice statuses), where they are empty.
	// It runs once, with the module's data records, when migration 0021
	// asked for them (Catalogue.Upgrade).
	fill func(ctx context.Context, env *models.Env) error
	// computes stores, in a database where the module is installed, the
	// values of stored computed fields an older godoo never computed
	// (account's fiscal country of companies), where they are empty. It
	// runs once, when migration 0023 asked for it (Catalogue.Upgrade).
	computes func(ctx context.Context, env *models.Env) error
}

// codes are the modules that have Go behaviour, by name.
var codes = map[string]code{
	"account": {behaviours: account.Behaviours(), install: account.Install, upgrade: account.Install,
		computes: account.FillFiscalCountries},
	"mail": {tracking: mail.Tracking(), indexes: mail.Indexes()},
	"sale": {behaviours: sale.Behaviours(), computed: sale.Computed(), onDelete: sale.OnDelete(), tracking: sale.Tracking(),
		install: sale.Install, upgrade: sale.Upgrade, fill: sale.FillInvoiceStatus},
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
// modules of order give fields, and sets the ondelete and tracking they
// give. The declarations are the registry's own copies: their fields are
// cloned before any is changed.
func computeFields(byModel map[string]*models.Declaration, order []string) error {
	for _, n := range order {
		c := codes[n]
		for _, set := range []map[string]map[string]func(f *models.FieldDeclaration){
			attrs(c.computed, func(f *models.FieldDeclaration, v string) { f.Compute = v }),
			attrs(c.onDelete, func(f *models.FieldDeclaration, v string) { f.OnDelete = v }),
			attrs(c.tracking, func(f *models.FieldDeclaration, v int) { f.Tracking = v }),
		} {
			for model, fields := range set {
				d := byModel[model]
				if d == nil {
					return fmt.Errorf("module %s: changes fields of %s, which is not declared", n, model)
				}
				d.Fields = slices.Clone(d.Fields)
				for name, apply := range fields {
					i := slices.IndexFunc(d.Fields, func(f models.FieldDeclaration) bool { return f.Name == name })
					if i < 0 {
						return fmt.Errorf("module %s: changes %s.%s, which is not declared", n, model, name)
					}
					apply(&d.Fields[i])
				}
			}
		}
	}
	return nil
}

// addIndexes gives the declarations byModel (the registry's own copies)
// the indexes the modules of order add.
func addIndexes(byModel map[string]*models.Declaration, order []string) error {
	for _, n := range order {
		for model, ixs := range codes[n].indexes {
			d := byModel[model]
			if d == nil {
				return fmt.Errorf("module %s: indexes %s, which is not declared", n, model)
			}
			d.Indexes = append(slices.Clone(d.Indexes), ixs...)
		}
	}
	return nil
}

// attrs turns values by model and field into the changes that set them.
func attrs[V any](by map[string]map[string]V, set func(f *models.FieldDeclaration, v V)) map[string]map[string]func(f *models.FieldDeclaration) {
	out := make(map[string]map[string]func(f *models.FieldDeclaration), len(by))
	for model, fields := range by {
		out[model] = make(map[string]func(f *models.FieldDeclaration), len(fields))
		for name, v := range fields {
			out[model][name] = func(f *models.FieldDeclaration) { set(f, v) }
		}
	}
	return out
}
