package base

import (
	"context"
	"slices"

	"github.com/godoo/godoo/models"
)

// attachmentRule is who may see and change attachments, as Odoo's
// ir.attachment.check: an attachment of a record follows that record (read
// access to read it, write access to change, create or delete it); a
// public one may be read by anyone who may read attachments; one of no
// record only by its creator; those that hold a record's binary field
// (res_field) only by administrators, who pass every check. It reads the
// records of the attachments in scope alone: a search or a check of a few
// attachments costs what they are, not the whole table.
func attachmentRule(ctx context.Context, env *models.Env, op models.Op, scope models.RuleScope) ([]any, error) {
	system, err := env.HasGroup(ctx, "base.group_system")
	if err != nil || system {
		return nil, err
	}
	recordOp := models.OpWrite
	if op == models.OpRead {
		recordOp = models.OpRead
	}
	var terms [][]any
	if op == models.OpRead {
		terms = append(terms, []any{[]any{"public", "=", true}, []any{"res_field", "=", false}})
	}
	terms = append(terms, []any{[]any{"res_id", "=", false}, []any{"create_uid", "=", env.UID}, []any{"res_field", "=", false}})
	followed, err := scope.Followed(ctx, env, recordOp, "res_model", "res_id", "t0.res_field IS NULL", []any{"res_field", "=", false})
	if err != nil {
		return nil, err
	}
	return models.AnyOf(append(terms, followed...)), nil
}

// checkNewTarget refuses to move an attachment to a record the user may
// not change, as Odoo checks the written values.
func checkNewTarget(ctx context.Context, env *models.Env, vals map[string]any) error {
	_, hasModel := vals["res_model"]
	_, hasID := vals["res_id"]
	if !hasModel && !hasID || env.IsSuperuser() {
		return nil
	}
	if system, err := env.HasGroup(ctx, "base.group_system"); err != nil || system {
		return err
	}
	model, _ := vals["res_model"].(string)
	var id int64
	switch v := vals["res_id"].(type) {
	case int64:
		id = v
	case float64:
		id = int64(v)
	}
	if model == "" || id == 0 {
		return nil
	}
	m := env.Registry.Model(model)
	if m == nil {
		return models.AccessErrorf("Sorry, you are not allowed to access this document.")
	}
	ok, err := env.Permitted(ctx, m, []int64{id}, models.OpWrite)
	if err != nil {
		return err
	}
	if len(ok) == 0 {
		return models.AccessErrorf("Sorry, you are not allowed to access this document.")
	}
	return nil
}

// fieldAttachmentsHidden leaves the attachments that hold binary fields
// out of searches whose domain names neither res_field nor id, as Odoo's
// ir.attachment._search does: a record's files are what a client lists,
// not its images.
func fieldAttachmentsHidden(terms []any) []any {
	if namesField(terms, "res_field", "id") {
		return nil
	}
	return []any{[]any{"res_field", "=", false}}
}

// namesField reports whether a leaf of the domain terms is on one of
// names.
func namesField(terms []any, names ...string) bool {
	for _, t := range terms {
		leaf, ok := t.([]any)
		if !ok || len(leaf) != 3 {
			continue
		}
		if f, ok := leaf[0].(string); ok && slices.Contains(names, f) {
			return true
		}
	}
	return false
}
