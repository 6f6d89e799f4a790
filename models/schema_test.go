package models_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// widgets are models declared after a database was made: a new model with
// relations, constraints, an index and a column that is no field, and new
// fields on an existing table (res_partner), as a module would add them.
var widgets = []string{
	`{"model": "x.widget", "description": "Widgets", "order": "name",
		"constraints": [
			{"name": "x_widget_code_uniq", "columns": ["code"], "message": "Codes are unique."},
			{"name": "x_widget_serial_uniq", "columns": ["serial"]}
		],
		"indexes": [{"name": "x_widget_kind_size_index", "columns": ["kind", "size"]}],
		"columns": [{"name": "x_secret", "type": "char", "size": 16, "required": true, "default": "none"}],
		"fields": {
			"name": {"type": "char", "string": "Name", "required": true, "index": true},
			"code": {"type": "char", "size": 8},
			"serial": {"type": "integer"},
			"kind": {"type": "selection", "selection": [["a", "A"], ["b", "B"]], "default": "a"},
			"size": {"type": "float"},
			"price": {"type": "monetary"},
			"due": {"type": "date"},
			"seen": {"type": "datetime"},
			"ok": {"type": "boolean", "default": true},
			"note": {"type": "html"},
			"blob": {"type": "binary"},
			"partner_id": {"type": "many2one", "relation": "res.partner", "ondelete": "cascade"},
			"parent_id": {"type": "many2one", "relation": "x.widget"},
			"child_ids": {"type": "one2many", "relation": "x.widget", "relation_field": "parent_id"},
			"tag_ids": {"type": "many2many", "relation": "res.partner.category", "relation_table": "x_widget_tag_rel", "column1": "widget_id", "column2": "tag_id"}
		}}`,
	`{"model": "x.partner.extra", "table": "res_partner", "fields": {
			"x_level": {"type": "integer", "required": true, "default": 2},
			"x_flag": {"type": "boolean"},
			"x_tag_id": {"type": "many2one", "relation": "res.partner.category"},
			"x_note": {"type": "text", "required": true}
		}}`,
	`{"model": "x.lang.extra", "table": "res_lang", "fields": {"x_req": {"type": "char", "required": true}}}`,
}

func widgetRegistry(t *testing.T) *models.Registry {
	t.Helper()
	r := storetest.Base(t)
	storetest.Declare(t, r, widgets...)
	return r
}

// TestEnsureSchemaAddsDeclared checks, on both stores, that a database made
// before models were declared gets their tables, columns, foreign keys,
// link tables, constraints and indexes when the schema is ensured, that the
// rows it had get the defaults of new columns (and, on PostgreSQL, a
// required column is NOT NULL when its table is empty), that ensuring again runs
// nothing, and that the ORM then works on them: defaults, links, the
// declared message of a unique constraint, the database's description for
// one without a message, and ondelete.
func TestEnsureSchemaAddsDeclared(t *testing.T) {
	r := widgetRegistry(t)
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		storetest.Migrate(t, s, db)
		storetest.English(t, db)
		if _, err := db.ExecContext(ctx, "INSERT INTO res_partner (name) VALUES ('before')"); err != nil {
			t.Fatal(err)
		}
		ran, err := models.EnsureSchema(ctx, db, s.Dialect(), r)
		if err != nil {
			t.Fatal(err)
		}
		if len(ran) == 0 {
			t.Fatal("nothing was created")
		}
		all, err := models.SchemaDiff(ctx, db, s.Dialect(), r)
		if err != nil {
			t.Fatal(err)
		}
		// The base's own required columns that ensure added are
		// TestMigratedSchemaIsDeclared's; here the widgets' are.
		var diff []string
		for _, d := range all {
			if strings.Contains(d, ".x_") || strings.Contains(d, " x_") {
				diff = append(diff, d)
			}
		}
		// A required column without a default cannot be NOT NULL on a
		// table that has rows (res_lang holds English, res_partner a
		// partner); nothing else may differ.
		want := []string{"column res_lang.x_req accepts NULL", "column res_partner.x_note accepts NULL"}
		if !slices.Equal(diff, want) {
			t.Errorf("diff %q, want %q", diff, want)
		}
		if again, err := models.EnsureSchema(ctx, db, s.Dialect(), r); err != nil || len(again) != 0 {
			t.Fatalf("second ensure: %v %v", again, err)
		}
		var level int64
		if err := db.QueryRowContext(ctx, "SELECT x_level FROM res_partner WHERE name = 'before'").Scan(&level); err != nil || level != 2 {
			t.Fatalf("the old row's new column: %d %v", level, err)
		}
		// Each step in a transaction of its own, as services runs calls: a
		// failed statement ends a PostgreSQL transaction.
		inTx := func(fn func(env *models.Env) error) error {
			return db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
				return fn(models.NewEnv(tx, s.Dialect(), r, s.Classify, models.SuperuserID, time.Now()))
			})
		}
		useWidgets(t, ctx, r, inTx)
	})
}

func useWidgets(t *testing.T, ctx context.Context, r *models.Registry, inTx func(func(env *models.Env) error) error) {
	t.Helper()
	w := r.Model("x.widget")
	var id, partner, tag int64
	err := inTx(func(env *models.Env) error {
		var err error
		if tag, err = env.Create(ctx, r.Model("res.partner.category"), map[string]any{"name": "red"}); err != nil {
			return err
		}
		if partner, err = env.Create(ctx, r.Model("res.partner"), map[string]any{"name": "owner"}); err != nil {
			return err
		}
		id, err = env.Create(ctx, w, map[string]any{"name": "w1", "code": "c1", "serial": int64(7), "size": 1.5, "due": "2024-02-03",
			"partner_id": partner, "tag_ids": []any{[]any{int64(6), int64(0), []any{tag}}}})
		if err != nil {
			return err
		}
		recs, err := env.Read(ctx, w, []int64{id}, []string{"name", "kind", "ok", "size", "due", "partner_id", "tag_ids"}, false)
		if err != nil {
			return err
		}
		got := recs[0]
		if got["kind"] != "a" || got["ok"] != true || got["size"] != 1.5 || got["due"] != "2024-02-03" || got["partner_id"] != partner ||
			!slices.Equal(got["tag_ids"].([]int64), []int64{tag}) {
			t.Errorf("read %v", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = inTx(func(env *models.Env) error {
		_, err := env.Create(ctx, w, map[string]any{"name": "w2", "code": "c1"})
		return err
	})
	if e := models.AsError(err); e == nil || e.Message != "The operation cannot be completed: Codes are unique." {
		t.Errorf("duplicate code: %v", err)
	}
	err = inTx(func(env *models.Env) error {
		_, err := env.Create(ctx, w, map[string]any{"name": "w3", "serial": int64(7)})
		return err
	})
	if e := models.AsError(err); e == nil || e.Kind != models.KindValidation || !strings.HasPrefix(e.Message, "The operation cannot be completed: unique constraint") {
		t.Errorf("duplicate serial: %v", err)
	}
	err = inTx(func(env *models.Env) error {
		if err := env.Unlink(ctx, r.Model("res.partner"), []int64{partner}); err != nil {
			return err
		}
		if left, err := env.Exists(ctx, w, []int64{id}); err != nil || len(left) != 0 {
			t.Errorf("ondelete cascade left %v (%v)", left, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSchemaDiff checks that every kind of difference from the
// declarations is reported, on both stores, and that a required field
// declared null_column may keep a column that accepts NULL, a sized char
// declared unsized_column a VARCHAR without a size.
func TestSchemaDiff(t *testing.T) {
	d, err := models.ParseDeclaration([]byte(`{"model": "x.thing", "constraints": [{"name": "x_thing_name_uniq", "columns": ["name"]}],
		"fields": {
			"name": {"type": "char", "required": true, "index": true},
			"code": {"type": "char"},
			"label": {"type": "char", "required": true, "null_column": true},
			"iso": {"type": "char", "size": 3, "unsized_column": true},
			"parent_id": {"type": "many2one", "relation": "x.thing", "ondelete": "cascade"},
			"other_id": {"type": "many2one", "relation": "x.thing"},
			"tag_ids": {"type": "many2many", "relation": "x.thing", "relation_table": "x_thing_rel", "column1": "a_id", "column2": "b_id"}
		}}`))
	if err != nil {
		t.Fatal(err)
	}
	r := models.NewRegistry()
	if err := r.Declare(d, nil); err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		diff, err := models.SchemaDiff(ctx, db, s.Dialect(), r)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"table x_thing is missing", "link table x_thing_rel is missing"}; !slices.Equal(diff, want) {
			t.Errorf("empty database: %q, want %q", diff, want)
		}
		for _, q := range []string{
			`CREATE TABLE x_thing (id INTEGER PRIMARY KEY, name INTEGER, extra VARCHAR, label VARCHAR, iso VARCHAR, parent_id INTEGER, other_id INTEGER REFERENCES x_thing(id) ON DELETE CASCADE,
				create_uid INTEGER REFERENCES x_thing(id), create_date TIMESTAMP, write_uid INTEGER, write_date TIMESTAMP)`,
			`CREATE TABLE x_thing_rel (a_id INTEGER NOT NULL, b_id INTEGER, c INTEGER)`,
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		diff, err = models.SchemaDiff(ctx, db, s.Dialect(), r)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"column x_thing.name is INTEGER, not VARCHAR",
			"column x_thing.name accepts NULL",
			"column x_thing.code is missing",
			"foreign key of x_thing.parent_id to x_thing is missing",
			"foreign key of x_thing.other_id is to x_thing ON DELETE cascade, not to x_thing ON DELETE set null",
			"column x_thing.create_uid has a foreign key to x_thing that is not declared",
			"column x_thing.extra is not declared",
			"unique constraint x_thing_name_uniq on x_thing (name) is missing",
			"index on x_thing (name) is missing",
			"foreign key of x_thing_rel.a_id to x_thing is missing",
			"column x_thing_rel.b_id is not INTEGER NOT NULL",
			"foreign key of x_thing_rel.b_id to x_thing is missing",
			"link table x_thing_rel has 3 columns",
			"link table x_thing_rel has no unique key over its columns",
		}
		slices.Sort(diff)
		slices.Sort(want)
		if !slices.Equal(diff, want) {
			t.Errorf("diff:\n%s\nwant:\n%s", strings.Join(diff, "\n"), strings.Join(want, "\n"))
		}
	})
}
