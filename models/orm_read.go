package models

import (
	"context"
	"database/sql"
	"encoding/base64"
	"sort"
	"strconv"
	"strings"

	"github.com/godoo/godoo/models/py"
)

// Read returns the records of ids (in that order, skipping ids that do not
// exist, as Odoo's read does) with the given fields; all readable fields when
// fields is empty. With load false, many2one values are plain ids.
//
// Fields restricted to groups the user is not in are left out of a read of
// all fields, and refused with an AccessError when named.
func (env *Env) Read(ctx context.Context, m *Model, ids []int64, fields []string, load bool) ([]Record, error) {
	fields, err := env.readFields(ctx, m, fields)
	if err != nil {
		return nil, err
	}
	return env.read(ctx, m, ids, fields, load)
}

// read is Read with fields already checked.
func (env *Env) read(ctx context.Context, m *Model, ids []int64, fields []string, load bool) ([]Record, error) {
	if err := env.checkRule(ctx, m, ids, OpRead); err != nil {
		return nil, err
	}
	recs, err := env.fetch(ctx, m, ids, fields)
	if err != nil {
		return nil, err
	}
	return env.finishRead(ctx, m, recs, fields, load)
}

// SearchRead is search followed by read in one query: the records of m
// matching domain, in the search's order, with the given fields (all
// readable fields when empty). The search applies the read rules, so the
// records need no second check.
func (env *Env) SearchRead(ctx context.Context, m *Model, domain any, o SearchOptions, fields []string, load bool) ([]Record, error) {
	fields, err := env.readFields(ctx, m, fields)
	if err != nil {
		return nil, err
	}
	return env.searchRead(ctx, m, domain, o, fields, load)
}

// searchRead is SearchRead with fields already checked.
func (env *Env) searchRead(ctx context.Context, m *Model, domain any, o SearchOptions, fields []string, load bool) ([]Record, error) {
	cols := fetchColumns(m, fields)
	sel, err := env.selectList(ctx, cols)
	if err != nil {
		return nil, err
	}
	q, args, err := env.searchQuery(ctx, m, domain, o, sel)
	if err != nil {
		return nil, err
	}
	rows, err := env.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	recs, err := env.scanRecords(rows, m, cols, fields, 0)
	if err != nil {
		return nil, err
	}
	return env.finishRead(ctx, m, recs, fields, load)
}

// readFields validates the fields of a read (all readable fields when
// empty) and the user's access to them.
func (env *Env) readFields(ctx context.Context, m *Model, fields []string) ([]string, error) {
	if len(fields) == 0 {
		all, err := env.readableFields(ctx, m)
		if err != nil {
			return nil, err
		}
		fields = all
	}
	for _, name := range fields {
		if m.Fields[name] == nil {
			return nil, ServerErrorf("builtins.ValueError", "Invalid field '%s' on model '%s'", name, m.Name)
		}
	}
	if err := env.checkFieldsAccess(ctx, m, fields, "read"); err != nil {
		return nil, err
	}
	return fields, nil
}

// finishRead completes fetched records: related, x2many, computed and
// display names, many2one names when load, and drops helper columns.
func (env *Env) finishRead(ctx context.Context, m *Model, recs []Record, fields []string, load bool) ([]Record, error) {
	if len(recs) == 0 {
		return recs, nil
	}
	if err := env.fillRelated(ctx, m, recs, fields); err != nil {
		return nil, err
	}
	if err := env.fillX2many(ctx, m, recs, fields); err != nil {
		return nil, err
	}
	for _, name := range fields {
		f := m.Fields[name]
		if f.valueless() {
			for _, r := range recs {
				r[name] = f.emptyValue()
			}
		}
		if f.Compute != nil {
			if err := f.Compute(ctx, env, recs); err != nil {
				return nil, err
			}
		}
	}
	if py.Truthy(env.Context["bin_size"]) {
		binSizes(m, recs, fields)
	}
	if err := env.readAttachmentFields(ctx, m, recs, fields); err != nil {
		return nil, err
	}
	if contains(fields, "display_name") {
		// A name that lives on a delegated record (ir.cron's, its server
		// action's) is read even when only display_name was asked for.
		if rn := m.Fields[m.RecName]; m.DisplayName == nil && rn != nil && rn.Related != nil && !contains(fields, rn.Name) {
			if err := env.fillRelated(ctx, m, recs, []string{rn.Name}); err != nil {
				return nil, err
			}
		}
		if err := env.fillDisplayName(ctx, m, recs); err != nil {
			return nil, err
		}
	}
	if load {
		if err := env.nameMany2ones(ctx, m, recs, fields); err != nil {
			return nil, err
		}
	}
	// Helper columns read for related fields are not part of the answer.
	for _, r := range recs {
		for k := range r {
			if k != "id" && m.Fields[k] != nil && !contains(fields, k) {
				delete(r, k)
			}
		}
	}
	return recs, nil
}

// fetch loads the stored columns of fields (plus what related fields need)
// for ids, returning records in the order of ids.
func (env *Env) fetch(ctx context.Context, m *Model, ids []int64, fields []string) ([]Record, error) {
	if len(ids) == 0 {
		return []Record{}, nil
	}
	cols := fetchColumns(m, fields)
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	sel, err := env.selectList(ctx, cols)
	if err != nil {
		return nil, err
	}
	rows, err := env.Query(ctx, "SELECT "+sel+" FROM "+m.Table+" t0 WHERE t0.id IN ("+Placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	found, err := env.scanRecords(rows, m, cols, fields, len(ids))
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]Record, len(found))
	for _, r := range found {
		id, _ := r["id"].(int64)
		byID[id] = r
	}
	out := make([]Record, 0, len(byID))
	done := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if r := byID[id]; r != nil && !done[id] {
			done[id] = true
			out = append(out, r)
		}
	}
	return out, nil
}

// fetchColumns lists the stored fields a read of fields needs: id, the
// fields, what their related and computed values depend on, and what the
// display name is made of.
func fetchColumns(m *Model, fields []string) []*Field {
	cols := []*Field{m.Fields["id"]}
	seen := map[string]bool{"id": true}
	add := func(f *Field) {
		if f != nil && f.Stored() && !seen[f.Name] {
			seen[f.Name] = true
			cols = append(cols, f)
		}
	}
	for _, name := range fields {
		f := m.Fields[name]
		add(f)
		if f.Related != nil {
			add(m.Fields[f.Related[0]])
		}
		for _, dep := range f.Depends {
			add(m.Fields[dep])
		}
	}
	if contains(fields, "display_name") {
		add(m.Fields[m.RecName])
		if rn := m.Fields[m.RecName]; rn != nil && rn.Related != nil {
			add(m.Fields[rn.Related[0]])
		}
		for _, extra := range m.displayNameFields() {
			add(m.Fields[extra])
		}
	}
	return cols
}

// selectList renders cols for alias t0: their columns, or a
// company-dependent field's value for the call's company.
func (env *Env) selectList(ctx context.Context, cols []*Field) (string, error) {
	var b strings.Builder
	for i, f := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		if f.CompanyDependent {
			expr, err := env.colExpr(ctx, f, "t0")
			if err != nil {
				return "", err
			}
			b.WriteString(expr)
			continue
		}
		b.WriteString("t0." + f.Column)
	}
	return b.String(), nil
}

// scanRecords reads rows of cols into records, in row order, and closes
// rows. size is a capacity hint.
func (env *Env) scanRecords(rows *sql.Rows, m *Model, cols []*Field, fields []string, size int) ([]Record, error) {
	defer rows.Close()
	out := make([]Record, 0, size)
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := make(Record, len(fields)+1)
		for i, f := range cols {
			r[f.Name] = f.fromDB(vals[i])
		}
		for _, name := range fields {
			// Write-only fields read as empty strings, as Odoo's password
			// does; their column is never selected.
			if m.Fields[name].WriteOnly {
				r[name] = ""
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, env.Classify(err)
	}
	return out, nil
}

// displayNameFields lists extra stored fields the display name needs.
func (m *Model) displayNameFields() []string {
	if m.DisplayName != nil {
		return m.DisplayNameDeps
	}
	return nil
}

// fillDisplayName computes display_name for recs from what fetch loaded.
func (env *Env) fillDisplayName(ctx context.Context, m *Model, recs []Record) error {
	if m.DisplayName != nil {
		return m.DisplayName(ctx, env, recs)
	}
	for _, r := range recs {
		r["display_name"] = defaultDisplayName(m, r)
	}
	return nil
}

func defaultDisplayName(m *Model, r Record) any {
	if m.RecName == "id" {
		return RecordRepr(m.Name, []int64{r["id"].(int64)})
	}
	v := r[m.RecName]
	if s, ok := v.(string); ok {
		return s
	}
	return false
}

// fillRelated reads fields that live on a delegated record.
func (env *Env) fillRelated(ctx context.Context, m *Model, recs []Record, fields []string) error {
	for _, name := range fields {
		f := m.Fields[name]
		if f.Related == nil {
			continue
		}
		via := m.Fields[f.Related[0]]
		co := env.Registry.Model(via.Relation)
		var targets []int64
		for _, r := range recs {
			if id, ok := r[via.Name].(int64); ok {
				targets = append(targets, id)
			}
		}
		sub, err := env.Read(ctx, co, targets, []string{f.Related[1]}, false)
		if err != nil {
			return err
		}
		byID := make(map[int64]any, len(sub))
		for _, s := range sub {
			byID[s["id"].(int64)] = s[f.Related[1]]
		}
		for _, r := range recs {
			id, _ := r[via.Name].(int64)
			if v, ok := byID[id]; ok {
				r[name] = v
			} else {
				r[name] = false
			}
		}
	}
	return nil
}

// fillX2many reads one2many and many2many values as id lists, leaving out
// archived linked records unless active_test is off. As Odoo reads them
// with a search of the comodel, the ids are those of records the field's
// domain keeps and the comodel's read rules let the user see: one query
// per field for all of recs.
func (env *Env) fillX2many(ctx context.Context, m *Model, recs []Record, fields []string) error {
	ids := make([]any, len(recs))
	for i, r := range recs {
		ids[i] = r["id"]
	}
	for _, name := range fields {
		f := m.Fields[name]
		if f.Type != One2many && f.Type != Many2many || f.valueless() || f.Compute != nil {
			continue
		}
		co := env.Registry.Model(f.Relation)
		active := ""
		if co.HasActive() && env.ActiveTest() {
			active = " AND t0.active = TRUE"
		}
		// The linked ids come in the comodel's order, as Odoo reads them.
		order, colErr, err := env.renderedOrder(ctx, co, "t0", "")
		if colErr != nil {
			// The company or fallback of a company-dependent field of
			// the comodel's order could not be read: its expression is
			// empty, and the query would fail on it less clearly.
			return colErr
		}
		if err != nil {
			order = "t0.id"
		}
		var q string
		var link where
		if f.Type == One2many {
			inv := co.Fields[f.InverseName]
			link = where{sql: "t0." + inv.Column + " IN (" + Placeholders(len(ids)) + ")" + f.inverseModel(co, "t0", m.Name), args: ids}
			q = "SELECT t0." + inv.Column + ", t0.id FROM " + co.Table + " t0 WHERE " + link.sql + active
		} else {
			in := f.RelCol + " IN (" + Placeholders(len(ids)) + ")"
			link = where{sql: "t0.id IN (SELECT x2m." + f.RelOther + " FROM " + f.RelTable + " x2m WHERE x2m." + in + ")", args: ids}
			q = "SELECT x2m." + f.RelCol + ", x2m." + f.RelOther + " FROM " + f.RelTable + " x2m JOIN " + co.Table +
				" t0 ON t0.id = x2m." + f.RelOther + " WHERE x2m." + in + active
		}
		keep, err := env.x2manyKeep(ctx, f, co, link)
		if err != nil {
			return err
		}
		if keep.sql != sqlTrue.sql {
			q += " AND " + keep.sql
		}
		links, err := env.Pairs(ctx, q+" ORDER BY "+order, append(ids[:len(ids):len(ids)], keep.args...)...)
		if err != nil {
			return err
		}
		for _, r := range recs {
			l := links[r["id"].(int64)]
			if l == nil {
				l = []int64{}
			}
			r[name] = l
		}
	}
	return nil
}

// nameMany2ones replaces many2one ids by [id, display_name] pairs.
func (env *Env) nameMany2ones(ctx context.Context, m *Model, recs []Record, fields []string) error {
	for _, name := range fields {
		f := m.Fields[name]
		if f.Type != Many2one {
			continue
		}
		co := env.Registry.Model(f.Relation)
		idset := map[int64]bool{}
		for _, r := range recs {
			if id, ok := r[name].(int64); ok {
				idset[id] = true
			}
		}
		if len(idset) == 0 {
			continue
		}
		ids := make([]int64, 0, len(idset))
		for id := range idset {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		names, err := env.Sudo().DisplayNames(ctx, co, ids)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if id, ok := r[name].(int64); ok {
				r[name] = []any{id, names[id]}
			}
		}
	}
	return nil
}

// DisplayNames returns the display name of each id of m.
func (env *Env) DisplayNames(ctx context.Context, m *Model, ids []int64) (map[int64]any, error) {
	recs, err := env.Read(ctx, m, ids, []string{"display_name"}, false)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]any, len(recs))
	for _, r := range recs {
		out[r["id"].(int64)] = r["display_name"]
	}
	return out, nil
}

// binSizes replaces binary values by their human-readable size, as Odoo does
// when the context asks for bin_size.
func binSizes(m *Model, recs []Record, fields []string) {
	for _, name := range fields {
		if f := m.Fields[name]; f.Type != Binary || f.Attachment || f.Compute != nil {
			continue // these give their size themselves, without their content
		}
		for _, r := range recs {
			if s, ok := r[name].(string); ok {
				r[name] = humanSize(base64.StdEncoding.DecodedLen(len(s)) - strings.Count(s, "="))
			}
		}
	}
}

// humanSize formats a byte count as Odoo's tools.human_size.
func humanSize(n int) string {
	units := []string{"bytes", "Kb", "Mb", "Gb", "Tb"}
	s, i := float64(n), 0
	for s >= 1024 && i < len(units)-1 {
		s /= 1024
		i++
	}
	return strconv.FormatFloat(s, 'f', 2, 64) + " " + units[i]
}
