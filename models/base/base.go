// Package base declares the models of Odoo's base module that godoo serves:
// one JSON declaration per model in this folder (res_partner.json for
// res.partner), read by the engine's loader (models.Declaration), and the
// Go behaviour of those that need more than data (hooks, computed fields,
// methods), in the Go file of the same name. It also holds the base
// module's data: what a new database is filled with (Install) and the
// records of ir.model, ir.model.fields and ir.model.access that follow the
// declarations (SyncModels).
//
// The engine never names these models; Register puts them into a registry
// it is given, which services builds.
package base

import (
	"embed"
	"fmt"
	"slices"
	"sync"

	"github.com/godoo/godoo/models"
)

// declarations are the model files, one per model, generated from the
// recording of Odoo 18's fields_get and the overlays in overlay/ (see
// models/modelgen): edit the overlay, then run go generate.
//
//go:generate go run ../modelgen
//go:embed *.json
var declarations embed.FS

// parsed are the declarations of the model files, parsed once per process
// and shared by every registry: parsing them is four fifths of the cost of
// a registry (about 70 ms of CPU), which every set of services, every
// command and every database with modules paid again. A registry gets
// copies of what it may change (ownDeclarations).
var parsed = sync.OnceValues(func() ([]*models.Declaration, error) {
	return models.LoadDeclarations(declarations, ".")
})

// ownDeclarations are the base declarations for one registry: each a copy
// with a fields slice of its own, so that what a registry's modules lay
// over or reorder (RegisterModules' more) leaves the shared ones as they
// are, as the module catalogue's shared declarations are copied.
func ownDeclarations() ([]*models.Declaration, error) {
	shared, err := parsed()
	if err != nil {
		return nil, err
	}
	out := make([]*models.Declaration, len(shared))
	for i, d := range shared {
		own := *d
		own.Fields = slices.Clone(d.Fields)
		out[i] = &own
	}
	return out, nil
}

// behaviours give the Go behaviour of a model by model name. They are
// functions so that every registry gets methods of its own.
var behaviours = map[string]func() *models.Behaviour{
	"res.partner":                   partnerBehaviour,
	"res.partner.category":          categoryBehaviour,
	"res.company":                   companyBehaviour,
	"res.users":                     usersBehaviour,
	"res.groups":                    groupsBehaviour,
	"res.country":                   countryBehaviour,
	"res.country.state":             stateBehaviour,
	"res.users.apikeys":             apikeysBehaviour,
	"res.users.apikeys.description": apikeysDescriptionBehaviour,
	"res.users.identitycheck":       identityCheckBehaviour,
	"auth.api.key":                  apiKeyBehaviour,
	"auth.key.audit":                keyAuditBehaviour,
	"ir.rule":                       ruleBehaviour,
	"ir.model.data":                 modelDataBehaviour,
	"ir.model.access":               modelAccessBehaviour,
	"ir.model":                      irModelBehaviour,
	"ir.model.fields":               irModelFieldsBehaviour,
	"ir.model.fields.selection":     irModelFieldsSelectionBehaviour,
	"ir.attachment":                 attachmentBehaviour,
	"ir.module.module":              moduleBehaviour,
	"ir.module.module.dependency":   moduleDependencyBehaviour,
	"ir.sequence":                   sequenceBehaviour,
	"res.lang":                      langBehaviour,
	"ir.cron":                       cronBehaviour,
}

// Register declares the base models into r, with their Go behaviour, and
// checks the relations between them.
func Register(r *models.Registry) error {
	return RegisterWith(r, nil)
}

// RegisterWith is Register for a database with more than base: more is
// given the base declarations and returns them with what the database's
// modules add (models of their own, fields laid over base ones), all of
// which are declared and checked together. The base models keep their Go
// behaviour.
func RegisterWith(r *models.Registry, more func([]*models.Declaration) ([]*models.Declaration, error)) error {
	return RegisterModules(r, more, nil)
}

// RegisterModules is RegisterWith with the Go behaviour modules add to
// models, theirs or base's: extra gives those of a model, in the order of
// the modules, and each is laid over the model's base behaviour (see
// models.Behaviour.Then).
func RegisterModules(r *models.Registry, more func([]*models.Declaration) ([]*models.Declaration, error),
	extra func(model string) []*models.Behaviour) error {
	decls, err := ownDeclarations()
	if err != nil {
		return fmt.Errorf("base: %w", err)
	}
	if more != nil {
		if decls, err = more(decls); err != nil {
			return err
		}
	}
	var declared []string
	for _, d := range decls {
		var b *models.Behaviour
		if fn := behaviours[d.Model]; fn != nil {
			b = fn()
		}
		if extra != nil {
			for _, x := range extra(d.Model) {
				b = b.Then(x)
			}
		}
		if err := r.Declare(d, b); err != nil {
			return fmt.Errorf("%s: %w", d.Model, err)
		}
		declared = append(declared, d.Model)
	}
	for name := range behaviours {
		if !slices.Contains(declared, name) {
			return fmt.Errorf("base: behaviour of %s, which no file declares", name)
		}
	}
	if err := r.Check(); err != nil {
		return fmt.Errorf("base: %w", err)
	}
	r.Attachments = attachmentFields{}
	return nil
}
