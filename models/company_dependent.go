package models

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Company-dependent fields (Odoo 18's company_dependent=True: a partner's
// barcode, a product's standard_price, the property_* accounts) keep one
// value per company in one JSON column, an object from the company's id
// (as text) to the value. A record read, searched, ordered or grouped
// sees the value of the call's company (the first of allowed_company_ids,
// else the user's company); a company without a value of its own sees
// the field's fallback, its ir.default for that company or for all
// companies, as Odoo's Field.to_sql. One SQL expression (colExpr) serves
// every one of those, so that they never disagree. A JSON null is a value
// of its own (a write of False), not a missing one.

// isCompanyDependent reports whether a described field says Odoo keeps a
// value per company.
func isCompanyDependent(described []Attr) bool {
	for _, a := range described {
		if a.Name == "company_dependent" {
			b, _ := a.Value.(bool)
			return b
		}
	}
	return false
}

// colExpr is the SQL of f's value in the row of alias: its column, or
// for a company-dependent field the value of the call's company cast to
// the field's type.
func (env *Env) colExpr(ctx context.Context, f *Field, alias string) (string, error) {
	col := alias + "." + f.Column
	if !f.CompanyDependent {
		return col, nil
	}
	cid, err := env.company(ctx)
	if err != nil {
		return "", err
	}
	fallback, err := env.companyFallback(ctx, f, cid)
	if err != nil {
		return "", err
	}
	return companyExpr(env.Dialect, f, col, cid, fallback), nil
}

// companyExpr is the SQL of col's value for company cid, fallback (a
// value decoded from JSON and checked by fallbackFits, nil for none) when
// the company has no entry. The fallback is anyone's ir.default and the
// SQL is formatted by bun, which reads every ?, even inside a quoted
// literal, as a placeholder: text goes in as hexadecimal (fallbackText),
// so that no character of it reaches the SQL as itself.
func companyExpr(dialect string, f *Field, col string, cid int64, fallback any) string {
	key := strconv.FormatInt(cid, 10)
	if dialect == "pg" {
		v := col + "->'" + key + "'"
		if fallback != nil {
			b, _ := json.Marshal(fallback)
			v = "COALESCE(" + v + ", " + fallbackText(dialect, string(b)) + "::jsonb)"
		}
		return "((" + v + ") #>> '{}')::" + pgCast(f)
	}
	path := "'$.\"" + key + "\"'"
	v := "json_extract(" + col + ", " + path + ")"
	if fallback != nil {
		v = "CASE WHEN json_type(" + col + ", " + path + ") IS NULL THEN " + sqliteLiteral(fallback) + " ELSE " + v + " END"
	}
	return v
}

// fallbackText is the SQL of the text s spelled in hexadecimal digits
// alone, which neither a quote, a backslash nor a bun placeholder can
// break out of.
func fallbackText(dialect, s string) string {
	h := hex.EncodeToString([]byte(s))
	if dialect == "pg" {
		return "convert_from(decode('" + h + "', 'hex'), 'UTF8')"
	}
	return "CAST(X'" + h + "' AS TEXT)"
}

// fallbackFits is v, a fallback decoded from JSON, when it is a value of
// f's type as the SQL of companyExpr casts it, else nil: an ir.default of
// the wrong type (false for a many2one, text for a number) would make
// every read of the field fail, and Odoo reads such a default as no
// value.
func fallbackFits(f *Field, v any) any {
	switch f.Type {
	case Integer, Many2one, Many2oneReference:
		n, ok := v.(json.Number)
		if !ok {
			return nil
		}
		if i, err := strconv.ParseInt(n.String(), 10, 32); err != nil || f.Type != Integer && i <= 0 {
			return nil
		}
		return n
	case Float, Monetary:
		n, ok := v.(json.Number)
		if !ok {
			return nil
		}
		if _, err := strconv.ParseFloat(n.String(), 64); err != nil {
			return nil
		}
		return n
	case Boolean:
		if _, ok := v.(bool); !ok {
			return nil
		}
		return v
	case Date, Datetime:
		s, ok := v.(string)
		if !ok {
			return nil
		}
		layout := DateLayout
		if f.Type == Datetime {
			layout = DatetimeLayout
		}
		if _, err := time.Parse(layout, s); err != nil {
			return nil
		}
		return s
	case Char, Text, HTML, Selection:
		if _, ok := v.(string); !ok {
			return nil
		}
		return v
	}
	return nil
}

// pgCast is the PostgreSQL type a company-dependent value is read as: the
// type the field's own column would have.
func pgCast(f *Field) string {
	switch f.Type {
	case Integer, Many2one, Many2oneReference:
		return "int4"
	case Float:
		if f.Numeric {
			return "numeric"
		}
		return "float8"
	case Monetary:
		return "numeric"
	case Boolean:
		return "boolean"
	case Date:
		return "date"
	case Datetime:
		return "timestamp"
	}
	return "varchar"
}

// sqliteLiteral renders a fallback (fallbackFits) as SQLite reads it
// from JSON (json_extract): booleans as 1 and 0, text in hexadecimal.
func sqliteLiteral(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "1"
		}
		return "0"
	case json.Number:
		return x.String()
	case string:
		return fallbackText("sqlite", x)
	}
	return "NULL"
}

// company is the call's company, Odoo's env.company: the first of the
// context's allowed_company_ids, else the user's company, else the main
// one. The user's is read once per transaction.
func (env *Env) company(ctx context.Context) (int64, error) {
	if allowed := env.allowedCompanies(); len(allowed) > 0 {
		return allowed[0], nil
	}
	key := "company_dependent.company." + strconv.FormatInt(env.UID, 10)
	if v, ok := env.state.data[key].(int64); ok {
		return v, nil
	}
	var id int64
	if _, err := env.Scalar(ctx, &id, "SELECT company_id FROM res_users WHERE id = ?", env.UID); err != nil {
		return 0, err
	}
	if id == 0 {
		if _, err := env.Scalar(ctx, &id, "SELECT COALESCE(MIN(id), 1) FROM res_company"); err != nil {
			return 0, err
		}
	}
	env.TxData(key, func() any { return id })
	return id, nil
}

// companyFallback is the value a company without one of its own reads in
// f: the ir.default of f for company cid or for every company (not a
// user's own, not a conditional one), as the superuser sees them; nil
// for none. The defaults of a model are read once per transaction and
// company.
func (env *Env) companyFallback(ctx context.Context, f *Field, cid int64) (any, error) {
	m := env.Registry.Model(f.Model)
	if env.Registry.Model("ir.default") == nil || m == nil {
		return nil, nil
	}
	key := fallbackKeyPrefix + f.Model + "." + strconv.FormatInt(cid, 10)
	if m, ok := env.state.data[key].(map[string]any); ok {
		return m[f.Name], nil
	}
	rows, err := env.Query(ctx, `SELECT f.name, d.json_value FROM ir_default d JOIN ir_model_fields f ON f.id = d.field_id
		WHERE f.model = ? AND (d.user_id IS NULL OR d.user_id = ?) AND (d.company_id IS NULL OR d.company_id = ?)
		AND (d.condition IS NULL OR d.condition = '')
		ORDER BY d.user_id IS NULL, d.user_id, d.company_id IS NULL, d.company_id, d.id`, f.Model, SuperuserID, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := map[string]any{}
	for rows.Next() {
		var name string
		var raw *string
		if err := rows.Scan(&name, &raw); err != nil {
			return nil, err
		}
		if _, ok := found[name]; ok || raw == nil {
			continue
		}
		d := json.NewDecoder(strings.NewReader(*raw))
		d.UseNumber()
		var v any
		if d.Decode(&v) != nil {
			continue
		}
		if g := m.Fields[name]; g != nil {
			found[name] = fallbackFits(g, v)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	env.TxData(key, func() any { return found })
	return found[f.Name], nil
}

// fallbackKeyPrefix starts the TxData keys of the fallbacks
// companyFallback keeps, one per model and company.
const fallbackKeyPrefix = "company_dependent.fallback."

// defaultsChanged forgets the fallbacks the transaction read when table,
// written, is ir.default's: a default created, changed or deleted is what
// the call's next read of a company-dependent field falls back to.
func (env *Env) defaultsChanged(table string) {
	if table != "ir_default" {
		return
	}
	for k := range env.state.data {
		if strings.HasPrefix(k, fallbackKeyPrefix) {
			delete(env.state.data, k)
		}
	}
}

// companyDefault is what default_get gives a company-dependent field
// without a default of its own: the value the call's company reads in a
// record that has none (companyFallback), as a wire value; nil for none.
// Create stores no such value, so that a later ir.default of the company
// is read by the records made before it, as in Odoo.
func (env *Env) companyDefault(ctx context.Context, f *Field) (any, error) {
	cid, err := env.company(ctx)
	if err != nil {
		return nil, err
	}
	v, err := env.companyFallback(ctx, f, cid)
	if err != nil || v == nil {
		return nil, err
	}
	if n, ok := v.(json.Number); ok {
		switch f.Type {
		case Integer, Many2one, Many2oneReference:
			i, err := n.Int64()
			if err != nil {
				return nil, nil
			}
			return i, nil
		}
		x, err := n.Float64()
		if err != nil {
			return nil, nil
		}
		return x, nil
	}
	return v, nil
}

// companySet is the SQL of an UPDATE's assignment of a company-dependent
// column: the call's company's entry set, the other companies' kept. Its
// one argument is the value as JSON (companyJSON).
func companySet(dialect, column string, cid int64) string {
	key := strconv.FormatInt(cid, 10)
	if dialect == "pg" {
		return column + " = COALESCE(" + column + ", '{}'::jsonb) || jsonb_build_object('" + key + "', ?::jsonb)"
	}
	return column + " = json_set(COALESCE(" + column + ", '{}'), '$.\"" + key + "\"', json(?))"
}

// companyJSON is a column value (as toDB gives it) as JSON text, the form
// a company's entry takes.
func companyJSON(v any) string {
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}

// companyObject is the column value a created record's company-dependent
// field gets: the call's company's entry alone.
func companyObject(cid int64, v any) string {
	return `{"` + strconv.FormatInt(cid, 10) + `":` + companyJSON(v) + `}`
}

// companyRefs lists the company-dependent many2one fields of r's models
// with a table, by the model they point to.
func companyRefs(r *Registry) map[string][]*Field {
	var out map[string][]*Field
	for _, name := range r.Names() {
		m := r.models[name]
		if m.Abstract {
			continue
		}
		for _, fname := range m.FieldOrder {
			if f := m.Fields[fname]; f.CompanyDependent && f.Type == Many2one && f.hasColumn() {
				if out == nil {
					out = map[string][]*Field{}
				}
				out[f.Relation] = append(out[f.Relation], f)
			}
		}
	}
	return out
}

// checkCompanyRefs refuses, as Odoo's unlink does, to delete ids of m
// when one is the ir.default of a company-dependent many2one (what
// companies without a value of their own read), or the value of one
// whose ondelete is restrict.
func (env *Env) checkCompanyRefs(ctx context.Context, m *Model, ids []int64) error {
	fields := env.Registry.companyRefs[m.Name]
	if len(fields) == 0 || len(ids) == 0 {
		return nil
	}
	if env.Registry.Model("ir.default") != nil {
		var pairs []string
		var args []any
		for _, f := range fields {
			pairs = append(pairs, "(f.model = ? AND f.name = ?)")
			args = append(args, f.Model, f.Name)
		}
		values := make([]any, len(ids))
		for i, id := range ids {
			values[i] = strconv.FormatInt(id, 10)
		}
		args = append(args, values...)
		var model, name, value string
		err := env.queryRow(ctx, `SELECT f.model, f.name, d.json_value FROM ir_default d
			JOIN ir_model_fields f ON f.id = d.field_id WHERE (`+strings.Join(pairs, " OR ")+`) AND d.json_value IN (`+
			Placeholders(len(ids))+`) ORDER BY d.id DESC LIMIT 1`, args...).Scan(&model, &name, &value)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return env.Classify(err)
		}
		if err == nil {
			return UserErrorf("Unable to delete %s(%s,) because it is used as the default value of %s.%s", m.Name, value, model, name)
		}
	}
	for _, f := range fields {
		owner := env.Registry.Model(f.Model)
		if f.OnDelete != "restrict" || owner == nil {
			continue
		}
		for _, id := range ids {
			var user int64
			found, err := env.Scalar(ctx, &user, "SELECT id FROM "+owner.Table+" WHERE "+companyHas(env.Dialect, owner.Table+"."+f.Column)+" ORDER BY id LIMIT 1",
				companyArg(env.Dialect, id))
			if err != nil {
				return err
			}
			if found {
				return UserErrorf("You cannot delete %s(%d,), as it is used by %s(%d,)", m.Name, id, owner.Name, user)
			}
		}
	}
	return nil
}

// companyHas is the SQL condition that a company-dependent many2one
// column holds, for some company, the id its argument gives
// (companyArg).
func companyHas(dialect, col string) string {
	if dialect == "pg" {
		return "EXISTS (SELECT 1 FROM jsonb_each(" + col + ") e WHERE e.value #>> '{}' = ?)"
	}
	return "EXISTS (SELECT 1 FROM json_each(" + col + ") e WHERE e.type = 'integer' AND e.value = ?)"
}

// companyArg is an id as companyHas compares it: text on PostgreSQL.
func companyArg(dialect string, id int64) any {
	if dialect == "pg" {
		return strconv.FormatInt(id, 10)
	}
	return id
}

// dropCompanyRefs empties, for every company, the company-dependent
// many2one values that name one of ids of m, deleted: a JSON column has
// no foreign key to do it, and Odoo's unlink empties them the same way
// (the entry stays, as null, so the company does not fall back to the
// default).
func (env *Env) dropCompanyRefs(ctx context.Context, m *Model, ids []int64) error {
	fields := env.Registry.companyRefs[m.Name]
	if len(fields) == 0 || len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		if env.Dialect == "pg" {
			args[i] = strconv.FormatInt(id, 10) // compared with the value as text
		} else {
			args[i] = id
		}
	}
	in := "(" + Placeholders(len(ids)) + ")"
	for _, f := range fields {
		owner := env.Registry.Model(f.Model)
		if owner == nil {
			continue
		}
		t, c := owner.Table, f.Column
		var q string
		if env.Dialect == "pg" {
			q = "UPDATE " + t + " SET " + c + " = (SELECT jsonb_object_agg(e.key, CASE WHEN e.value #>> '{}' IN " + in +
				" THEN 'null'::jsonb ELSE e.value END) FROM jsonb_each(" + t + "." + c + ") e) WHERE EXISTS (SELECT 1 FROM jsonb_each(" +
				t + "." + c + ") e WHERE e.value #>> '{}' IN " + in + ")"
		} else {
			q = "UPDATE " + t + " SET " + c + " = (SELECT json_group_object(e.key, CASE WHEN e.type = 'integer' AND e.value IN " + in +
				" THEN NULL ELSE e.value END) FROM json_each(" + t + "." + c + ") e) WHERE EXISTS (SELECT 1 FROM json_each(" +
				t + "." + c + ") e WHERE e.type = 'integer' AND e.value IN " + in + ")"
		}
		if _, err := env.Exec(ctx, q, append(append([]any{}, args...), args...)...); err != nil {
			return err
		}
	}
	return nil
}

// ValueSQL is the SQL of field's value of m in the row of alias (a table
// alias, or the table's name): its column, or for a company-dependent
// field the call's company's value, so that a behaviour's own query reads
// what read does.
func (env *Env) ValueSQL(ctx context.Context, m *Model, field, alias string) (string, error) {
	f := m.Fields[field]
	if f == nil || !f.hasColumn() {
		return "", fmt.Errorf("%s.%s has no column", m.Name, field)
	}
	return env.colExpr(ctx, f, alias)
}
