package models_test

import (
	"context"
	"database/sql"
	"reflect"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// keepModels: orders with lines (a one2many whose domain leaves out hidden
// lines, as mail's message_ids leaves out user notifications) and tags (a
// many2many); lines and tags may be secret.
var keepModels = []string{
	`{"model": "x.korder", "order": "id", "fields": {
		"name": {"type": "char"},
		"line_ids": {"type": "one2many", "relation": "x.kline", "relation_field": "order_id", "domain": [["kind", "!=", "hidden"]]},
		"all_line_ids": {"type": "one2many", "relation": "x.kline", "relation_field": "order_id", "domain": "[('kind', '=', kind)]"},
		"tag_ids": {"type": "many2many", "relation": "x.ktag", "relation_table": "x_korder_ktag_rel", "column1": "order_id", "column2": "tag_id"}
	}}`,
	`{"model": "x.kline", "order": "id", "fields": {
		"name": {"type": "char"},
		"kind": {"type": "char"},
		"secret": {"type": "boolean"},
		"order_id": {"type": "many2one", "relation": "x.korder"}
	}}`,
	`{"model": "x.ktag", "order": "id", "fields": {
		"name": {"type": "char"},
		"secret": {"type": "boolean"}
	}}`,
}

// TestX2manyReadKeeps: a one2many read lists only the lines its domain
// keeps, and for a user whose record rules hide secret lines and tags,
// neither the one2many nor the many2many lists them; the superuser sees
// every line the domain keeps and every tag. A string domain (the web
// client's) leaves a read alone. Both stores.
func TestX2manyReadKeeps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		r := storetest.Base(t)
		storetest.Declare(t, r, keepModels...)
		notSecret := func(context.Context, *models.Env) ([]any, error) {
			return []any{[]any{"secret", "=", false}}, nil
		}
		r.Model("x.kline").Rule = notSecret
		r.Model("x.ktag").Rule = notSecret
		ctx := context.Background()
		storetest.Migrate(t, s, db)
		if _, err := models.EnsureSchema(ctx, db, s.Dialect(), r); err != nil {
			t.Fatal(err)
		}
		x := &typesFixture{t: t, r: r, db: db, s: s, ctx: ctx}
		open := x.create("x.ktag", map[string]any{"name": "open"})
		closed := x.create("x.ktag", map[string]any{"name": "closed", "secret": true})
		o1 := x.create("x.korder", map[string]any{"name": "o1", "tag_ids": []any{[]any{int64(6), int64(0), []any{open, closed}}}})
		o2 := x.create("x.korder", map[string]any{"name": "o2", "tag_ids": []any{[]any{int64(6), int64(0), []any{closed}}}})
		line := func(order int64, kind string, secret bool) int64 {
			return x.create("x.kline", map[string]any{"name": kind, "kind": kind, "secret": secret, "order_id": order})
		}
		plain, hidden, secret := line(o1, "plain", false), line(o1, "hidden", false), line(o1, "plain", true)
		other := line(o2, "plain", false)
		for _, c := range []struct {
			name string
			uid  int64
			want map[int64]models.Record
			// groups are read_group's counts by tag (0 for no tag).
			groups map[int64]int64
		}{
			{"superuser", models.SuperuserID, map[int64]models.Record{
				o1: {"line_ids": []int64{plain, secret}, "all_line_ids": []int64{plain, hidden, secret}, "tag_ids": []int64{open, closed}},
				o2: {"line_ids": []int64{other}, "all_line_ids": []int64{other}, "tag_ids": []int64{closed}},
			}, map[int64]int64{open: 1, closed: 2}},
			{"user", 2, map[int64]models.Record{
				o1: {"line_ids": []int64{plain}, "all_line_ids": []int64{plain, hidden}, "tag_ids": []int64{open}},
				o2: {"line_ids": []int64{other}, "all_line_ids": []int64{other}, "tag_ids": []int64{}},
			}, map[int64]int64{open: 1, 0: 1}},
		} {
			t.Run(c.name, func(t *testing.T) {
				err := db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
					env := models.NewEnv(tx, s.Dialect(), r, s.Classify, c.uid, time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC))
					recs, err := env.Read(ctx, r.Model("x.korder"), []int64{o1, o2}, []string{"line_ids", "all_line_ids", "tag_ids"}, false)
					if err != nil {
						return err
					}
					// read_group itself, past the access rights that the
					// test's models have none of.
					m, readGroup, err := r.Lookup("x.korder", "read_group")
					if err != nil {
						return err
					}
					groups, err := readGroup.Fn(ctx, env, m, nil, models.Args{"domain": []any{}, "fields": []any{"name"},
						"groupby": []any{"tag_ids"}, "lazy": false})
					if err != nil {
						return err
					}
					if got := tagGroups(t, groups); !reflect.DeepEqual(got, c.groups) {
						t.Errorf("read_group by tag_ids: %v, want %v", got, c.groups)
					}
					for _, rec := range recs {
						for f, want := range c.want[rec["id"].(int64)] {
							if !reflect.DeepEqual(rec[f], want) {
								t.Errorf("order %v %s: %v, want %v", rec["id"], f, rec[f], want)
							}
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			})
		}
	})
}

// tagGroups are the counts of read_group's groups by their tag id, 0 for
// the group of records without one.
func tagGroups(t *testing.T, groups any) map[int64]int64 {
	out := map[int64]int64{}
	for _, g := range records(t, groups) {
		id := int64(0)
		if v, ok := g["tag_ids"].([]any); ok {
			id = v[0].(int64)
		}
		out[id] = g["__count"].(int64)
	}
	return out
}
