package base_test

import (
	"context"
	"database/sql"
	"reflect"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/storetest"
)

// selectionDecl is Odoo's ir.model.fields.selection, declared here when
// the base models do not declare it.
const selectionDecl = `{"model": "ir.model.fields.selection", "description": "Fields Selection", "order": "sequence, id", "fields": {
	"field_id": {"type": "many2one", "relation": "ir.model.fields", "required": true, "ondelete": "cascade"},
	"value": {"type": "char", "required": true},
	"name": {"type": "char", "required": true},
	"sequence": {"type": "integer"}
}}`

// selectionRegistry is the base models with a model whose selection field
// has the options given.
func selectionRegistry(t *testing.T, options string) *models.Registry {
	t.Helper()
	r := storetest.Base(t)
	var decls []string
	if r.Model("ir.model.fields.selection") == nil {
		decls = append(decls, selectionDecl)
	}
	decls = append(decls, `{"model": "x.sel", "fields": {"kind": {"type": "selection", "selection": `+options+`}}}`)
	storetest.Declare(t, r, decls...)
	return r
}

// TestSyncSelections checks, on both stores, that the values of selection
// fields are rows of ir.model.fields.selection once a database is
// installed (res.partner's type among them), and that a later
// synchronisation follows a changed declaration: a value added, a label and
// an order changed, a value removed.
func TestSyncSelections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r := selectionRegistry(t, `[["a", "Ay"], ["b", "Bee"], ["c", "Sea"]]`)
		storetest.Migrate(t, s, db)
		if _, err := models.EnsureSchema(ctx, db, s.Dialect(), r); err != nil {
			t.Fatal(err)
		}
		inTx := func(r *models.Registry, fn func(env *models.Env) error) {
			t.Helper()
			err := db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
				return fn(models.NewEnv(tx, s.Dialect(), r, s.Classify, models.SuperuserID, time.Now()))
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		inTx(r, func(env *models.Env) error { return base.Install(ctx, env, base.Options{}) })
		values := func(r *models.Registry, model, field string) [][2]any {
			t.Helper()
			var out [][2]any
			inTx(r, func(env *models.Env) error {
				recs, err := env.SearchRead(ctx, r.Model("ir.model.fields.selection"),
					[]any{[]any{"field_id.model", "=", model}, []any{"field_id.name", "=", field}}, models.SearchOptions{}, []string{"value", "name"}, false)
				for _, rec := range recs {
					out = append(out, [2]any{rec["value"], rec["name"]})
				}
				return err
			})
			return out
		}
		if got, want := values(r, "x.sel", "kind"), [][2]any{{"a", "Ay"}, {"b", "Bee"}, {"c", "Sea"}}; !reflect.DeepEqual(got, want) {
			t.Errorf("x.sel.kind: %v, want %v", got, want)
		}
		if got := values(r, "res.partner", "type"); len(got) == 0 || got[0] != [2]any{"contact", "Contact"} {
			t.Errorf("res.partner.type: %v", got)
		}
		r2 := selectionRegistry(t, `[["c", "Sea"], ["a", "A"], ["d", "Dee"]]`)
		inTx(r2, func(env *models.Env) error { return base.SyncModels(ctx, env) })
		if got, want := values(r2, "x.sel", "kind"), [][2]any{{"c", "Sea"}, {"a", "A"}, {"d", "Dee"}}; !reflect.DeepEqual(got, want) {
			t.Errorf("x.sel.kind after the change: %v, want %v", got, want)
		}
	})
}
