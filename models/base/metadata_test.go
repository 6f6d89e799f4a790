package base_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestGetMetadata checks, on both stores, get_metadata's answer as
// Odoo's: its keys in order, who created and wrote the record, and its
// external ids.
func TestGetMetadata(t *testing.T) {
	eachInstalled(t, func(t *testing.T, ctx context.Context, env *models.Env, r *models.Registry) error {
		admin, err := env.XMLID(ctx, "base.user_admin")
		if err != nil {
			return err
		}
		partner, err := env.Create(ctx, r.Model("res.partner"), map[string]any{"name": "Meta"})
		if err != nil {
			return err
		}
		keys := []string{"id", "create_uid", "create_date", "write_uid", "write_date", "xmlid", "noupdate", "xmlids"}
		for _, c := range []struct {
			name, model string
			id          int64
			xmlid       any
			noupdate    bool
			xmlids      int
		}{
			{"a record of the data", "res.users", admin, "base.user_admin", true, 1},
			{"a new record", "res.partner", partner, false, false, 0},
		} {
			out, err := r.Call(ctx, env, c.model, "get_metadata", []any{[]any{c.id, int64(99999991)}}, nil)
			if err != nil {
				return err
			}
			rows := out.([]any)
			if len(rows) != 1 {
				t.Fatalf("%s: %d rows, want 1 (the missing id left out)", c.name, len(rows))
			}
			d := rows[0].(*models.Dict)
			if got := d.Keys(); !reflect.DeepEqual(got, keys) {
				t.Errorf("%s: keys %v, want %v", c.name, got, keys)
			}
			xmlid, _ := d.Get("xmlid")
			noupdate, _ := d.Get("noupdate")
			list, _ := d.Get("xmlids")
			uid, _ := d.Get("create_uid")
			if xmlid != c.xmlid || noupdate != c.noupdate || len(list.([]any)) != c.xmlids {
				t.Errorf("%s: xmlid %v noupdate %v xmlids %v", c.name, xmlid, noupdate, list)
			}
			if pair, ok := uid.([]any); !ok || len(pair) != 2 || pair[0] != models.SuperuserID {
				t.Errorf("%s: create_uid %#v", c.name, uid)
			}
		}
		return nil
	})
}
