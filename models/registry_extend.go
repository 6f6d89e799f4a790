package models

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Extension is what one database adds to the declared models: models of
// its own and fields added to models (Odoo's custom models and fields,
// ir.model and ir.model.fields rows of state manual; later, the models of
// the modules installed in it). A database's registry is the declared
// registry extended with its Extension (Registry.Extend).
type Extension struct {
	// Models are declared as the files of a models path are, with no
	// behaviour: the generic methods only.
	Models []*Declaration
	// Fields are added to the named models, declared or in Models, after
	// the fields they have.
	Fields []ExtraField
}

// ExtraField is a field an Extension adds to a model.
type ExtraField struct {
	Model string
	Field FieldDeclaration
	// Compute is the Go function of a field the database's rows shape
	// and Go computes (res.users' fields of groups, made from the
	// database's groups), under the name Field.Compute gives; nil for a
	// field with a value of its own.
	Compute func(ctx context.Context, env *Env, recs []Record) error
}

// Empty reports whether x adds nothing.
func (x Extension) Empty() bool { return len(x.Models) == 0 && len(x.Fields) == 0 }

// Extend returns a new registry: r's models with x's models and fields,
// checked as a whole. r is left as it is and still shared: the models x
// adds fields to are copied (their methods, hooks and other fields are
// shared), the others are r's own. Building one costs a copy of the map
// of models, so that a database's registry can be rebuilt whenever its
// extension changes.
func (r *Registry) Extend(x Extension) (*Registry, error) {
	n, err := r.extend(x)
	if err != nil {
		return nil, &ExtensionError{Err: err}
	}
	return n, nil
}

// ExtensionError is an extension that Extend refuses: rows the hooks
// would have refused, which no retry mends, unlike a database's failure.
type ExtensionError struct{ Err error }

func (e *ExtensionError) Error() string { return e.Err.Error() }
func (e *ExtensionError) Unwrap() error { return e.Err }

// IsExtensionError tells whether err is, or wraps, an ExtensionError.
func IsExtensionError(err error) bool {
	var x *ExtensionError
	return errors.As(err, &x)
}

func (r *Registry) extend(x Extension) (*Registry, error) {
	n := r.clone()
	for _, d := range x.Models {
		if err := n.Declare(d, nil); err != nil {
			return nil, err
		}
	}
	copied := map[string]bool{}
	for _, xf := range x.Fields {
		if n.models[xf.Model] == nil {
			return nil, fmt.Errorf("field %s: model %s does not exist", xf.Field.Name, xf.Model)
		}
		m := n.own(xf.Model, copied)
		if m.Fields[xf.Field.Name] != nil {
			return nil, fmt.Errorf("model %s: field %s: declared twice", xf.Model, xf.Field.Name)
		}
		fd := xf.Field
		b := &Behaviour{}
		if xf.Compute != nil {
			b.Computes = map[string]func(context.Context, *Env, []Record) error{fd.Compute: xf.Compute}
		}
		f, err := fd.build(b, map[string]bool{})
		if err != nil {
			return nil, fmt.Errorf("model %s: field %s: %w", xf.Model, fd.Name, err)
		}
		m.AddField(f)
		n.delegate(xf, copied)
	}
	if err := n.Check(); err != nil {
		return nil, err
	}
	return n, nil
}

// delegate adds xf's field to the models that delegate to its model
// (Odoo's _inherits: a custom field of res.partner is a field of
// res.users), as a field related through the delegation's many2one. The
// engine follows such a path for fields with a value of their own; a
// one2many or many2many stays on the model that has it.
func (r *Registry) delegate(xf ExtraField, copied map[string]bool) {
	if xf.Field.Type == One2many || xf.Field.Type == Many2many {
		return
	}
	for _, name := range r.Names() {
		m := r.models[name]
		via, ok := m.Inherits[xf.Model]
		if !ok || m.Fields[xf.Field.Name] != nil {
			continue
		}
		m = r.own(name, copied)
		src := r.models[xf.Model].Fields[xf.Field.Name]
		f := *src
		f.Model, f.Column, f.Related, f.Index, f.Attachment = name, "", []string{via, src.Name}, false, false
		f.OnDelete = ""
		m.AddField(&f)
	}
}

// own returns model name of r as r may change it: a copy of the model r
// shares with the registry it extends, made once (copied records which).
func (r *Registry) own(name string, copied map[string]bool) *Model {
	m := r.models[name]
	if copied[name] {
		return m
	}
	c := *m
	c.Fields = maps.Clone(m.Fields)
	c.FieldOrder = slices.Clone(m.FieldOrder)
	r.models[name] = &c
	copied[name] = true
	return &c
}

// clone returns a registry with r's models and functions, whose maps
// can change without changing r's.
func (r *Registry) clone() *Registry {
	n := *r
	n.models = maps.Clone(r.models)
	n.authTables = maps.Clone(r.authTables)
	n.AdminOnly = slices.Clone(r.AdminOnly)
	n.declared = r.Declared()
	n.orders = &orderCache{} // its models are not r's
	return &n
}

// Declared returns the registry r extends (see Extend), or r itself when
// it extends none: the models godoo declares, which a database's
// extension is laid over again when it changes.
func (r *Registry) Declared() *Registry {
	if r.declared != nil {
		return r.declared
	}
	return r
}
