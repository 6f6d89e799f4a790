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
// (res_field) only by administrators, who pass every check.
func attachmentRule(ctx context.Context, env *models.Env, op models.Op) ([]any, error) {
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
	byModel, err := attachedRecords(ctx, env)
	if err != nil {
		return nil, err
	}
	for _, name := range sortedNames(byModel) {
		m := env.Registry.Model(name)
		if m == nil {
			continue // a model godoo does not serve: administrators only
		}
		ok, err := env.Permitted(ctx, m, byModel[name], recordOp)
		if err != nil {
			return nil, err
		}
		if len(ok) == 0 {
			continue
		}
		ids := make([]any, len(ok))
		for i, id := range ok {
			ids[i] = id
		}
		terms = append(terms, []any{[]any{"res_model", "=", name}, []any{"res_id", "in", ids}, []any{"res_field", "=", false}})
	}
	var dom []any
	for i := 1; i < len(terms); i++ {
		dom = append(dom, "|")
	}
	for _, t := range terms {
		for i := 1; i < len(t); i++ {
			dom = append(dom, "&")
		}
		dom = append(dom, t...)
	}
	return dom, nil
}

// attachedRecords are the records attachments belong to, by model.
func attachedRecords(ctx context.Context, env *models.Env) (map[string][]int64, error) {
	rows, err := env.Query(ctx, "SELECT DISTINCT res_model, res_id FROM ir_attachment WHERE res_model IS NOT NULL AND res_id IS NOT NULL AND res_id <> 0 AND res_field IS NULL")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]int64{}
	for rows.Next() {
		var model string
		var id int64
		if err := rows.Scan(&model, &id); err != nil {
			return nil, err
		}
		out[model] = append(out[model], id)
	}
	return out, rows.Err()
}

func sortedNames(m map[string][]int64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
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
