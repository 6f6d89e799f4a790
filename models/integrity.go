package models

import (
	"context"
	"errors"
	"strings"
)

const notNullText = "The operation cannot be completed:\n" +
	"- Create/update: a mandatory field is not set.\n" +
	"- Delete: another model requires the record being deleted. If possible, archive it instead."

const fkText = "The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead."

// unknownModel stands for a table that is no model's, such as a many2many
// link table, as Odoo names it in constraint messages.
var unknownModel = &Model{Name: "unknown", Description: "Unknown"}

// NotNullError is Odoo's message for a required field left empty. Like
// Odoo's, it ends with a newline.
func (env *Env) NotNullError(m *Model, f *Field) error {
	return ValidationErrorf("%s\n\nModel: %s (%s)\nField: %s (%s)\n", notNullText, m.Description, m.Name, f.String, f.Name)
}

// fkError is Odoo's message for a foreign-key violation: the model owning the
// constraint's table and the constraint, whichever way the key was broken (a
// record still referenced, or a reference to a record that does not exist).
func fkError(owner *Model, constraint string, err error) error {
	return &Error{Kind: KindValidation, Err: err,
		Message: fkText + "\n\nModel: " + owner.Description + " (" + owner.Name + ")\nConstraint: " + constraint + "\n"}
}

// fkRef is a foreign-key column a failed statement wrote and the id it
// wrote there.
type fkRef struct {
	table, column string
	target        *Model
	id            any
}

// integrityError turns a constraint violation classified by the store into
// Odoo's "The operation cannot be completed" message, naming model, field or
// constraint from godoo's own schema so that both stores say the same thing.
// ids are the records being deleted, used to find who references them; refs
// are the foreign keys an insert or update wrote, used to find the one that
// points at nothing. SQLite names neither, PostgreSQL both.
func (env *Env) integrityError(ctx context.Context, m *Model, err error, ids []int64, refs ...fkRef) error {
	var ce *ConstraintError
	if !errors.As(err, &ce) {
		return err
	}
	owner := env.modelOfTable(ce.Table)
	if owner == nil {
		owner = m
	}
	switch ce.Type {
	case ConstraintNotNull:
		for _, f := range owner.Fields {
			if f.Column == ce.Column && f.Stored() {
				return &Error{Kind: KindValidation, Message: env.NotNullError(owner, f).Error(), Err: err}
			}
		}
		unknown := &Field{Name: "unknown", String: "Unknown"}
		return &Error{Kind: KindValidation, Message: env.NotNullError(owner, unknown).Error(), Err: err}
	case ConstraintForeignKey:
		if ce.Constraint != "" {
			if owner = env.modelOfTable(ce.Table); owner == nil {
				owner = unknownModel
			}
			return fkError(owner, ce.Constraint, err)
		}
		if ref, ok := env.dangling(ctx, refs); ok {
			if owner = env.modelOfTable(ref.table); owner == nil {
				owner = unknownModel
			}
			return fkError(owner, ref.table+"_"+ref.column+"_fkey", err)
		}
		if ref, name := env.referencing(ctx, m, ids); ref != nil {
			return fkError(ref, name, err)
		}
		return &Error{Kind: KindValidation, Message: fkText, Err: err}
	case ConstraintUnique, ConstraintCheck:
		for _, c := range owner.Constraints {
			if c.Message != "" && (c.Name == ce.Constraint || sameColumns(c.Columns, ce.Column)) {
				return &Error{Kind: KindValidation, Message: "The operation cannot be completed: " + c.Message, Err: err}
			}
		}
		return &Error{Kind: KindValidation, Message: "The operation cannot be completed: " + ce.Detail(), Err: err}
	}
	return err
}

// many2oneRefs lists the many2one columns among cols (field name to stored
// value) with the ids they hold, in field order.
func (env *Env) many2oneRefs(m *Model, cols map[string]any) []fkRef {
	var out []fkRef
	for _, name := range m.FieldOrder {
		f := m.Fields[name]
		v, ok := cols[name]
		if !ok || v == nil || f.Type != Many2one || !f.Stored() || f.CompanyDependent || magicFields[name] {
			continue
		}
		if co := env.Registry.Model(f.Relation); co != nil {
			out = append(out, fkRef{table: m.Table, column: f.Column, target: co, id: v})
		}
	}
	return out
}

// checkCompanyTargets refuses, with the message of a broken foreign key, a
// company-dependent many2one among cols (field name to stored value) that
// names a record that does not exist: its JSON column has no foreign key
// to refuse it, and the value would dangle. It asks once per field, not
// per record, as cols holds one value for every record written.
func (env *Env) checkCompanyTargets(ctx context.Context, m *Model, cols map[string]any) error {
	for _, name := range m.FieldOrder {
		f := m.Fields[name]
		v, ok := cols[name]
		if !ok || v == nil || f.Type != Many2one || !f.CompanyDependent {
			continue
		}
		co := env.Registry.Model(f.Relation)
		if co == nil {
			continue
		}
		var n int64
		if _, err := env.Scalar(ctx, &n, "SELECT COUNT(*) FROM "+co.Table+" WHERE id = ?", v); err != nil {
			return err
		}
		if n == 0 {
			return fkError(m, fkName(m.Table, f.Column), nil)
		}
	}
	return nil
}

// dangling returns the first of refs whose target record does not exist:
// the foreign key an insert or update broke.
func (env *Env) dangling(ctx context.Context, refs []fkRef) (fkRef, bool) {
	for _, r := range refs {
		var n int64
		if _, err := env.Scalar(ctx, &n, "SELECT COUNT(*) FROM "+r.target.Table+" WHERE id = ?", r.id); err == nil && n == 0 {
			return r, true
		}
	}
	return fkRef{}, false
}

func sameColumns(cols []string, reported string) bool {
	if len(cols) == 0 || reported == "" {
		return false
	}
	return strings.Join(cols, ",") == strings.ReplaceAll(reported, " ", "")
}

func (env *Env) modelOfTable(table string) *Model {
	for _, name := range env.Registry.Names() {
		if m := env.Registry.Model(name); m.Table == table {
			return m
		}
	}
	return nil
}

// referencing finds the model whose foreign key blocks the deletion of ids:
// the first many2one pointing at m that still references one of them
// (SQLite does not say which).
func (env *Env) referencing(ctx context.Context, m *Model, ids []int64) (*Model, string) {
	if len(ids) == 0 {
		return nil, ""
	}
	for _, name := range env.Registry.Names() {
		other := env.Registry.Model(name)
		for _, fname := range other.FieldOrder {
			f := other.Fields[fname]
			// Only a restricting reference from a record that is not
			// being deleted too can refuse the deletion.
			if f.Type != Many2one || f.Relation != m.Name || !f.Stored() || f.OnDelete != "restrict" {
				continue
			}
			q := "SELECT COUNT(*) FROM " + other.Table + " WHERE " + f.Column + " IN (" + Placeholders(len(ids)) + ")"
			args := IDArgs(ids)
			if other.Table == m.Table {
				q += " AND id NOT IN (" + Placeholders(len(ids)) + ")"
				args = append(args, IDArgs(ids)...)
			}
			var n int64
			_, err := env.Scalar(ctx, &n, q, args...)
			if err == nil && n > 0 {
				return other, other.Table + "_" + f.Column + "_fkey"
			}
		}
	}
	return nil, ""
}
