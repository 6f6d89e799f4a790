package models

import "context"

// logAccessFields are Odoo's LOG_ACCESS_COLUMNS, in its order.
var logAccessFields = []string{"create_uid", "create_date", "write_uid", "write_date"}

// rpcGetMetadata is get_metadata: per record, its id, who created and last
// wrote it and when (models that log access), its first external id
// ("module.name", or False) with that id's noupdate, and all its external
// ids as {"xmlid", "noupdate"}, ordered as they were made. Records that no
// longer exist are left out.
func rpcGetMetadata(ctx context.Context, env *Env, m *Model, ids []int64, _ Args) (any, error) {
	if err := env.checkRule(ctx, m, ids, OpRead); err != nil {
		return nil, err
	}
	fields := []string{"id"}
	if m.LogAccess() {
		fields = append(fields, logAccessFields...)
	}
	// Users are named whoever may read them, as Odoo's.
	recs, err := env.Sudo().Read(ctx, m, ids, fields[1:], true)
	if err != nil {
		return nil, err
	}
	type xmlid struct {
		name     string
		noupdate bool
	}
	xmlids := map[int64][]xmlid{}
	if len(recs) > 0 {
		args := []any{m.Name}
		for _, r := range recs {
			args = append(args, r["id"])
		}
		rows, err := env.Query(ctx, "SELECT res_id, module, name, noupdate FROM ir_model_data WHERE model = ? AND res_id IN ("+
			Placeholders(len(recs))+") ORDER BY id", args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var module, name string
			var noupdate any
			if err := rows.Scan(&id, &module, &name, &noupdate); err != nil {
				return nil, err
			}
			xmlids[id] = append(xmlids[id], xmlid{module + "." + name, Bool(noupdate)})
		}
		if err := rows.Err(); err != nil {
			return nil, env.Classify(err)
		}
	}
	out := make([]any, 0, len(recs))
	for _, r := range recs {
		d := NewDict(len(fields) + 3)
		for _, f := range fields {
			d.Set(f, r[f])
		}
		all := xmlids[r["id"].(int64)]
		list := make([]any, len(all))
		for i, x := range all {
			list[i] = DictOf([]string{"xmlid", "noupdate"}, []any{x.name, x.noupdate})
		}
		if len(all) > 0 {
			d.Set("xmlid", all[0].name)
			d.Set("noupdate", all[0].noupdate)
		} else {
			d.Set("xmlid", false)
			d.Set("noupdate", false)
		}
		d.Set("xmlids", list)
		out = append(out, d)
	}
	return out, nil
}
