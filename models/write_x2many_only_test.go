package models_test

import (
	"reflect"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestWriteX2manyOnly: on a model without log access (Odoo's
// mail.followers), a record created with no column gets the columns'
// defaults, and a write of a many2many alone (a follower's subtypes)
// changes the links and no column, on both stores.
func TestWriteX2manyOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		x := newTypesFixture(t, s, db)
		storetest.Declare(t, x.r, `{"model": "x.follower", "log_access": false, "fields": {
			"tag_ids": {"type": "many2many", "relation": "res.partner.category", "relation_table": "x_follower_tag_rel", "column1": "follower_id", "column2": "tag_id"}
		}}`)
		if _, err := models.EnsureSchema(x.ctx, db, s.Dialect(), x.r); err != nil {
			t.Fatal(err)
		}
		tag := x.create("res.partner.category", map[string]any{"name": "Red"})
		id := x.create("x.follower", map[string]any{})
		x.must("x.follower", "write", []any{[]any{id}, map[string]any{"tag_ids": []any{[]any{int64(6), int64(0), []any{tag}}}}}, nil)
		if got := x.read("x.follower", id, "tag_ids"); !reflect.DeepEqual(got, []int64{tag}) && !reflect.DeepEqual(got, []any{tag}) {
			t.Errorf("tag_ids %#v, want [%d]", got, tag)
		}
	})
}
