package models_test

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// typesModels declare a field of every type, and a currency of their own
// whose rounding monetary values follow.
var typesModels = []string{
	`{"model": "x.currency", "order": "id", "fields": {
		"name": {"type": "char", "required": true},
		"rounding": {"type": "float", "digits": [12, 6]}
	}}`,
	`{"model": "x.types", "description": "Field types", "order": "id", "fields": {
		"name": {"type": "char", "size": 8},
		"note": {"type": "text"},
		"body": {"type": "html"},
		"count": {"type": "integer"},
		"ratio": {"type": "float"},
		"lat": {"type": "float", "digits": [10, 3]},
		"currency_id": {"type": "many2one", "relation": "x.currency"},
		"amount": {"type": "monetary"},
		"flag": {"type": "boolean"},
		"day": {"type": "date"},
		"moment": {"type": "datetime"},
		"state": {"type": "selection", "selection": [["draft", "Draft"], ["done", "Done"]]},
		"partner_id": {"type": "many2one", "relation": "res.partner"},
		"owner_id": {"type": "many2one", "relation": "res.partner", "ondelete": "restrict"},
		"parent_id": {"type": "many2one", "relation": "x.types", "ondelete": "cascade"},
		"child_ids": {"type": "one2many", "relation": "x.types", "relation_field": "parent_id"},
		"tag_ids": {"type": "many2many", "relation": "res.partner.category", "relation_table": "x_types_tag_rel", "column1": "types_id", "column2": "tag_id"},
		"blob": {"type": "binary"},
		"image_1920": {"type": "binary", "max_width": 1920, "max_height": 1920},
		"image_128": {"type": "binary", "related": "image_1920", "store": true, "max_width": 128, "max_height": 128},
		"ref": {"type": "reference", "selection": [["res.partner", "Contact"], ["x.types", "Types"]]},
		"data": {"type": "json"},
		"res_model": {"type": "char"},
		"res_id": {"type": "many2one_reference", "model_field": "res_model"}
	}}`,
}

// typesFixture is a database of one store with the types models, and a
// way to call their methods as the superuser, each call in a transaction
// of its own, as services runs them.
type typesFixture struct {
	t   *testing.T
	r   *models.Registry
	db  *bun.DB
	s   models.Store
	ctx context.Context
}

func newTypesFixture(t *testing.T, s models.Store, db *bun.DB) *typesFixture {
	t.Helper()
	r := storetest.Base(t)
	storetest.Declare(t, r, typesModels...)
	ctx := context.Background()
	storetest.Migrate(t, s, db)
	if _, err := models.EnsureSchema(ctx, db, s.Dialect(), r); err != nil {
		t.Fatal(err)
	}
	return &typesFixture{t: t, r: r, db: db, s: s, ctx: ctx}
}

// call runs model.method(args, kwargs) and returns its answer or error.
func (x *typesFixture) call(model, method string, args []any, kwargs map[string]any) (any, error) {
	var out any
	err := x.db.RunInTx(x.ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		env := models.NewEnv(tx, x.s.Dialect(), x.r, x.s.Classify, models.SuperuserID, time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC))
		var err error
		out, err = x.r.Call(ctx, env, model, method, args, kwargs)
		return err
	})
	return out, err
}

// must is call that fails the test on an error.
func (x *typesFixture) must(model, method string, args []any, kwargs map[string]any) any {
	x.t.Helper()
	out, err := x.call(model, method, args, kwargs)
	if err != nil {
		x.t.Fatalf("%s.%s%v: %v", model, method, args, err)
	}
	return out
}

func (x *typesFixture) create(model string, vals map[string]any) int64 {
	x.t.Helper()
	return x.must(model, "create", []any{vals}, nil).(int64)
}

// read reads one field of one record.
func (x *typesFixture) read(model string, id int64, field string) any {
	x.t.Helper()
	recs := x.must(model, "read", []any{[]any{id}, []any{field}}, nil).(*models.Table).Records()
	if len(recs) != 1 {
		x.t.Fatalf("read %s(%d): %d records", model, id, len(recs))
	}
	return recs[0][field]
}

// expect checks the value field reads on each record.
func (x *typesFixture) expect(what, field string, want map[int64]any) {
	x.t.Helper()
	for id, w := range want {
		if got := x.read("x.types", id, field); !reflect.DeepEqual(got, w) {
			x.t.Errorf("%s: %s of %d is %#v, want %#v", what, field, id, got, w)
		}
	}
}

// TestFieldTypesReadWrite writes a value of each field type through
// create and write and reads it back as Odoo 18 answers it, on both
// stores: the conversions of each type (Python's int() and float() of
// texts, a char's size, digits, a currency's rounding, strptime's dates,
// a reference's check, json documents) and False for what is empty.
func TestFieldTypesReadWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		x := newTypesFixture(t, s, db)
		partner := x.create("res.partner", map[string]any{"name": "Owner"})
		cur := x.create("x.currency", map[string]any{"name": "CHF", "rounding": 0.05})
		tag := x.create("res.partner.category", map[string]any{"name": "Red"})
		for _, c := range []struct {
			field string
			in    any
			want  any
		}{
			{"name", "abc", "abc"},
			{"name", "abcdefghijk", "abcdefgh"}, // cut to the size
			{"name", int64(42), "42"},
			{"name", false, false},
			{"note", "line\nline", "line\nline"},
			{"note", false, false},
			{"body", "<p>x</p>", "<p>x</p>"},
			{"count", int64(7), int64(7)},
			{"count", 7.9, int64(7)}, // int() truncates
			{"count", "12", int64(12)},
			{"count", false, int64(0)},
			{"ratio", 1.25, 1.25},
			{"ratio", "2.5", 2.5},
			{"ratio", int64(3), 3.0},
			{"ratio", false, 0.0},
			{"lat", 1.23456, 1.235}, // digits (10, 3)
			{"lat", 2.0005, 2.001},  // half up, as float_round
			{"lat", -2.0005, -2.001},
			{"flag", true, true},
			{"flag", false, false},
			{"flag", int64(1), true},
			{"day", "2024-02-29", "2024-02-29"},
			{"day", "2024-2-9", "2024-02-09"},
			{"day", "2024-03-01 10:11:12", "2024-03-01"},
			{"day", false, false},
			{"moment", "2024-02-29 13:14:15", "2024-02-29 13:14:15"},
			{"moment", "2024-02-29", "2024-02-29 00:00:00"},
			{"moment", "2024-02-29 13:14:15.123456", "2024-02-29 13:14:15"},
			{"moment", false, false},
			{"state", "done", "done"},
			{"state", false, false},
			{"partner_id", partner, []any{partner, "Owner"}},
			{"partner_id", false, false},
			{"tag_ids", []any{[]any{int64(6), int64(0), []any{tag}}}, []int64{tag}},
			{"tag_ids", []any{[]any{int64(5)}}, []int64{}},
			{"tag_ids", []any{[]any{int64(4), tag}}, []int64{tag}},
			{"tag_ids", []any{[]any{int64(3), tag}}, []int64{}},
			{"blob", "aGVsbG8=", "aGVsbG8="},
			{"blob", false, false},
			{"ref", fmt.Sprintf("res.partner,%d", partner), fmt.Sprintf("res.partner,%d", partner)},
			{"ref", "res.partner,99999", false}, // a missing record is no reference
			{"ref", false, false},
			{"data", map[string]any{"a": []any{int64(1), 2.5, "x", true, nil}}, map[string]any{"a": []any{int64(1), 2.5, "x", true, nil}}},
			{"data", []any{"b"}, []any{"b"}},
			{"data", false, false},
			{"res_id", partner, partner},
			{"res_id", false, int64(0)},
		} {
			t.Run(fmt.Sprintf("%s=%v", c.field, c.in), func(t *testing.T) {
				x.t = t
				id := x.create("x.types", map[string]any{c.field: c.in, "currency_id": cur})
				got := x.read("x.types", id, c.field)
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("create: read %#v, want %#v", got, c.want)
				}
				id = x.create("x.types", map[string]any{})
				x.must("x.types", "write", []any{[]any{id}, map[string]any{c.field: c.in}}, nil)
				if got := x.read("x.types", id, c.field); !reflect.DeepEqual(got, c.want) {
					t.Errorf("write: read %#v, want %#v", got, c.want)
				}
			})
		}
	})
}

// TestFieldTypesMonetary checks that a monetary value is rounded to its
// record's currency when written, whether the currency comes with the value
// or is the record's, and records of two currencies in one write.
func TestFieldTypesMonetary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		x := newTypesFixture(t, s, db)
		chf := x.create("x.currency", map[string]any{"name": "CHF", "rounding": 0.05})
		jpy := x.create("x.currency", map[string]any{"name": "JPY", "rounding": 1.0})
		a := x.create("x.types", map[string]any{"currency_id": chf, "amount": 10.024})
		b := x.create("x.types", map[string]any{"currency_id": jpy, "amount": 10.5})
		none := x.create("x.types", map[string]any{"amount": 10.024})
		x.expect("created", "amount", map[int64]any{a: 10.0, b: 11.0, none: 10.024})
		x.must("x.types", "write", []any{[]any{a, b}, map[string]any{"amount": 3.975}}, nil)
		x.expect("written", "amount", map[int64]any{a: 4.0, b: 4.0})
		x.must("x.types", "write", []any{[]any{a}, map[string]any{"amount": 2.02, "currency_id": jpy}}, nil)
		x.expect("written with its currency", "amount", map[int64]any{a: 2.0})
	})
}

// TestFieldTypesBadValues checks Odoo's errors for values a field cannot
// hold: the exception and its text, and that nothing is written.
func TestFieldTypesBadValues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		x := newTypesFixture(t, s, db)
		for _, c := range []struct {
			field     string
			in        any
			name, msg string
		}{
			{"state", "nope", "builtins.ValueError", "Wrong value for x.types.state: 'nope'"},
			{"state", int64(3), "builtins.ValueError", "Wrong value for x.types.state: 3"},
			{"day", "not-a-date", "builtins.ValueError", "time data 'not-a-date' does not match format '%Y-%m-%d'"},
			{"day", "2024-02-30", "builtins.ValueError", "day is out of range for month"},
			{"day", "2024-13-01", "builtins.ValueError", "time data '2024-13-01' does not match format '%Y-%m-%d'"},
			{"day", "2024-01-1x", "builtins.ValueError", "unconverted data remains: x"},
			{"moment", "2024-01-01T10:00:00", "builtins.ValueError", "time data '2024-01-01T10:00:00' does not match format '%Y-%m-%d %H:%M:%S'"},
			{"moment", "yesterday", "builtins.ValueError", "time data 'yesterday' does not match format '%Y-%m-%d %H:%M:%S'"},
			{"count", "1.5", "builtins.ValueError", "invalid literal for int() with base 10: '1.5'"},
			{"count", []any{int64(1)}, "builtins.TypeError", "int() argument must be a string, a bytes-like object or a real number, not 'list'"},
			{"ratio", "abc", "builtins.ValueError", "could not convert string to float: 'abc'"},
			{"partner_id", "Owner", "builtins.ValueError", "Wrong value for x.types.partner_id: 'Owner'"},
			{"ref", "nope,1", "builtins.ValueError", "Wrong value for x.types.ref: 'nope,1'"},
			{"ref", "res.partner", "builtins.ValueError", "not enough values to unpack (expected 2, got 1)"},
			{"ref", "res.partner,x", "builtins.ValueError", "invalid literal for int() with base 10: 'x'"},
			{"image_1920", "aGVsbG8=", "", "This file could not be decoded as an image file."},
		} {
			t.Run(fmt.Sprintf("%s=%v", c.field, c.in), func(t *testing.T) {
				_, err := x.call("x.types", "create", []any{map[string]any{"name": "bad", c.field: c.in}}, nil)
				e := models.AsError(err)
				if e == nil || e.Message != c.msg || e.Name != c.name {
					t.Fatalf("got %#v, want %s: %s", err, c.name, c.msg)
				}
				n, err := x.call("x.types", "search_count", []any{[]any{[]any{"name", "=", "bad"}}}, nil)
				if err != nil || n != int64(0) {
					t.Errorf("written anyway: %v %v", n, err)
				}
			})
		}
	})
}
