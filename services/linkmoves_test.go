package services

import (
	"context"
	"slices"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/modules"
	"github.com/uptrace/bun"
)

// TestLinkTablesUpgrade checks, on both stores, that a database whose
// modules' many2many fields link through the tables of the older layout
// (modules.LinkMoves: canonical names, and one table of Odoo's name with
// other columns) gets its links in the tables the fields name now when a
// process opens it: the old tables are gone, every link reads as before,
// the two sides of a relation sharing one table read each other's, and
// the schema differs from the declarations no more than before.
func TestLinkTablesUpgrade(t *testing.T) {
	eachStore(t, func(t *testing.T, s models.Store) {
		ctx := context.Background()
		set, name := moduleDB(t, s, "linkmoves", "sale")
		call := func(set *Set, model, method string, args ...any) any {
			t.Helper()
			return adminCaller(t, set, name, testAdminPassword)(model, method, args...)
		}
		create := func(model string, vals map[string]any) int64 {
			t.Helper()
			return call(set, model, "create", vals).(int64)
		}
		set6 := func(ids ...int64) []any { return []any{[]any{int64(6), int64(0), ids}} }
		partner := create("res.partner", map[string]any{"name": "buyer"})
		tag := create("crm.tag", map[string]any{"name": "tag"})
		order := create("sale.order", map[string]any{"partner_id": partner, "tag_ids": set6(tag)})
		activity := func(name string, more ...any) int64 {
			vals := map[string]any{"name": name, "active": true, "delay_unit": "days", "delay_from": "current_date", "chaining_type": "suggest"}
			for i := 0; i+1 < len(more); i += 2 {
				vals[more[i].(string)] = more[i+1]
			}
			return create("mail.activity.type", vals)
		}
		call1 := activity("Call")
		meet := activity("Meet", "suggested_next_type_ids", set6(call1))
		mail := activity("Mail", "previous_type_ids", set6(call1))
		optional := create("product.template", map[string]any{"name": "optional"})
		main := create("product.template", map[string]any{"name": "main", "optional_product_ids": set6(optional)})
		att := create("ir.attachment", map[string]any{"name": "a.txt", "datas": "eA=="})
		msg := create("mail.message", map[string]any{"body": "hi", "model": "res.partner", "res_id": partner, "attachment_ids": set6(att)})
		wizard := create("mail.compose.message", map[string]any{"body": "hi", "message_type": "comment", "partner_ids": set6(partner)})
		db, err := set.core.open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		reg, err := set.core.declaredFor(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		before, err := models.SchemaDiff(ctx, db, s.Dialect(), reg)
		if err != nil {
			t.Fatal(err)
		}
		old := oldLinkLayout(ctx, t, db, s.Dialect(), reg)
		if len(old) < 20 {
			t.Fatalf("%d old link tables made: %v", len(old), old)
		}
		// A new process opens the database.
		later := newTestSet(s)
		db, err = later.core.open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, table := range old {
			if ok, err := models.TableExists(ctx, db, s.Dialect(), table); err != nil || ok {
				t.Errorf("the old link table %s is still there (%v)", table, err)
			}
		}
		after, err := models.SchemaDiff(ctx, db, s.Dialect(), reg)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range after {
			if !slices.Contains(before, d) {
				t.Errorf("after the upgrade: %s", d)
			}
		}
		for _, c := range []struct {
			model string
			id    int64
			field string
			want  []int64
		}{
			{"sale.order", order, "tag_ids", []int64{tag}},
			{"mail.activity.type", meet, "suggested_next_type_ids", []int64{call1}},
			{"mail.activity.type", call1, "previous_type_ids", []int64{meet}},
			{"mail.activity.type", call1, "suggested_next_type_ids", []int64{mail}},
			{"product.template", main, "optional_product_ids", []int64{optional}},
			{"mail.message", msg, "attachment_ids", []int64{att}},
			{"mail.compose.message", wizard, "partner_ids", []int64{partner}},
		} {
			recs := call(later, c.model, "read", []any{c.id}, []any{c.field}).(*models.Table).Records()
			if got := recs[0][c.field]; !slices.Equal(got.([]int64), c.want) {
				t.Errorf("%s %d %s reads %v, want %v", c.model, c.id, c.field, got, c.want)
			}
		}
		// A third process finds nothing to move.
		again, err := later.core.moveLinkTables(ctx, db, reg)
		if err != nil || len(again) > 0 {
			t.Errorf("a second upgrade ran %v (%v)", again, err)
		}
	})
}

// oldLinkLayout puts db's links back into the link tables of the older
// layout (modules.LinkMoves), as a database made then has them: each old
// table is made and filled from the field's table of now, which is then
// dropped; a table that keeps its name gets its old columns back. It
// returns the old tables made under a name of their own.
func oldLinkLayout(ctx context.Context, t *testing.T, db *bun.DB, dialect string, reg *models.Registry) []string {
	t.Helper()
	var made, drop []string
	exec := func(q string) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	insert := "INSERT OR IGNORE INTO "
	conflict := ""
	if dialect == "pg" {
		insert, conflict = "INSERT INTO ", " ON CONFLICT DO NOTHING"
	}
	for _, mv := range modules.LinkMoves() {
		m := reg.Model(mv.Model)
		if m == nil {
			continue
		}
		f := m.Field(mv.Field)
		if f.RelTable == mv.Table {
			exec("DROP INDEX " + mv.Table + "_" + f.RelOther + "_index")
			exec("ALTER TABLE " + mv.Table + " RENAME COLUMN " + f.RelCol + " TO " + mv.Column1)
			exec("ALTER TABLE " + mv.Table + " RENAME COLUMN " + f.RelOther + " TO " + mv.Column2)
			exec("CREATE INDEX " + mv.Table + "_" + mv.Column2 + "_index ON " + mv.Table + " (" + mv.Column2 + ")")
			continue
		}
		if !slices.Contains(made, mv.Table) {
			exec("CREATE TABLE " + mv.Table + " (" + mv.Column1 + " INTEGER NOT NULL, " + mv.Column2 + " INTEGER NOT NULL, PRIMARY KEY (" +
				mv.Column1 + ", " + mv.Column2 + "))")
			made = append(made, mv.Table)
		}
		exec(insert + mv.Table + " (" + mv.Column1 + ", " + mv.Column2 + ") SELECT " + f.RelCol + ", " + f.RelOther + " FROM " + f.RelTable + conflict)
		if !slices.Contains(drop, f.RelTable) {
			drop = append(drop, f.RelTable)
		}
	}
	for _, table := range drop {
		exec("DROP TABLE " + table)
	}
	return made
}
