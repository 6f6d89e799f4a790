package services

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestSearchReadTableLikeRecords checks, on a real SQLite database, that
// search_read's Table answer holds exactly the records that the general
// read path makes, for every plain column of res.partner (booleans stored
// as integers, NULLs, many2one ids, datetimes, floats, empty strings).
func TestSearchReadTableLikeRecords(t *testing.T) {
	set, db := testDatabase(t, "table")
	ctx := context.Background()
	reg := set.core.registry
	m := reg.Model("res.partner")
	var fields []string
	for name, f := range m.Fields {
		if f.Stored() && !f.WriteOnly && f.Compute == nil && f.Related == nil && f.Groups == "" &&
			f.Type != models.One2many && f.Type != models.Many2many {
			fields = append(fields, name)
		}
	}
	slices.Sort(fields)
	_, err := set.core.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		parent, err := reg.Call(ctx, env, "res.partner", "create", []any{map[string]any{"name": "Parent & Co", "is_company": true, "email": "p@example.com"}}, nil)
		if err != nil {
			return nil, err
		}
		for _, vals := range []map[string]any{
			{"name": "Child", "parent_id": parent, "phone": "+32 2 555 01 23", "comment": ""},
			{"name": "Lone", "active": false},
			{"name": "Zoë <z>", "street": "Rue 1", "color": int64(7)},
		} {
			if _, err := reg.Call(ctx, env, "res.partner", "create", []any{vals}, nil); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, load := range []bool{false, true} {
		for _, ask := range [][]string{fields, {"name", "is_company"}, {"id"}} {
			names := make([]any, len(ask))
			for i, f := range ask {
				names[i] = f
			}
			kw := map[string]any{"fields": names, "context": map[string]any{"active_test": false}}
			if !load {
				kw["load"] = false
			}
			_, err := set.core.run(ctx, db, models.SuperuserID, true, func(ctx context.Context, env *models.Env) (any, error) {
				got, err := reg.Call(ctx, env, "res.partner", "search_read", []any{[]any{}}, kw)
				if err != nil {
					return nil, err
				}
				env.Context["active_test"] = false // as the call's context says
				recs, err := env.SearchRead(ctx, m, []any{}, models.SearchOptions{}, ask, load)
				if err != nil {
					return nil, err
				}
				var gotRecs []models.Record
				switch g := got.(type) {
				case *models.Table:
					gotRecs = g.Records()
				case []models.Record:
					if !load {
						t.Errorf("load=false, fields %v: answered records, want a Table", ask)
					}
					gotRecs = g
				default:
					t.Fatalf("search_read answered %T", got)
				}
				if len(recs) < 4 || !reflect.DeepEqual(gotRecs, recs) {
					t.Errorf("load=%v, fields %v:\nanswer  %v\nrecords %v", load, ask, gotRecs, recs)
				}
				return nil, nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}
