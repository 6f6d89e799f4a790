package models_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestParseDeclaration checks that a declaration keeps its fields in the
// file's order, ignores the attributes fields_get computes, and refuses
// what it does not know.
func TestParseDeclaration(t *testing.T) {
	d, err := models.ParseDeclaration([]byte(`{"model": "x.tag", "description": "Tags", "fields": {
		"zeta": {"type": "char", "searchable": true, "sortable": true, "name": "zeta"},
		"alpha": {"type": "integer", "string": "Alpha"},
		"mid": {"type": "boolean"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range d.Fields {
		names = append(names, f.Name)
	}
	if d.Model != "x.tag" || !slices.Equal(names, []string{"zeta", "alpha", "mid"}) {
		t.Fatalf("got %s %v", d.Model, names)
	}
	for _, c := range []struct{ name, src, want string }{
		{"unknown model key", `{"model": "x.a", "_order": "name"}`, "unknown field"},
		{"unknown field key", `{"model": "x.a", "fields": {"a": {"type": "char", "strin": "A"}}}`, "field a"},
		{"field named otherwise", `{"model": "x.a", "fields": {"a": {"type": "char", "name": "b"}}}`, "named b"},
		{"no model", `{"fields": {}}`, "no model name"},
		{"fields not an object", `{"model": "x.a", "fields": []}`, "fields must be an object"},
		{"not JSON", `{"model": `, "unexpected end"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := models.ParseDeclaration([]byte(c.src))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error with %q", err, c.want)
			}
		})
	}
}

// declare parses src and declares it into a new registry with b.
func declare(t *testing.T, src string, b *models.Behaviour) (*models.Registry, error) {
	t.Helper()
	d, err := models.ParseDeclaration([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := models.NewRegistry()
	return r, r.Declare(d, b)
}

// TestDeclare checks how a declaration becomes a model: columns for stored
// fields only, Odoo's ondelete defaults, typed static defaults, and the Go
// behaviour attached by name.
func TestDeclare(t *testing.T) {
	computed := false
	r, err := declare(t, `{"model": "x.item", "description": "Items", "order": "name", "auth_cached": true,
		"constraints": [{"name": "x_item_code_uniq", "columns": ["code"], "message": "Codes are unique."}],
		"columns": [{"name": "secret", "type": "char", "size": 8, "required": true}],
		"fields": {
			"name": {"type": "char", "string": "Name", "required": true, "index": true},
			"code": {"type": "char", "size": 4, "default": "A1"},
			"qty": {"type": "integer", "default": 3},
			"price": {"type": "float", "default": 2},
			"ok": {"type": "boolean", "default": true},
			"parent_id": {"type": "many2one", "relation": "x.item"},
			"owner_id": {"type": "many2one", "relation": "x.item", "required": true},
			"child_ids": {"type": "one2many", "relation": "x.item", "relation_field": "parent_id"},
			"tag_ids": {"type": "many2many", "relation": "x.item", "relation_table": "x_item_rel", "column1": "a", "column2": "b"},
			"label": {"type": "char", "compute": "_compute_label", "depends": ["name"]},
			"parent_name": {"type": "char", "related": "parent_id.name"},
			"token": {"type": "char", "store": false, "write_only": true},
			"due": {"type": "date"},
			"note": {"type": "text", "copy": false}
		}}`, &models.Behaviour{
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{"_compute_label": func(context.Context, *models.Env, []models.Record) error { computed = true; return nil }},
		Defaults: map[string]func(context.Context, *models.Env) any{"due": func(context.Context, *models.Env) any { return "2024-01-01" }},
		Methods:  []*models.Method{{Name: "ping", Fn: func(context.Context, *models.Env, *models.Model, []int64, models.Args) (any, error) { return true, nil }}},
		Hooks:    models.Hooks{BeforeUnlink: func(context.Context, *models.Env, []int64) error { return nil }},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Check(); err != nil {
		t.Fatal(err)
	}
	m := r.Model("x.item")
	if m.Table != "x_item" || m.Order != "name" || m.RecName != "name" || !m.AuthCached || m.BeforeUnlink == nil || m.Methods["ping"] == nil || m.Methods["search"] == nil {
		t.Fatalf("model %+v", m)
	}
	if len(m.Constraints) != 1 || m.Constraints[0].Message != "Codes are unique." || len(m.Columns) != 1 || m.Columns[0].Size != 8 {
		t.Fatalf("constraints %v, columns %v", m.Constraints, m.Columns)
	}
	columns := map[string]string{"name": "name", "code": "code", "parent_id": "parent_id", "child_ids": "", "tag_ids": "",
		"label": "", "parent_name": "", "token": "", "due": "due", "id": "id", "display_name": "", "create_uid": "create_uid"}
	for name, col := range columns {
		if got := m.Fields[name].Column; got != col {
			t.Errorf("%s: column %q, want %q", name, got, col)
		}
	}
	if f := m.Fields["parent_id"]; f.OnDelete != "set null" {
		t.Errorf("optional many2one: ondelete %q", f.OnDelete)
	}
	if f := m.Fields["owner_id"]; f.OnDelete != "restrict" {
		t.Errorf("required many2one: ondelete %q", f.OnDelete)
	}
	defaults := map[string]any{"code": "A1", "qty": int64(3), "price": 2.0, "ok": true, "due": "2024-01-01"}
	for name, want := range defaults {
		got := m.Fields[name].DefaultValue
		if fn := m.Fields[name].Default; fn != nil {
			got = fn(context.Background(), nil)
		}
		if got != want {
			t.Errorf("%s: default %#v, want %#v", name, got, want)
		}
	}
	if m.Fields["name"].Default != nil || m.Fields["name"].DefaultValue != nil || !m.Fields["name"].Index || m.Fields["code"].Size != 4 {
		t.Error("name has a default, or lost its index, or code its size")
	}
	if !m.Fields["note"].NoCopy || m.Fields["name"].NoCopy || !m.Fields["token"].WriteOnly {
		t.Error("copy or write_only lost")
	}
	if err := m.Fields["label"].Compute(context.Background(), nil, nil); err != nil || !computed {
		t.Error("the compute is not the Go function")
	}
	if got := m.Fields["parent_name"].Related; !slices.Equal(got, []string{"parent_id", "name"}) {
		t.Errorf("related %v", got)
	}
}

// TestDeclareErrors checks that a declaration the engine cannot serve is
// refused with a reason, before anything is registered.
func TestDeclareErrors(t *testing.T) {
	fn := func(context.Context, *models.Env, []models.Record) error { return nil }
	cases := []struct {
		name, fields string
		b            *models.Behaviour
		want         string
	}{
		{"unknown type", `"a": {"type": "money"}`, nil, `unknown type "money"`},
		{"many2one without relation", `"a": {"type": "many2one"}`, nil, "relation is for relational fields"},
		{"relation on a char", `"a": {"type": "char", "relation": "x.a"}`, nil, "relation is for relational fields"},
		{"one2many without inverse", `"a": {"type": "one2many", "relation": "x.a"}`, nil, "relation_field"},
		{"many2many without table", `"a": {"type": "many2many", "relation": "x.a"}`, nil, "relation_table"},
		{"selection without options", `"a": {"type": "selection"}`, nil, "selection is for selection fields"},
		{"size on an integer", `"a": {"type": "integer", "size": 3}`, nil, "size is for char fields"},
		{"long related path", `"a": {"type": "char", "related": "b.c.d"}`, nil, "paths of two fields"},
		{"compute without Go", `"a": {"type": "char", "compute": "_c"}`, nil, "no Go function"},
		{"Go compute without field", `"a": {"type": "char"}`, &models.Behaviour{Computes: map[string]func(context.Context, *models.Env, []models.Record) error{"_c": fn}}, "no field computes"},
		{"Go default without field", `"a": {"type": "char"}`, &models.Behaviour{Defaults: map[string]func(context.Context, *models.Env) any{"b": nil}}, "no such field"},
		{"two defaults", `"a": {"type": "char", "default": "x"}`, &models.Behaviour{Defaults: map[string]func(context.Context, *models.Env) any{"a": func(context.Context, *models.Env) any { return "y" }}}, "a static default and a Go default"},
		{"default of another type", `"a": {"type": "integer", "default": "x"}`, nil, "does not suit"},
		{"fractional integer default", `"a": {"type": "integer", "default": 1.5}`, nil, "does not suit"},
		{"list default", `"a": {"type": "char", "default": ["x"]}`, nil, "does not suit"},
		{"unknown ondelete", `"a": {"type": "many2one", "relation": "x.a", "ondelete": "drop"}`, nil, "not one of"},
		{"set null on required", `"a": {"type": "many2one", "relation": "x.a", "required": true, "ondelete": "set null"}`, nil, "set null on a required"},
		{"ondelete on a char", `"a": {"type": "char", "ondelete": "cascade"}`, nil, "ondelete is for stored many2one"},
		{"stored related", `"a": {"type": "char", "related": "b.c", "store": true}`, nil, "has no column"},
		{"index without column", `"a": {"type": "char", "store": false, "index": true}`, nil, "index and size are for stored"},
		{"field name that is no identifier", `"a; drop table x": {"type": "char"}`, nil, "not a lower-case SQL identifier"},
		{"upper-case field name", `"Name": {"type": "char"}`, nil, "not a lower-case SQL identifier"},
		{"link column that is no identifier", `"a": {"type": "many2many", "relation": "x.a", "relation_table": "x_rel", "column1": "a", "column2": "b c"}`, nil, "not a lower-case SQL identifier"},
		{"digits on an integer", `"a": {"type": "integer", "digits": [16, 2]}`, nil, "digits are a float's"},
		{"digits without a scale", `"a": {"type": "float", "digits": [16]}`, nil, "digits are a float's"},
		{"currency field on a float", `"a": {"type": "float", "currency_field": "c"}`, nil, "currency_field is for monetary"},
		{"many2one_reference without model field", `"a": {"type": "many2one_reference"}`, nil, "model_field"},
		{"model field on an integer", `"a": {"type": "integer", "model_field": "m"}`, nil, "model_field"},
		{"image bounds on a char", `"a": {"type": "char", "max_width": 128}`, nil, "binary image's bounds"},
		{"unknown aggregator", `"a": {"type": "integer", "aggregator": "median"}`, nil, "not one of read_group's functions"},
		{"selection records on a char", `"a": {"type": "char", "selection_records": {"model": "x.a", "value": "a", "label": "a"}}`, nil, "selection_records is for selection fields"},
		{"selection records and values", `"a": {"type": "selection", "selection": [["b", "B"]], "selection_records": {"model": "x.a", "value": "a", "label": "a"}}`, nil, "selection_records is for selection fields"},
		{"link columns the same", `"a": {"type": "many2many", "relation": "x.a", "relation_table": "x_rel", "column1": "a", "column2": "a"}`, nil, "the same"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := declare(t, `{"model": "x.a", "fields": {`+c.fields+`}}`, c.b)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error with %q", err, c.want)
			}
			if r.Model("x.a") != nil {
				t.Fatal("a refused model was registered")
			}
		})
	}
	if _, err := declare(t, `{"model": "x.a", "constraints": [{"name": "c"}]}`, nil); err == nil || !strings.Contains(err.Error(), "constraint needs") {
		t.Fatalf("constraint without columns: %v", err)
	}
	r, err := declare(t, `{"model": "x.a"}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := models.ParseDeclaration([]byte(`{"model": "x.a"}`))
	if err := r.Declare(d, nil); err == nil || !strings.Contains(err.Error(), "declared twice") {
		t.Fatalf("a model declared twice: %v", err)
	}
	for _, src := range []string{
		`{"model": "x.a", "columns": [{"name": "c", "type": "one2many"}]}`,
		`{"model": "x.a", "columns": [{"name": "c-d", "type": "char"}]}`,
		`{"model": "x.a", "table": "x a"}`,
		`{"model": "X a"}`,
		`{"model": "x.a", "indexes": [{"name": "i", "columns": []}]}`,
		`{"model": "x.a", "indexes": [{"name": "i", "columns": ["a)"]}]}`,
		`{"model": "x.a", "constraints": [{"name": "c", "columns": ["a'"]}]}`,
	} {
		if _, err := declare(t, src, nil); err == nil {
			t.Errorf("%s was accepted", src)
		}
	}
}

// TestCheck checks the relations between declared models.
func TestCheck(t *testing.T) {
	cases := []struct{ name, decls, want string }{
		{"unknown comodel", `{"model": "x.a", "fields": {"b_id": {"type": "many2one", "relation": "x.b"}}}`, "relation x.b is no model"},
		{"one2many without its many2one", `{"model": "x.a", "fields": {"b_ids": {"type": "one2many", "relation": "x.a", "relation_field": "a_id"}}}`, "no many2one of x.a"},
		{"related to nothing", `{"model": "x.a", "fields": {"p_id": {"type": "many2one", "relation": "x.a"}, "n": {"type": "char", "related": "p_id.nope"}}}`, "no char field nope"},
		{"inherits without a required link", `{"model": "x.a", "inherits": {"x.a": "p_id"}, "fields": {"p_id": {"type": "many2one", "relation": "x.a"}}}`, "not a required many2one"},
		{"selection records of no model", `{"model": "x.a", "fields": {"s": {"type": "selection", "selection_records": {"model": "x.b", "value": "code", "label": "name"}}}}`, "no model x.b"},
		{"selection records of no field", `{"model": "x.a", "fields": {"code": {"type": "char"}, "s": {"type": "selection", "selection_records": {"model": "x.a", "value": "code", "label": "name"}}}}`, "no stored field name on x.a"},
		{"domain naming no field", `{"model": "x.a", "fields": {"a_id": {"type": "many2one", "relation": "x.a"},
			"b_ids": {"type": "one2many", "relation": "x.a", "relation_field": "a_id", "domain": [["nope", "=", 1]]}}}`, "field b_ids: domain"},
		{"link table disagreement", `{"model": "x.a", "fields": {
			"b_ids": {"type": "many2many", "relation": "x.a", "relation_table": "x_rel", "column1": "a", "column2": "b"},
			"c_ids": {"type": "many2many", "relation": "x.a", "relation_table": "x_rel", "column1": "a", "column2": "c"}}}`, "link table x_rel"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := declare(t, c.decls, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Check(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error with %q", err, c.want)
			}
		})
	}
}

// TestNumericFields checks which numbers Odoo keeps as NUMERIC, whose
// read_group sums are exact: floats with digits, 0 included.
func TestNumericFields(t *testing.T) {
	r, err := declare(t, `{"model": "x.rate", "fields": {
			"rate": {"type": "float", "digits": 0},
			"amount": {"type": "float", "digits": [16, 2]},
			"ratio": {"type": "float"},
			"qty": {"type": "integer"}
		}}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := r.Model("x.rate")
	for name, want := range map[string]bool{"rate": true, "amount": true, "ratio": false, "qty": false} {
		if got := m.Fields[name].Numeric; got != want {
			t.Errorf("%s: Numeric = %v, want %v", name, got, want)
		}
	}
}

// TestDeclareHTMLPolicy checks that an html field's sanitize, strip_style
// and strip_classes, as fields_get describes them, decide how its written
// values are cleaned.
func TestDeclareHTMLPolicy(t *testing.T) {
	r, err := declare(t, `{"model": "x.note", "fields": {
		"plain": {"type": "html", "sanitize": true},
		"stripped": {"type": "html", "sanitize": true, "strip_style": true, "strip_classes": true},
		"raw": {"type": "html", "sanitize": false}}}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := r.Model("x.note")
	for _, c := range []struct {
		field    string
		sanitize bool
		policy   models.HTMLPolicy
	}{
		{"plain", true, models.HTMLPolicy{}},
		{"stripped", true, models.HTMLPolicy{StripStyle: true, StripClasses: true}},
		{"raw", false, models.HTMLPolicy{}},
	} {
		f := m.Fields[c.field]
		if f.Sanitize != c.sanitize || f.HTMLPolicy != c.policy {
			t.Errorf("%s: sanitize %v policy %+v, want %v %+v", c.field, f.Sanitize, f.HTMLPolicy, c.sanitize, c.policy)
		}
	}
}
