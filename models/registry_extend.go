package models

import (
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
	n := r.clone()
	for _, d := range x.Models {
		if err := n.Declare(d, nil); err != nil {
			return nil, err
		}
	}
	copied := map[string]bool{}
	for _, xf := range x.Fields {
		m := n.models[xf.Model]
		if m == nil {
			return nil, fmt.Errorf("field %s: model %s does not exist", xf.Field.Name, xf.Model)
		}
		if !copied[xf.Model] {
			c := *m
			c.Fields = maps.Clone(m.Fields)
			c.FieldOrder = slices.Clone(m.FieldOrder)
			m = &c
			n.models[xf.Model] = m
			copied[xf.Model] = true
		}
		if m.Fields[xf.Field.Name] != nil {
			return nil, fmt.Errorf("model %s: field %s: declared twice", xf.Model, xf.Field.Name)
		}
		fd := xf.Field
		f, err := fd.build(&Behaviour{}, map[string]bool{})
		if err != nil {
			return nil, fmt.Errorf("model %s: field %s: %w", xf.Model, fd.Name, err)
		}
		m.AddField(f)
	}
	if err := n.Check(); err != nil {
		return nil, err
	}
	return n, nil
}

// clone returns a registry with r's models and functions, whose maps
// can change without changing r's.
func (r *Registry) clone() *Registry {
	n := *r
	n.models = maps.Clone(r.models)
	n.authTables = maps.Clone(r.authTables)
	n.AdminOnly = slices.Clone(r.AdminOnly)
	n.declared = r.Declared()
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
