package models_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
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
	// A language's first day of the week, as Odoo 18's res.lang has it.
	`{"model": "x.lang.week", "table": "res_lang", "fields": {
		"week_start": {"type": "selection", "selection": [["1", "Monday"], ["7", "Sunday"]], "default": "7"}
	}}`,
	`{"model": "x.types", "description": "Field types", "order": "id", "fields": {
		"name": {"type": "char", "size": 8},
		"note": {"type": "text"},
		"body": {"type": "html"},
		"count": {"type": "integer"},
		"ratio": {"type": "float", "aggregator": "avg"},
		"score": {"type": "integer", "aggregator": false},
		"rank": {"type": "integer", "aggregator": null},
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
		"blob_copy": {"type": "binary", "related": "blob", "store": true},
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
	storetest.English(t, db)
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
	recs := records(x.t, x.must(model, "read", []any{[]any{id}, []any{field}}, nil))
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
		x.must("x.types", "write", []any{[]any{a, b}, map[string]any{"amount": 2.43}}, nil)
		x.expect("written to two currencies", "amount", map[int64]any{a: 2.45, b: 2.0})
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
			// Odoo inserts a date's text as it is: what PostgreSQL refuses
			// fails with its error, what it takes with Odoo's own.
			{"day", "not-a-date", "psycopg2.errors.InvalidDatetimeFormat", `invalid input syntax for type date: "not-a-date"`},
			{"day", "2024-02-30", "psycopg2.errors.DatetimeFieldOverflow", `date/time field value out of range: "2024-02-30"`},
			{"day", "2024-13-01", "psycopg2.errors.DatetimeFieldOverflow", `date/time field value out of range: "2024-13-01"`},
			{"day", "31/12/2024", "psycopg2.errors.DatetimeFieldOverflow", `date/time field value out of range: "31/12/2024"`},
			{"day", "12/31/2024", "builtins.ValueError", "time data '12/31/2024' does not match format '%Y-%m-%d'"},
			{"day", "2024-01-1x", "builtins.ValueError", "unconverted data remains: x"},
			{"moment", "2024-01-01T10:00:00", "builtins.ValueError", "time data '2024-01-01T10:00:00' does not match format '%Y-%m-%d %H:%M:%S'"},
			{"moment", "yesterday", "builtins.ValueError", "stray % in format '%Y-%m-%'"},
			{"moment", "yesterday!", "builtins.ValueError", "time data 'yesterday!' does not match format '%Y-%m-%d'"},
			// The datetime format is cut to the text's length less two, as
			// Odoo 18 reads a datetime.
			{"moment", "2024-02-29 13:14:15.123456", "builtins.ValueError", "unconverted data remains: .123456"},
			{"moment", "2024-02-29 13:1", "builtins.ValueError", "stray % in format '%Y-%m-%d %H:%'"},
			{"moment", "2024-2-9 3:04:05", "builtins.ValueError", "unconverted data remains: :05"},
			{"moment", "2024-02-29 25:00:00", "psycopg2.errors.DatetimeFieldOverflow", `date/time field value out of range: "2024-02-29 25:00:00"`},
			{"count", "1.5", "builtins.ValueError", "invalid literal for int() with base 10: '1.5'"},
			{"count", []any{int64(1)}, "builtins.TypeError", "int() argument must be a string, a bytes-like object or a real number, not 'list'"},
			{"ratio", "abc", "builtins.ValueError", "could not convert string to float: 'abc'"},
			{"count", int64(1) << 31, "psycopg2.errors.NumericValueOutOfRange", "integer out of range"},
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

// TestFieldTypesImage checks that an image that fits its field is kept
// byte for byte, that its stored variant is made from it, scaled down with
// its proportions, and emptied with it, and that a larger image is scaled
// down to its field's bounds.
func TestFieldTypesImage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		x := newTypesFixture(t, s, db)
		small := pngBase64(t, 300, 200)
		id := x.create("x.types", map[string]any{"image_1920": small})
		if got := x.read("x.types", id, "image_1920"); got != small {
			t.Errorf("an image that fits was changed")
		}
		if w, h := imageSize(t, x.read("x.types", id, "image_128")); w != 128 || h != 85 {
			t.Errorf("image_128 is %dx%d, want 128x85", w, h)
		}
		x.must("x.types", "write", []any{[]any{id}, map[string]any{"image_1920": pngBase64(t, 200, 4000)}}, nil)
		if w, h := imageSize(t, x.read("x.types", id, "image_1920")); w != 96 || h != 1920 {
			t.Errorf("image_1920 is %dx%d, want 96x1920", w, h)
		}
		if w, h := imageSize(t, x.read("x.types", id, "image_128")); w != 6 || h != 128 {
			t.Errorf("image_128 is %dx%d, want 6x128", w, h)
		}
		// A stored copy without bounds is the value as written.
		x.must("x.types", "write", []any{[]any{id}, map[string]any{"blob": small}}, nil)
		if got := x.read("x.types", id, "blob_copy"); got != small {
			t.Errorf("blob_copy differs from blob")
		}
		x.must("x.types", "write", []any{[]any{id}, map[string]any{"image_1920": false}}, nil)
		if got := x.read("x.types", id, "image_128"); got != false {
			t.Errorf("image_128 of no image: %.20v", got)
		}
	})
}

// pngBase64 is a w by h PNG image, in base64.
func pngBase64(t *testing.T, w, h int) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: 200, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

// imageSize is the size of an image read as base64.
func imageSize(t *testing.T, v any) (int, int) {
	t.Helper()
	s, _ := v.(string)
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not an image: %v", err)
	}
	return cfg.Width, cfg.Height
}

// typesSeed are the records TestFieldTypesDomain and
// TestFieldTypesReadGroup search and group: r1 and r2 with a value in
// every field, r3 with none.
type typesSeed struct{ p1, p2, t1, t2, r1, r2, r3 int64 }

func seedTypes(x *typesFixture) typesSeed {
	x.t.Helper()
	var sd typesSeed
	sd.p1 = x.create("res.partner", map[string]any{"name": "Owner One"})
	sd.p2 = x.create("res.partner", map[string]any{"name": "Other"})
	sd.t1 = x.create("res.partner.category", map[string]any{"name": "Red"})
	sd.t2 = x.create("res.partner.category", map[string]any{"name": "Blue"})
	sd.r1 = x.create("x.types", map[string]any{"name": "Alpha", "note": "hello world", "body": "<p>Hi</p>", "count": 5, "ratio": 1.5,
		"flag": true, "day": "2024-01-15", "moment": "2024-01-15 10:00:00", "state": "draft", "partner_id": sd.p1,
		"tag_ids": []any{[]any{int64(6), int64(0), []any{sd.t1}}}, "ref": fmt.Sprintf("res.partner,%d", sd.p1), "data": map[string]any{"k": int64(1)},
		"res_model": "res.partner", "res_id": sd.p1})
	sd.r2 = x.create("x.types", map[string]any{"name": "beta", "note": "", "count": int64(0), "ratio": 0.0, "flag": false,
		"day": "2024-02-29", "moment": "2024-02-29 23:59:59", "state": "done", "partner_id": sd.p2, "parent_id": sd.r1,
		"tag_ids": []any{[]any{int64(6), int64(0), []any{sd.t1, sd.t2}}}, "blob": "aGVsbG8=", "res_model": "res.partner", "res_id": int64(0)})
	sd.r3 = x.create("x.types", map[string]any{"parent_id": sd.r1})
	return sd
}

// TestFieldTypesDomain searches each field type with the operators Odoo
// 18 gives it, on both stores: what False, the empty text and zero match,
// in lists, like and ilike, dates against dates and datetimes, datetimes
// against a date alone, date parts, many2ones by id and by name, x2many
// fields by ids, names, False and any, and the errors of values the
// column cannot read.
func TestFieldTypesDomain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		x := newTypesFixture(t, s, db)
		sd := seedTypes(x)
		p1, t1, t2, r1, r2, r3 := sd.p1, sd.t1, sd.t2, sd.r1, sd.r2, sd.r3
		label := map[int64]string{r1: "r1", r2: "r2", r3: "r3"}
		for _, c := range []struct {
			leaf []any
			want string // the records found, or the error
		}{
			{[]any{"name", "=", false}, "r3"},
			{[]any{"name", "=", ""}, "r3"},
			{[]any{"name", "!=", false}, "r1 r2"},
			{[]any{"name", "!=", ""}, "r1 r2"},
			{[]any{"name", "!=", "Alpha"}, "r2 r3"},
			{[]any{"name", "ilike", "ALP"}, "r1"},
			{[]any{"name", "like", "alp"}, ""},
			{[]any{"name", "not ilike", "alp"}, "r2 r3"},
			{[]any{"name", "=ilike", "BETA"}, "r2"},
			{[]any{"name", "in", []any{"Alpha", "beta"}}, "r1 r2"},
			{[]any{"name", "in", []any{"Alpha", false}}, "r1 r3"},
			{[]any{"name", "not in", []any{"Alpha"}}, "r2 r3"},
			{[]any{"note", "=", false}, "r2 r3"},
			{[]any{"note", "ilike", "WORLD"}, "r1"},
			{[]any{"body", "ilike", "hi"}, "r1"},
			{[]any{"count", "=", 5}, "r1"},
			{[]any{"count", "=", "5"}, "r1"},
			{[]any{"count", "=", 0}, "r2 r3"},
			{[]any{"count", "=", false}, "r2 r3"},
			{[]any{"count", "!=", 0}, "r1"},
			{[]any{"count", ">", 0}, "r1"},
			{[]any{"count", "in", []any{int64(5), int64(0)}}, "r1 r2"},
			{[]any{"count", "=", "five"}, "builtins.ValueError: invalid literal for int() with base 10: 'five'"},
			{[]any{"ratio", ">", 1}, "r1"},
			{[]any{"ratio", "=", false}, "r2 r3"},
			{[]any{"ratio", "=", "north"}, "builtins.ValueError: could not convert string to float: 'north'"},
			{[]any{"flag", "=", true}, "r1"},
			{[]any{"flag", "=", false}, "r2 r3"},
			{[]any{"flag", "!=", true}, "r2 r3"},
			{[]any{"flag", "=", "yes"}, "r1"},
			{[]any{"day", "=", "2024-02-29"}, "r2"},
			{[]any{"day", "<", "2024-02-01"}, "r1"},
			{[]any{"day", ">=", "2024-01-15 10:00:00"}, "r1 r2"},
			{[]any{"day", "=", false}, "r3"},
			{[]any{"day", "in", []any{"2024-02-29", "2024-01-15"}}, "r1 r2"},
			{[]any{"day", "like", "2024-01"}, "r1"},
			{[]any{"day.month_number", "=", 2}, "r2"},
			{[]any{"day", "=", "not-a-date"}, `psycopg2.errors.InvalidDatetimeFormat: invalid input syntax for type date: "not-a-date"`},
			{[]any{"moment", "<=", "2024-02-29"}, "r1 r2"},
			{[]any{"moment", "<", "2024-02-29"}, "r1"},
			{[]any{"moment", ">", "2024-01-15"}, "r2"},
			{[]any{"moment", ">=", "2024-01-15 10:00:00"}, "r1 r2"},
			{[]any{"moment", "=", "yesterday"}, `psycopg2.errors.InvalidDatetimeFormat: invalid input syntax for type timestamp: "yesterday"`},
			{[]any{"state", "=", "done"}, "r2"},
			{[]any{"state", "in", []any{"draft", "done"}}, "r1 r2"},
			{[]any{"state", "=", false}, "r3"},
			{[]any{"state", "!=", "draft"}, "r2 r3"},
			{[]any{"partner_id", "=", p1}, "r1"},
			{[]any{"partner_id", "=", "Owner One"}, "r1"},
			{[]any{"partner_id", "ilike", "owner"}, "r1"},
			{[]any{"partner_id", "not ilike", "owner"}, "r2 r3"},
			{[]any{"partner_id", "=", false}, "r3"},
			{[]any{"partner_id", "=", 0}, "r3"},
			{[]any{"partner_id", "in", []any{p1, false}}, "r1 r3"},
			{[]any{"partner_id.name", "=", "Other"}, "r2"},
			{[]any{"partner_id", "any", []any{[]any{"name", "=", "Other"}}}, "r2"},
			{[]any{"partner_id", "not any", []any{[]any{"name", "=", "Other"}}}, "r1 r3"},
			{[]any{"tag_ids", "=", t2}, "r2"},
			{[]any{"tag_ids", "in", []any{t1}}, "r1 r2"},
			{[]any{"tag_ids", "not in", []any{t2}}, "r1 r3"},
			{[]any{"tag_ids", "=", false}, "r3"},
			{[]any{"tag_ids", "!=", false}, "r1 r2"},
			{[]any{"tag_ids", "=", "Blue"}, "r2"},
			{[]any{"tag_ids", "ilike", "re"}, "r1 r2"},
			{[]any{"tag_ids", "any", []any{[]any{"name", "=", "Blue"}}}, "r2"},
			{[]any{"tag_ids", "not any", []any{[]any{"name", "=", "Blue"}}}, "r1 r3"},
			{[]any{"child_ids", "=", false}, "r2 r3"},
			{[]any{"child_ids", "in", []any{r2}}, "r1"},
			{[]any{"child_ids", "not in", []any{r2}}, "r2 r3"},
			{[]any{"child_ids", "any", []any{[]any{"name", "=", "beta"}}}, "r1"},
			{[]any{"ref", "=", fmt.Sprintf("res.partner,%d", p1)}, "r1"},
			{[]any{"ref", "=", false}, "r2 r3"},
			{[]any{"ref", "like", "res.partner"}, "r1"},
			{[]any{"data", "=", false}, "r2 r3"},
			{[]any{"data", "!=", false}, "r1"},
			{[]any{"res_id", "=", false}, "r2 r3"},
			{[]any{"res_id", "=", 0}, "r2 r3"},
			{[]any{"res_id", "=", p1}, "r1"},
			{[]any{"blob", "=", false}, "r1 r3"},
			{[]any{"blob", "!=", false}, "r2"},
		} {
			t.Run(fmt.Sprint(c.leaf), func(t *testing.T) {
				out, err := x.call("x.types", "search", []any{[]any{c.leaf}}, map[string]any{"order": "id"})
				var got string
				if err != nil {
					e := models.AsError(err)
					if e == nil {
						t.Fatal(err)
					}
					got = e.Name + ": " + e.Message
				} else {
					for _, id := range out.([]int64) {
						got += " " + label[id]
					}
					if got != "" {
						got = got[1:]
					}
				}
				if got != c.want {
					t.Errorf("got %q, want %q", got, c.want)
				}
			})
		}
	})
}

// TestFieldTypesReadGroup groups by each field type on both stores: the
// value of each group (a key, a boolean, a number, a text, a many2one's
// [id, name], each link of a many2many, a period's label), its count, a
// date's __range, and the domain term of the False group of a many2many
// (the records linked to none of the others' links); datetimes are
// grouped in the context's time zone, weeks start on Sunday and are
// numbered as in en_US.
func TestFieldTypesReadGroup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		x := newTypesFixture(t, s, db)
		sd := seedTypes(x)
		rng := func(from, to string) map[string]any { return map[string]any{"from": from, "to": to} }
		for _, c := range []struct {
			groupby string
			tz      string
			want    [][3]any // value, count, __range (nil for none)
		}{
			{"state", "", [][3]any{{"done", int64(1), nil}, {"draft", int64(1), nil}, {false, int64(1), nil}}},
			{"flag", "", [][3]any{{false, int64(2), nil}, {true, int64(1), nil}}},
			{"count", "", [][3]any{{int64(0), int64(1), nil}, {int64(5), int64(1), nil}, {false, int64(1), nil}}},
			{"name", "", [][3]any{{"Alpha", int64(1), nil}, {"beta", int64(1), nil}, {false, int64(1), nil}}},
			{"partner_id", "", [][3]any{{[]any{sd.p2, "Other"}, int64(1), nil}, {[]any{sd.p1, "Owner One"}, int64(1), nil}, {false, int64(1), nil}}},
			// A many2many's links sort by id, not by the comodel's order.
			{"tag_ids", "", [][3]any{{[]any{sd.t1, "Red"}, int64(2), nil}, {[]any{sd.t2, "Blue"}, int64(1), nil}, {false, int64(1), nil}}},
			{"day", "", [][3]any{
				{"January 2024", int64(1), rng("2024-01-01", "2024-02-01")},
				{"February 2024", int64(1), rng("2024-02-01", "2024-03-01")},
				{false, int64(1), false}}},
			{"day:day", "", [][3]any{
				{"15 Jan 2024", int64(1), rng("2024-01-15", "2024-01-16")},
				{"29 Feb 2024", int64(1), rng("2024-02-29", "2024-03-01")},
				{false, int64(1), false}}},
			{"day:week", "", [][3]any{
				{"W3 2024", int64(1), rng("2024-01-14", "2024-01-21")},
				{"W9 2024", int64(1), rng("2024-02-25", "2024-03-03")},
				{false, int64(1), false}}},
			{"day:quarter", "", [][3]any{{"Q1 2024", int64(2), rng("2024-01-01", "2024-04-01")}, {false, int64(1), false}}},
			{"day:year", "", [][3]any{{"2024", int64(2), rng("2024-01-01", "2025-01-01")}, {false, int64(1), false}}},
			{"moment:hour", "", [][3]any{
				{"10:00 15 Jan", int64(1), rng("2024-01-15 10:00:00", "2024-01-15 11:00:00")},
				{"11:00 29 Feb", int64(1), rng("2024-02-29 23:00:00", "2024-03-01 00:00:00")},
				{false, int64(1), false}}},
			{"day:month_number", "", [][3]any{{int64(1), int64(1), nil}, {int64(2), int64(1), nil}, {false, int64(1), false}}},
			{"day:day_of_week", "", [][3]any{{int64(1), int64(1), nil}, {int64(4), int64(1), nil}, {false, int64(1), false}}},
			{"moment:hour_number", "Europe/Brussels", [][3]any{{int64(0), int64(1), nil}, {int64(11), int64(1), nil}, {false, int64(1), false}}},
			{"moment:day", "Europe/Brussels", [][3]any{
				{"15 Jan 2024", int64(1), rng("2024-01-14 23:00:00", "2024-01-15 23:00:00")},
				{"01 Mar 2024", int64(1), rng("2024-02-29 23:00:00", "2024-03-01 23:00:00")},
				{false, int64(1), false}}},
		} {
			t.Run(c.groupby+c.tz, func(t *testing.T) {
				kw := map[string]any{"lazy": false}
				if c.tz != "" {
					kw["context"] = map[string]any{"tz": c.tz}
				}
				out, err := x.call("x.types", "read_group", []any{[]any{}, []any{"ratio:sum"}, []any{c.groupby}}, kw)
				if err != nil {
					t.Fatal(err)
				}
				groups := records(t, out)
				if len(groups) != len(c.want) {
					t.Fatalf("%d groups, want %d: %v", len(groups), len(c.want), groups)
				}
				for i, w := range c.want {
					g := groups[i]
					var r any
					if rs, ok := g["__range"].(*models.Dict); ok {
						r, _ = rs.Get(c.groupby)
					}
					if !reflect.DeepEqual(g[c.groupby], w[0]) || g["__count"] != w[1] || !reflect.DeepEqual(r, w[2]) {
						t.Errorf("group %d: %v %v %v, want %v", i, g[c.groupby], g["__count"], r, w)
					}
				}
			})
		}
		// Fields named alone are aggregated with their aggregator: the
		// average of ratio, the sum of count, none for score and rank.
		agg := records(t, x.must("x.types", "read_group", []any{[]any{}, []any{"ratio", "count", "score", "rank"}, []any{"flag"}}, nil))
		for i, want := range []models.Record{{"ratio": 0.0, "count": int64(0)}, {"ratio": 1.5, "count": int64(5)}} {
			g := agg[i]
			_, hasScore := g["score"]
			_, hasRank := g["rank"]
			if g["ratio"] != want["ratio"] || g["count"] != want["count"] || hasScore || hasRank {
				t.Errorf("aggregates of group %d: %v", i, g)
			}
		}
		// Weeks start on the day of the context's language.
		lang := x.create("res.lang", map[string]any{"name": "French", "code": "fr_FR", "direction": "ltr", "active": true})
		x.must("x.lang.week", "write", []any{[]any{lang}, map[string]any{"week_start": "1"}}, nil)
		out0 := records(t, x.must("x.types", "read_group", []any{[]any{}, []any{}, []any{"day:week"}},
			map[string]any{"lazy": false, "context": map[string]any{"lang": "fr_FR"}}))
		if got, _ := out0[0]["__range"].(*models.Dict).Get("day:week"); !reflect.DeepEqual(got, rng("2024-01-15", "2024-01-22")) || out0[0]["day:week"] != "W3 2024" {
			t.Errorf("a week starting on Monday: %v %v", out0[0]["day:week"], got)
		}
		if got, _ := out0[1]["__range"].(*models.Dict).Get("day:week"); !reflect.DeepEqual(got, rng("2024-02-26", "2024-03-04")) || out0[1]["day:week"] != "W9 2024" {
			t.Errorf("a week starting on Monday: %v %v", out0[1]["day:week"], got)
		}
		// The False group of a many2many is the records linked to
		// nothing, and its domain finds them.
		out := records(t, x.must("x.types", "read_group", []any{[]any{}, []any{}, []any{"tag_ids"}}, nil))
		last := out[len(out)-1]["__domain"].([]any)
		unlinked := []any{"tag_ids", "not any", []any{[]any{int64(1), "=", int64(1)}}}
		if leaf := last[len(last)-1]; !reflect.DeepEqual(leaf, unlinked) {
			t.Errorf("domain of the group without tags ends with %v", leaf)
		}
		if n := x.must("x.types", "search_count", []any{last}, nil); n != out[len(out)-1]["tag_ids_count"] {
			t.Errorf("the domain of the group without tags finds %v records, the group counts %v", n, out[len(out)-1]["tag_ids_count"])
		}
		for _, c := range []struct{ groupby, msg string }{
			{"day:fortnight", "Granularity specification isn't correct: 'fortnight'"},
			{"name:day", "Granularity set on a no-datetime field or property: 'name:day'"},
		} {
			_, err := x.call("x.types", "read_group", []any{[]any{}, []any{}, []any{c.groupby}}, nil)
			if e := models.AsError(err); e == nil || e.Message != c.msg {
				t.Errorf("%s: %v, want %s", c.groupby, err, c.msg)
			}
		}
	})
}

// TestFieldTypesCommands applies each x2many command (Odoo's triples,
// which Odoo 17's Command helpers also send) to a many2many and to a
// one2many whose inverse cascades, on both stores, and reads the links
// back, with the records the commands created, changed or deleted.
func TestFieldTypesCommands(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		x := newTypesFixture(t, s, db)
		id := x.create("x.types", map[string]any{"name": "owner"})
		t1 := x.create("res.partner.category", map[string]any{"name": "T1"})
		t2 := x.create("res.partner.category", map[string]any{"name": "T2"})
		names := func(model string, ids any) string {
			t.Helper()
			out := ""
			for _, r := range records(t, x.must(model, "read", []any{ids, []any{"name"}}, nil)) {
				out += " " + r["name"].(string)
			}
			return out
		}
		cmd := func(vals ...any) []any { return []any{vals} }
		for _, c := range []struct {
			field string
			cmds  any
			want  string // names of the linked records
		}{
			{"tag_ids", cmd(int64(0), int64(0), map[string]any{"name": "New"}), " New"},
			{"tag_ids", cmd(int64(4), t1, int64(0)), " New T1"},
			{"tag_ids", cmd(int64(4), t1), " New T1"}, // linked once
			{"tag_ids", cmd(int64(1), t1, map[string]any{"name": "T1b"}), " New T1b"},
			{"tag_ids", cmd(int64(3), t1), " New"},
			{"tag_ids", cmd(int64(6), int64(0), []any{t1, t2}), " T1b T2"},
			{"tag_ids", cmd(int64(2), t2), " T1b"},
			{"tag_ids", cmd(int64(5), int64(0), int64(0)), ""},
			{"tag_ids", []any{t1}, " T1b"}, // a list of ids sets the links
			{"tag_ids", false, ""},
			{"child_ids", cmd(int64(0), int64(0), map[string]any{"name": "k1"}), " k1"},
			{"child_ids", []any{[]any{int64(0), "virtual_2", map[string]any{"name": "k2"}}}, " k1 k2"},
			{"child_ids", cmd(int64(1), nil, nil), " k1 k2"}, // replaced below by the id of k1
			{"child_ids", cmd(int64(3), nil), " k2"},         // the inverse cascades: k1 is deleted
			{"child_ids", cmd(int64(5)), ""},
		} {
			if l, ok := c.cmds.([]any); ok && c.field == "child_ids" && len(l) == 1 {
				// Commands on k1 name its id, known once it exists.
				if t3, ok := l[0].([]any); ok && len(t3) >= 2 && t3[1] == nil {
					kids := x.must("x.types", "search", []any{[]any{[]any{"name", "=", "k1"}}}, nil).([]int64)
					t3[1] = kids[0]
					if len(t3) == 3 {
						t3[2] = map[string]any{"note": "changed"}
					}
				}
			}
			x.must("x.types", "write", []any{[]any{id}, map[string]any{c.field: c.cmds}}, nil)
			linked := x.read("x.types", id, c.field)
			got := ""
			if l := linked.([]int64); len(l) > 0 {
				ids := make([]any, len(l))
				for i, v := range l {
					ids[i] = v
				}
				model := "res.partner.category"
				if c.field == "child_ids" {
					model = "x.types"
				}
				got = names(model, ids)
			}
			if got != c.want {
				t.Errorf("%s %v: linked%q, want%q", c.field, c.cmds, got, c.want)
			}
		}
		if n := x.must("res.partner.category", "search_count", []any{[]any{[]any{"id", "=", t2}}}, nil); n != int64(0) {
			t.Errorf("(2, id) left the record")
		}
		if n := x.must("x.types", "search_count", []any{[]any{[]any{"name", "in", []any{"k1", "k2"}}}}, nil); n != int64(0) {
			t.Errorf("lines taken out of a cascading one2many are left: %v", n)
		}
	})
}

// TestFieldTypesOnDelete deletes the records many2ones point at, on both
// stores: set null empties the field, restrict refuses with Odoo's
// message naming the model and field, cascade deletes the records that
// point at the deleted one.
func TestFieldTypesOnDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		x := newTypesFixture(t, s, db)
		p := x.create("res.partner", map[string]any{"name": "P"})
		owner := x.create("res.partner", map[string]any{"name": "Owner"})
		parent := x.create("x.types", map[string]any{"name": "parent", "partner_id": p, "owner_id": owner})
		child := x.create("x.types", map[string]any{"name": "child", "parent_id": parent})
		x.must("res.partner", "unlink", []any{[]any{p}}, nil)
		if got := x.read("x.types", parent, "partner_id"); got != false {
			t.Errorf("set null left %v", got)
		}
		_, err := x.call("res.partner", "unlink", []any{[]any{owner}}, nil)
		if e := models.AsError(err); e == nil || e.Kind != models.KindValidation ||
			e.Message != "The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: Field types (x.types)\nConstraint: x_types_owner_id_fkey\n" {
			t.Errorf("restrict: %#v", err)
		}
		x.must("x.types", "unlink", []any{[]any{parent}}, nil)
		if n := x.must("x.types", "search_count", []any{[]any{[]any{"id", "=", child}}}, nil); n != int64(0) {
			t.Errorf("cascade left the child")
		}
	})
}

// TestFieldTypesFieldsGet checks the attributes fields_get gives the
// types that have their own: a float's digits, a monetary's currency
// field, a reference's models, a many2one_reference's model field.
func TestFieldTypesFieldsGet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		x := newTypesFixture(t, s, db)
		desc := x.must("x.types", "fields_get", []any{[]any{"lat", "amount", "ref", "res_id", "image_128", "ratio", "score", "rank"}}, nil).(*models.Dict).Map()
		for _, c := range []struct {
			field, attr string
			want        any
		}{
			{"lat", "digits", []any{int64(10), int64(3)}},
			{"amount", "currency_field", "currency_id"},
			{"ref", "selection", []any{[]any{"res.partner", "Contact"}, []any{"x.types", "Types"}}},
			{"ref", "type", "reference"},
			{"res_id", "model_field", "res_model"},
			{"image_128", "type", "binary"},
			{"image_128", "readonly", true},
			{"ratio", "aggregator", "avg"},
			{"score", "aggregator", false},
			{"rank", "aggregator", nil},
		} {
			if got, _ := desc[c.field].(*models.Dict).Get(c.attr); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s %s: %#v, want %#v", c.field, c.attr, got, c.want)
			}
		}
	})
}

// records is a list answer as records, whether the engine answered it as
// records or as a table.
func records(t *testing.T, v any) []models.Record {
	t.Helper()
	switch x := v.(type) {
	case []models.Record:
		return x
	case *models.Table:
		return x.Records()
	case []any: // read_group's groups, as Dicts
		out := make([]models.Record, len(x))
		for i, d := range x {
			dict, ok := d.(*models.Dict)
			if !ok {
				t.Fatalf("want records, got a %T among them", d)
			}
			out[i] = dict.Map()
		}
		return out
	}
	t.Fatalf("want records, got %T", v)
	return nil
}
