package base_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/storetest"
)

// TestComputedReads checks, on both stores, the values read of fields
// Odoo computes, on a new database's records.
func TestComputedReads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r, inTx := baseDB(t, s, db)
		err := inTx(models.SuperuserID, func(env *models.Env) error {
			if err := base.Install(ctx, env, base.Options{}); err != nil {
				return err
			}
			for _, c := range []struct {
				name, model, xmlid, field string
				want                      any
			}{
				{"new_password reads empty", "res.users", "base.user_admin", "new_password", ""},
			} {
				id, err := env.XMLID(ctx, c.xmlid)
				if err != nil {
					return err
				}
				recs, err := env.Read(ctx, r.Model(c.model), []int64{id}, []string{c.field}, true)
				if err != nil {
					return err
				}
				if got := recs[0][c.field]; !reflect.DeepEqual(got, c.want) {
					t.Errorf("%s: %s.%s = %#v, want %#v", c.name, c.model, c.field, got, c.want)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
