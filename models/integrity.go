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

// notNullError is Odoo's message for a required field left empty.
func (env *Env) notNullError(m *Model, f *Field) error {
	return ValidationErrorf("%s\n\nModel: %s (%s)\nField: %s (%s)", notNullText, m.Description, m.Name, f.String, f.Name)
}

// integrityError turns a constraint violation classified by the store into
// Odoo's "The operation cannot be completed" message, naming model, field or
// constraint from godoo's own schema so that both stores say the same thing.
// ids are the records being changed, used to find who references them.
func (env *Env) integrityError(ctx context.Context, m *Model, err error, ids []int64) error {
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
				return &Error{Kind: KindValidation, Message: env.notNullError(owner, f).Error(), Err: err}
			}
		}
		return &Error{Kind: KindValidation, Message: notNullText, Err: err}
	case ConstraintForeignKey:
		ref, name := env.referencing(ctx, m, ids, ce)
		if ref == nil {
			return &Error{Kind: KindValidation, Message: fkText, Err: err}
		}
		return &Error{Kind: KindValidation, Err: err,
			Message: fkText + "\n\nModel: " + ref.Description + " (" + ref.Name + ")\nConstraint: " + name}
	case ConstraintUnique, ConstraintCheck:
		for _, c := range owner.Constraints {
			if c.Name == ce.Constraint || sameColumns(c.Columns, ce.Column) {
				return &Error{Kind: KindValidation, Message: "The operation cannot be completed: " + c.Message, Err: err}
			}
		}
		return &Error{Kind: KindValidation, Message: "The operation cannot be completed: " + ce.Detail(), Err: err}
	}
	return err
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

// referencing finds the model whose foreign key blocks the change: the one the
// store named (PostgreSQL), or else the first many2one pointing at m that
// still references one of ids (SQLite does not say).
func (env *Env) referencing(ctx context.Context, m *Model, ids []int64, ce *ConstraintError) (*Model, string) {
	if ce.Constraint != "" {
		if owner := env.modelOfTable(ce.Table); owner != nil {
			return owner, ce.Constraint
		}
	}
	if len(ids) == 0 {
		return nil, ""
	}
	for _, name := range env.Registry.Names() {
		other := env.Registry.Model(name)
		for _, fname := range other.FieldOrder {
			f := other.Fields[fname]
			if f.Type != Many2one || f.Relation != m.Name || !f.Stored() {
				continue
			}
			var n int64
			_, err := env.scalar(ctx, &n, "SELECT COUNT(*) FROM "+other.Table+" WHERE "+f.Column+" IN ("+placeholders(len(ids))+")", int64Args(ids)...)
			if err == nil && n > 0 {
				return other, other.Table + "_" + f.Column + "_fkey"
			}
		}
	}
	return nil, ""
}
