package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// custom-50 measures a custom model as the data-model work made them: a
// model created over XML-RPC (ir.model) with 50 fields of its own
// (ir.model.fields), as a user adds them, and a search_read of size of
// its records with all 50 fields, against the same SELECT by SQL.

// CustomModel is custom-50's model and CustomTable its table.
const (
	CustomModel = "x_bench50"
	CustomTable = "x_bench50"
)

// CustomMaxSize bounds custom-50's sizes: records of 50 fields per call.
const CustomMaxSize = 10000

// CustomField is one of custom-50's fields: its name, type, and the SQL
// expression of its value in the row of number g.i.
type CustomField struct {
	Name, Type, Expr string
}

// CustomFields are custom-50's 50 fields: 20 char, 10 integer, 8 float,
// 6 boolean, 3 date and 3 text, each filled in on every row.
func CustomFields() []CustomField {
	kinds := []struct {
		typ  string
		n    int
		expr func(k int) string
	}{
		{"char", 20, func(k int) string { return fmt.Sprintf("'value %d of ' || CAST(g.i AS VARCHAR)", k) }},
		{"integer", 10, func(k int) string { return fmt.Sprintf("(g.i * %d) %% 100000", 7919+k) }},
		{"float", 8, func(k int) string { return fmt.Sprintf("((g.i * %d) %% 10000) * 0.25", 31+k) }},
		{"boolean", 6, func(k int) string { return fmt.Sprintf("g.i %% %d = 0", 2+k%3) }},
		{"date", 3, func(k int) string {
			return fmt.Sprintf("CASE g.i %% 3 WHEN 0 THEN '2024-02-%02d' WHEN 1 THEN '2025-07-%02d' ELSE '2026-11-%02d' END", 1+k, 10+k, 20+k)
		}},
		{"text", 3, func(k int) string {
			return fmt.Sprintf("'A longer note, number %d, about the record ' || CAST(g.i AS VARCHAR) || ', with more words in it.'", k)
		}},
	}
	var out []CustomField
	for _, kd := range kinds {
		for k := range kd.n {
			out = append(out, CustomField{Name: fmt.Sprintf("x_f%02d", len(out)+1), Type: kd.typ, Expr: kd.expr(k)})
		}
	}
	return out
}

// customNames are the names of fields.
func customNames(fields []CustomField) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Name
	}
	return out
}

// custom50 makes custom-50's model if the database lacks it, its records
// up to size, and returns its scenario at size.
func (g *growRun) custom50(ctx context.Context, size int) (Scenario, error) {
	if size > CustomMaxSize {
		return Scenario{}, fmt.Errorf("custom-50: at most %d records per call", CustomMaxSize)
	}
	s := g.setup
	fields := CustomFields()
	var have int
	if err := s.Pool.QueryRowContext(ctx, "SELECT COUNT(*) FROM ir_model WHERE model = ?", CustomModel).Scan(&have); err != nil {
		return Scenario{}, err
	}
	if have == 0 {
		start := time.Now()
		if err := createCustomModel(ctx, s, fields); err != nil {
			return Scenario{}, fmt.Errorf("custom-50: %w", err)
		}
		fmt.Fprintf(g.progress, "bench: model %s with %d fields made over XML-RPC (%s)\n", CustomModel, len(fields), time.Since(start).Round(100*time.Millisecond))
	}
	if err := GrowCustom(ctx, s.Pool, g.dialect, fields, size, g.progress); err != nil {
		return Scenario{}, err
	}
	names := customNames(fields)
	body := xmlCall("execute_kw", s.DB, s.UID, s.Key, CustomModel, "search_read", []any{[]any{}},
		map[string]any{"fields": names, "limit": size, "order": "id"})
	last := names[len(names)-1]
	return Scenario{ID: "custom-50", Title: fmt.Sprintf("XML-RPC search_read %d×%d of a custom model, key", size, len(fields)),
		Curve: fmt.Sprintf("XML-RPC search_read N×%d of a custom model", len(fields)),
		Godoo: s.HTTP.request("POST", s.URL+"/xmlrpc/2/object", http.Header{"Content-Type": {"text/xml"}}, body,
			countCheck(strings.TrimPrefix(last, "x")+"</name>", size, xmlFault)),
		SQL:    rowsSQL(s.Pool, size, "SELECT t0.id, t0."+strings.Join(names, ", t0.")+" FROM "+CustomTable+" t0 ORDER BY t0.id ASC LIMIT ?", size),
		Server: s.Server}, nil
}

// createCustomModel creates CustomModel and its fields as the admin, over
// XML-RPC: the server changes its schema and registry as for a user.
func createCustomModel(ctx context.Context, s Setup, fields []CustomField) error {
	c := s.HTTP.conn(0)
	url := s.URL + "/xmlrpc/2/object"
	hdr := http.Header{"Content-Type": {"text/xml"}}
	out, err := c.do(ctx, "POST", url, hdr, xmlCall("execute_kw", s.DB, s.UID, s.Key, "ir.model", "create",
		[]any{map[string]any{"name": "Bench 50 fields", "model": CustomModel}}))
	if err != nil {
		return err
	}
	id, err := xmlInt(out)
	if err != nil {
		return fmt.Errorf("create the model: %w", err)
	}
	for _, f := range fields {
		out, err := c.do(ctx, "POST", url, hdr, xmlCall("execute_kw", s.DB, s.UID, s.Key, "ir.model.fields", "create",
			[]any{map[string]any{"model_id": id, "name": f.Name, "field_description": "Field " + f.Name[2:], "ttype": f.Type}}))
		if err != nil {
			return err
		}
		if _, err := xmlInt(out); err != nil {
			return fmt.Errorf("create the field %s: %w", f.Name, err)
		}
	}
	return nil
}

// GrowCustom adds records to CustomTable until it holds n, made by the
// database itself, with every one of fields filled in.
func GrowCustom(ctx context.Context, db *bun.DB, dialect string, fields []CustomField, n int, progress io.Writer) error {
	have, err := count(ctx, db, CustomTable)
	if err != nil || have >= n {
		return err
	}
	cols := customNames(fields)
	exprs := make([]string, len(fields))
	for i, f := range fields {
		exprs[i] = f.Expr
		if f.Type == "date" && dialect != "sqlite" {
			// PostgreSQL types a CASE of literals as text; SQLite keeps
			// dates as text, and its CAST AS DATE would make a number.
			exprs[i] = "CAST(" + f.Expr + " AS DATE)"
		}
	}
	now := time.Now().UTC().Format("2006-01-02 15:04:05")
	q := "WITH " + series(dialect) + `
		INSERT INTO ` + CustomTable + ` (x_name, create_uid, write_uid, create_date, write_date, ` + strings.Join(cols, ", ") + `)
		SELECT 'Record ' || CAST(g.i AS VARCHAR), 1, 1, ?, ?, ` + strings.Join(exprs, ", ") + ` FROM g`
	if _, err := db.ExecContext(ctx, q, have, n-1, now, now); err != nil {
		return fmt.Errorf("grow %s: %w", CustomTable, err)
	}
	fmt.Fprintf(progress, "bench: %s %s of %s records\n", CustomTable, strconv.Itoa(n), strconv.Itoa(n))
	return afterBulk(ctx, db, CustomTable)
}
