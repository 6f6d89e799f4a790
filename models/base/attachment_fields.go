package base

import (
	"context"

	"github.com/godoo/godoo/models"
)

// attachmentFields keeps the values of binary fields declared attachment
// in ir.attachment records of their record (res_model, res_id, res_field),
// as Odoo does: the content goes to the filestore like any attachment's.
type attachmentFields struct{}

// fieldAttachments returns the attachment of field f for each of ids that
// has one.
func fieldAttachments(ctx context.Context, env *models.Env, m *models.Model, f *models.Field, ids []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(ids) == 0 {
		return out, nil
	}
	args := append([]any{m.Name, f.Name}, models.IDArgs(ids)...)
	rows, err := env.Query(ctx, "SELECT res_id, id FROM ir_attachment WHERE res_model = ? AND res_field = ? AND res_id IN ("+
		models.Placeholders(len(ids))+") ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var resID, id int64
		if err := rows.Scan(&resID, &id); err != nil {
			return nil, err
		}
		out[resID] = id
	}
	return out, rows.Err()
}

// Read fills f with the content of each record's attachment, as datas
// reads it (a human size with bin_size).
func (attachmentFields) Read(ctx context.Context, env *models.Env, m *models.Model, f *models.Field, recs []models.Record) error {
	ids := make([]int64, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r["id"].(int64))
	}
	atts, err := fieldAttachments(ctx, env, m, f, ids)
	if err != nil {
		return err
	}
	proxies := make([]models.Record, 0, len(atts))
	byRecord := map[int64]models.Record{}
	for resID, attID := range atts {
		p := models.Record{"id": attID}
		proxies = append(proxies, p)
		byRecord[resID] = p
	}
	if err := fillContent(ctx, env, proxies, "datas"); err != nil {
		return err
	}
	for _, r := range recs {
		r[f.Name] = false
		if p := byRecord[r["id"].(int64)]; p != nil {
			r[f.Name] = p["datas"]
		}
	}
	return nil
}

// Write sets f of ids: the attachment's content is replaced, created when
// the record has none, and deleted when the value is empty.
func (attachmentFields) Write(ctx context.Context, env *models.Env, m *models.Model, f *models.Field, ids []int64, value any) error {
	att := env.Registry.Model("ir.attachment")
	su := env.Sudo()
	existing, err := fieldAttachments(ctx, su, m, f, ids)
	if err != nil {
		return err
	}
	empty := value == nil || value == false || value == ""
	for _, id := range ids {
		attID, has := existing[id]
		switch {
		case empty && has:
			if err := su.Unlink(ctx, att, []int64{attID}); err != nil {
				return err
			}
		case empty:
		case has:
			if err := su.Write(ctx, att, []int64{attID}, map[string]any{"datas": value}); err != nil {
				return err
			}
		default:
			if _, err := su.Create(ctx, att, map[string]any{"name": f.Name, "res_model": m.Name, "res_field": f.Name,
				"res_id": id, "type": "binary", "datas": value}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Unlink deletes every attachment of the records, as Odoo's unlink does.
func (attachmentFields) Unlink(ctx context.Context, env *models.Env, m *models.Model, ids []int64) error {
	if m.Name == "ir.attachment" || len(ids) == 0 {
		return nil
	}
	att := env.Registry.Model("ir.attachment")
	if att == nil {
		return nil
	}
	su := env.Sudo()
	args := append([]any{m.Name}, models.IDArgs(ids)...)
	found, err := su.Int64s(ctx, "SELECT id FROM ir_attachment WHERE res_model = ? AND res_id IN ("+models.Placeholders(len(ids))+")", args...)
	if err != nil || len(found) == 0 {
		return err
	}
	return su.Unlink(ctx, att, found)
}

// moveAttachmentValues turns the values a migration took out of the column
// of a field that became an attachment field (godoo_attachment_moves) into
// that field's attachments, content in the filestore, and empties the
// table.
func moveAttachmentValues(ctx context.Context, env *models.Env) error {
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	if env.Dialect == "pg" {
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
	}
	var n int64
	if _, err := env.Scalar(ctx, &n, q, "godoo_attachment_moves"); err != nil || n == 0 {
		return err
	}
	type move struct {
		model, field, value string
		id                  int64
	}
	rows, err := env.Query(ctx, "SELECT model, field, res_id, value FROM godoo_attachment_moves ORDER BY model, field, res_id")
	if err != nil {
		return err
	}
	var moves []move
	for rows.Next() {
		var mv move
		if err := rows.Scan(&mv.model, &mv.field, &mv.id, &mv.value); err != nil {
			rows.Close()
			return err
		}
		moves = append(moves, mv)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	su := env.Sudo()
	for _, mv := range moves {
		m := env.Registry.Model(mv.model)
		if m == nil || m.Fields[mv.field] == nil || !m.Fields[mv.field].Attachment {
			continue
		}
		if err := (attachmentFields{}).Write(ctx, su, m, m.Fields[mv.field], []int64{mv.id}, mv.value); err != nil {
			return err
		}
	}
	_, err = env.Exec(ctx, "DELETE FROM godoo_attachment_moves")
	return err
}
