package integration_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// customFields are the fields TestCustomModels gives its custom model, one
// of each type a custom field may have, with a value to write and the
// value read back.
var customFields = []struct {
	vals        map[string]any
	write, read any
}{
	{map[string]any{"name": "x_note", "ttype": "text"}, "a note", "a note"},
	{map[string]any{"name": "x_body", "ttype": "html"}, "<p>body</p>", "<p>body</p>"},
	{map[string]any{"name": "x_count", "ttype": "integer"}, int64(7), int64(7)},
	{map[string]any{"name": "x_weight", "ttype": "float"}, 2.5, 2.5},
	{map[string]any{"name": "x_currency_id", "ttype": "many2one", "relation": "res.currency"}, nil, nil},
	{map[string]any{"name": "x_price", "ttype": "monetary"}, 12.5, 12.5},
	{map[string]any{"name": "x_done", "ttype": "boolean"}, true, true},
	{map[string]any{"name": "x_day", "ttype": "date"}, "2024-02-29", "2024-02-29"},
	{map[string]any{"name": "x_at", "ttype": "datetime"}, "2024-02-29 10:11:12", "2024-02-29 10:11:12"},
	{map[string]any{"name": "x_kind", "ttype": "selection", "selection_ids": []any{
		[]any{0, 0, map[string]any{"value": "small", "name": "Small", "sequence": 1}},
		[]any{0, 0, map[string]any{"value": "big", "name": "Big", "sequence": 2}}}}, "big", "big"},
	{map[string]any{"name": "x_partner_id", "ttype": "many2one", "relation": "res.partner", "on_delete": "cascade"}, nil, nil},
	{map[string]any{"name": "x_tag_ids", "ttype": "many2many", "relation": "res.partner.category"}, nil, nil},
	{map[string]any{"name": "x_file", "ttype": "binary"}, "aGVsbG8=", "aGVsbG8="},
	{map[string]any{"name": "x_data", "ttype": "json"}, map[string]any{"k": "v"}, map[string]any{"k": "v"}},
	{map[string]any{"name": "x_link", "ttype": "reference", "selection_ids": []any{
		[]any{0, 0, map[string]any{"value": "res.partner", "name": "Contact"}}}}, "res.partner,1", "res.partner,1"},
	{map[string]any{"name": "x_code", "ttype": "char", "index": true, "size": 16}, "C-1", "C-1"},
}

// TestCustomModels: an administrator creates a model and fields of every
// type over XML-RPC (ir.model, ir.model.fields), and its records are
// created, read, searched, written and deleted over XML-RPC, JSON-RPC and
// JSON-2 at once; a field added to res.partner (a one2many to the new
// model) works too; other users are refused; bad names get Odoo's texts;
// renaming a field keeps its values; deleting fields and the model takes
// them away, on both stores.
func TestCustomModels(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		x, j := xmlCaller{e.srv.URL}, jsonCaller{e.srv.URL}
		mid := e.mustKw(t, x, "ir.model", "create", []any{map[string]any{"name": "Gadget", "model": "x_gadget"}}, nil).(int64)
		for _, f := range customFields {
			vals := map[string]any{"model_id": mid, "field_description": f.vals["name"]}
			for k, v := range f.vals {
				vals[k] = v
			}
			e.mustKw(t, x, "ir.model.fields", "create", []any{vals}, nil)
		}
		schemaMatches := func(t *testing.T) {
			t.Helper()
			ctx := context.Background()
			reg, err := e.set.DatabaseRegistry(ctx, e.db)
			if err != nil {
				t.Fatal(err)
			}
			pool, err := e.store.Open(ctx, e.db)
			if err != nil {
				t.Fatal(err)
			}
			if diff, err := models.SchemaDiff(ctx, pool, e.store.Dialect(), reg); err != nil || len(diff) > 0 {
				t.Errorf("the schema differs from the database's registry: %v %v", diff, err)
			}
		}
		partnerModel := e.mustKw(t, x, "ir.model", "search", []any{[]any{[]any{"model", "=", "res.partner"}}}, nil).([]any)[0]
		e.mustKw(t, x, "ir.model.fields", "create", []any{map[string]any{"model_id": partnerModel, "name": "x_gadget_ids",
			"field_description": "Gadgets", "ttype": "one2many", "relation": "x_gadget", "relation_field": "x_partner_id"}}, nil)
		e.mustKw(t, x, "ir.model.fields", "create", []any{map[string]any{"model_id": partnerModel, "name": "x_nickname",
			"field_description": "Nickname", "ttype": "char"}}, nil)

		schemaMatches(t)
		fg := e.mustKw(t, j, "x_gadget", "fields_get", []any{}, map[string]any{"attributes": []any{"type", "selection", "relation", "manual"}}).(map[string]any)
		for _, f := range customFields {
			name := f.vals["name"].(string)
			d, _ := fg[name].(map[string]any)
			if d["type"] != f.vals["ttype"] || d["manual"] != true {
				t.Errorf("fields_get %s: %v, want type %v", name, d, f.vals["ttype"])
			}
		}
		equal(t, "x_kind's selection", fg["x_kind"].(map[string]any)["selection"], []any{[]any{"small", "Small"}, []any{"big", "Big"}})
		if _, ok := fg["x_name"]; !ok {
			t.Error("a new custom model has no x_name")
		}
		// A custom field of res.partner is one of res.users, through the
		// user's partner, as Odoo's _inherits gives it.
		e.mustKw(t, x, "res.users", "write", []any{[]any{2}, map[string]any{"x_nickname": "Boss"}}, nil)
		admin := e.mustKw(t, j, "res.users", "read", []any{[]any{2}, []any{"x_nickname", "partner_id"}}, nil).([]any)[0].(map[string]any)
		equal(t, "res.users x_nickname", admin["x_nickname"], "Boss")
		adminPartner := e.mustKw(t, j, "res.partner", "read", []any{[]any{admin["partner_id"].([]any)[0]}, []any{"x_nickname"}}, nil).([]any)[0].(map[string]any)
		equal(t, "the admin's partner's x_nickname", adminPartner["x_nickname"], "Boss")
		partner := e.mustKw(t, x, "res.partner", "create", []any{map[string]any{"name": "Gadget owner", "x_nickname": "Gaddy"}}, nil).(int64)
		tag := e.mustKw(t, x, "res.partner.category", "create", []any{map[string]any{"name": "Gadget tag"}}, nil).(int64)
		usd := e.mustKw(t, x, "res.currency", "search", []any{[]any{[]any{"name", "=", "USD"}}}, nil).([]any)[0]

		record := func(name string) map[string]any {
			vals := map[string]any{"x_name": name, "x_partner_id": partner, "x_currency_id": usd,
				"x_tag_ids": []any{[]any{6, 0, []any{tag}}}}
			for _, f := range customFields {
				if f.write != nil {
					vals[f.vals["name"].(string)] = f.write
				}
			}
			return vals
		}
		check := func(t *testing.T, r map[string]any, name string) {
			t.Helper()
			equal(t, "x_name", r["x_name"], name)
			for _, f := range customFields {
				if f.read != nil {
					equal(t, f.vals["name"].(string), normalize(r[f.vals["name"].(string)]), normalize(f.read))
				}
			}
			equal(t, "x_tag_ids", normalize(r["x_tag_ids"]), []any{tag})
			if m2o, _ := r["x_partner_id"].([]any); len(m2o) != 2 || m2o[0] != partner {
				t.Errorf("x_partner_id = %#v", r["x_partner_id"])
			}
		}
		e.eachProtocol(t, func(t *testing.T, c caller) {
			name := "gadget " + c.protocol()
			id := e.mustKw(t, c, "x_gadget", "create", []any{record(name)}, nil).(int64)
			rows := e.mustKw(t, c, "x_gadget", "search_read", []any{[]any{[]any{"x_kind", "=", "big"}, []any{"x_name", "=", name},
				[]any{"x_count", ">", 6}, []any{"x_done", "=", true}, []any{"x_day", ">=", "2024-01-01"}}}, nil).([]any)
			if len(rows) != 1 {
				t.Fatalf("search_read found %d records", len(rows))
			}
			check(t, rows[0].(map[string]any), name)
			e.mustKw(t, c, "x_gadget", "write", []any{[]any{id}, map[string]any{"x_kind": "small", "x_count": 8}}, nil)
			got := e.mustKw(t, c, "x_gadget", "read", []any{[]any{id}, []any{"x_kind", "x_count", "display_name"}}, nil).([]any)[0].(map[string]any)
			equal(t, "x_kind after write", got["x_kind"], "small")
			equal(t, "x_count after write", got["x_count"], int64(8))
			equal(t, "display_name", got["display_name"], name)
			if _, f := e.kw(t, c, "x_gadget", "write", []any{[]any{id}, map[string]any{"x_kind": "huge"}}, nil); f == nil {
				t.Error("a value outside the selection is written")
			}
			owner := e.mustKw(t, c, "res.partner", "read", []any{[]any{partner}, []any{"x_gadget_ids", "x_nickname"}}, nil).([]any)[0].(map[string]any)
			if ids, _ := owner["x_gadget_ids"].([]any); !slices.Contains(ids, any(id)) {
				t.Errorf("res.partner x_gadget_ids = %v, want %d in it", ids, id)
			}
			equal(t, "x_nickname", owner["x_nickname"], "Gaddy")
			e.mustKw(t, c, "x_gadget", "unlink", []any{[]any{id}}, nil)
			equal(t, "records left", e.count(t, "x_gadget", []any{[]any{"x_name", "=", name}}), int64(0))
		})
		t.Run("json2", func(t *testing.T) {
			key := e.mustKw(t, x, "res.users.apikeys", "generate", []any{"rpc", "custom", false}, nil).(string)
			res, f := json2Call(t, e, key, secretCall{model: "x_gadget", method: "create", kwargs: map[string]any{"vals_list": record("gadget json2")}})
			if f != nil {
				t.Fatalf("create: %v", f.String)
			}
			id := res.([]any)[0].(int64)
			res, f = json2Call(t, e, key, secretCall{model: "x_gadget", method: "search_read", kwargs: map[string]any{
				"domain": []any{[]any{"id", "=", id}}, "fields": []any{"x_name", "x_kind", "x_tag_ids", "x_partner_id", "x_count"}}})
			if f != nil || len(res.([]any)) != 1 {
				t.Fatalf("search_read: %v %v", res, f)
			}
			equal(t, "x_kind", res.([]any)[0].(map[string]any)["x_kind"], "big")
			if _, f = json2Call(t, e, key, secretCall{model: "x_gadget", method: "write", ids: []int64{id}, kwargs: map[string]any{"vals": map[string]any{"x_count": 9}}}); f != nil {
				t.Fatalf("write: %v", f.String)
			}
			if _, f = json2Call(t, e, key, secretCall{model: "x_gadget", method: "unlink", ids: []int64{id}}); f != nil {
				t.Fatalf("unlink: %v", f.String)
			}
		})

		t.Run("other users are refused", func(t *testing.T) {
			uid := authLogin(t, x, e.db, "demo", "demo")
			_, f := x.call(t, "object", "execute_kw", e.db, uid, "demo", "ir.model", "create", []any{map[string]any{"name": "Nope", "model": "x_nope"}})
			wantFault(t, x, f, 4, "You are not allowed to create")
			_, f = x.call(t, "object", "execute_kw", e.db, uid, "demo", "ir.model.fields", "create",
				[]any{map[string]any{"model_id": mid, "name": "x_nope", "ttype": "char", "field_description": "Nope"}})
			wantFault(t, x, f, 4, "You are not allowed to create")
			_, f = x.call(t, "object", "execute_kw", e.db, uid, "demo", "x_gadget", "search", []any{[]any{}})
			wantFault(t, x, f, 4, "You are not allowed to access")
		})

		t.Run("bad names and changes", func(t *testing.T) {
			nameField := e.mustKw(t, x, "ir.model.fields", "search", []any{[]any{[]any{"model", "=", "res.partner"}, []any{"name", "=", "name"}}}, nil).([]any)[0]
			for _, tc := range []struct {
				model, method string
				args          []any
				code          int
				text          string
			}{
				{"ir.model", "create", []any{map[string]any{"name": "Bad", "model": "gadget"}}, 2, "The model name must start with 'x_'."},
				{"ir.model", "create", []any{map[string]any{"name": "Bad", "model": "x_Bad Name"}}, 2, "The model name can only contain lowercase characters, digits, underscores and dots."},
				{"ir.model", "create", []any{map[string]any{"name": "Again", "model": "x_gadget"}}, 2, "Each model must have a unique name."},
				{"ir.model.fields", "create", []any{map[string]any{"model_id": mid, "name": "colour", "ttype": "char", "field_description": "C"}}, 2, "Custom fields must have a name that starts with 'x_'!"},
				{"ir.model.fields", "create", []any{map[string]any{"model_id": mid, "name": "x_Colour", "ttype": "char", "field_description": "C"}}, 2, "Field names can only contain characters, digits and underscores (up to 63)."},
				{"ir.model.fields", "create", []any{map[string]any{"model_id": mid, "name": "x_note", "ttype": "char", "field_description": "C"}}, 2, "Field names must be unique per model."},
				{"ir.model.fields", "create", []any{map[string]any{"model_id": mid, "name": "x_thing", "ttype": "nope", "field_description": "C"}}, 1, "Wrong value for ir.model.fields.ttype: 'nope'"},
				{"ir.model.fields", "create", []any{map[string]any{"model_id": mid, "name": "x_owner_id", "ttype": "many2one", "relation": "no.such", "field_description": "C"}}, 2, "Model no.such does not exist!"},
				{"ir.model.fields", "create", []any{map[string]any{"model_id": mid, "name": "x_line_ids", "ttype": "one2many", "relation": "res.partner", "relation_field": "x_nope_id", "field_description": "C"}}, 2, "Many2one x_nope_id on model res.partner does not exist!"},
				{"ir.model.fields", "write", []any{[]any{nameField}, map[string]any{"required": false}}, 2, "Properties of base fields cannot be altered in this manner!"},
				{"ir.model.fields", "unlink", []any{[]any{nameField}}, 2, "This column contains module data and cannot be removed!"},
				{"ir.model", "unlink", []any{[]any{partnerModel}}, 2, "contains module data and cannot be removed."},
				{"ir.model", "write", []any{[]any{mid}, map[string]any{"model": "x_other"}}, 2, "Field Model cannot be modified on models."},
			} {
				_, f := e.kw(t, x, tc.model, tc.method, tc.args, nil)
				wantFault(t, x, f, tc.code, tc.text)
			}
			// A base field's label and help are translated terms, which
			// Odoo lets an administrator write.
			e.mustKw(t, x, "ir.model.fields", "write", []any{[]any{nameField}, map[string]any{"field_description": "Name"}}, nil)
		})

		t.Run("link tables of others", func(t *testing.T) {
			// A custom many2many may not take a table another field or
			// model has: deleting it would drop that table.
			users := e.mustKw(t, x, "ir.model", "search", []any{[]any{[]any{"model", "=", "res.users"}}}, nil).([]any)[0]
			link := func(name, table, col1, col2 string) map[string]any {
				return map[string]any{"model_id": users, "name": name, "field_description": name, "ttype": "many2many",
					"relation": "res.groups", "relation_table": table, "column1": col1, "column2": col2}
			}
			_, f := e.kw(t, x, "ir.model.fields", "create", []any{link("x_g", "res_groups_users_rel", "uid", "gid")}, nil)
			wantFault(t, x, f, 2, "Many2many fields res.users.x_g and res.groups.users use the same table and columns")
			_, f = e.kw(t, x, "ir.model.fields", "create", []any{link("x_g", "res_partner", "uid", "gid")}, nil)
			wantFault(t, x, f, 2, "cannot use the table res_partner: it is already in the database.")
			own := e.mustKw(t, x, "ir.model.fields", "create", []any{link("x_g", "x_own_groups_rel", "uid", "gid")}, nil)
			_, f = e.kw(t, x, "ir.model.fields", "write", []any{[]any{own}, map[string]any{"relation_table": "res_groups_users_rel"}}, nil)
			wantFault(t, x, f, 2, "use the same table and columns")
			e.mustKw(t, x, "ir.model.fields", "unlink", []any{[]any{own}}, nil)
			equal(t, "users in a group after the unlink", e.count(t, "res.users", []any{[]any{"groups_id", "!=", false}}) > 0, true)
			schemaMatches(t)
		})

		t.Run("rename and drop", func(t *testing.T) {
			id := e.mustKw(t, x, "x_gadget", "create", []any{map[string]any{"x_name": "kept", "x_note": "noted", "x_partner_id": partner}}, nil).(int64)
			note := e.mustKw(t, x, "ir.model.fields", "search", []any{[]any{[]any{"model", "=", "x_gadget"}, []any{"name", "=", "x_note"}}}, nil).([]any)[0]
			e.mustKw(t, x, "ir.model.fields", "write", []any{[]any{note}, map[string]any{"name": "x_memo"}}, nil)
			got := e.mustKw(t, j, "x_gadget", "read", []any{[]any{id}, []any{"x_memo"}}, nil).([]any)[0].(map[string]any)
			equal(t, "x_memo after the rename", got["x_memo"], "noted")
			_, f := e.kw(t, j, "x_gadget", "read", []any{[]any{id}, []any{"x_note"}}, nil)
			wantFault(t, j, f, 1, "x_note")

			partnerLink := e.mustKw(t, x, "ir.model.fields", "search", []any{[]any{[]any{"model", "=", "x_gadget"}, []any{"name", "=", "x_partner_id"}}}, nil).([]any)[0]
			_, f = e.kw(t, x, "ir.model.fields", "unlink", []any{[]any{partnerLink}}, nil)
			wantFault(t, x, f, 2, "cannot be removed because the field 'res.partner.x_gadget_ids' depends on it.")

			// An indexed column, renamed then dropped (SQLite drops no
			// indexed column: the index goes first).
			code := e.mustKw(t, x, "ir.model.fields", "search", []any{[]any{[]any{"model", "=", "x_gadget"}, []any{"name", "=", "x_code"}}}, nil).([]any)[0]
			e.mustKw(t, x, "x_gadget", "write", []any{[]any{id}, map[string]any{"x_code": "K-9"}}, nil)
			e.mustKw(t, x, "ir.model.fields", "write", []any{[]any{code}, map[string]any{"name": "x_key"}}, nil)
			got = e.mustKw(t, j, "x_gadget", "search_read", []any{[]any{[]any{"x_key", "=", "K-9"}}, []any{"x_key"}}, nil).([]any)[0].(map[string]any)
			equal(t, "x_key after the rename", got["x_key"], "K-9")
			e.mustKw(t, x, "ir.model.fields", "unlink", []any{[]any{code}}, nil)

			count := e.mustKw(t, x, "ir.model.fields", "search", []any{[]any{[]any{"model", "=", "x_gadget"}, []any{"name", "in", []any{"x_count", "x_tag_ids"}}}}, nil)
			e.mustKw(t, x, "ir.model.fields", "unlink", []any{count}, nil)
			fg := e.mustKw(t, j, "x_gadget", "fields_get", []any{}, map[string]any{"attributes": []any{"type"}}).(map[string]any)
			for _, gone := range []string{"x_count", "x_tag_ids", "x_note"} {
				if _, ok := fg[gone]; ok {
					t.Errorf("%s is still a field", gone)
				}
			}
			e.mustKw(t, x, "x_gadget", "write", []any{[]any{id}, map[string]any{"x_weight": 3.5}}, nil)
			schemaMatches(t)

			e.mustKw(t, x, "ir.model", "unlink", []any{[]any{mid}}, nil)
			_, f = e.kw(t, x, "x_gadget", "search", []any{[]any{}}, nil)
			wantFault(t, x, f, 2, "Object x_gadget doesn't exist")
			fg = e.mustKw(t, j, "res.partner", "fields_get", []any{}, map[string]any{"attributes": []any{"type"}}).(map[string]any)
			if _, ok := fg["x_gadget_ids"]; ok {
				t.Error("res.partner keeps a one2many to a deleted model")
			}
			if _, ok := fg["x_nickname"]; !ok {
				t.Error("res.partner lost its own custom field")
			}
			equal(t, "fields of the deleted model", e.count(t, "ir.model.fields", []any{[]any{"model", "=", "x_gadget"}}), int64(0))
			// The name is free again, with a table of its own; name_create
			// makes the model's name from its description, as Odoo's.
			made := e.mustKw(t, x, "ir.model", "name_create", []any{"Gadget"}, nil).([]any)
			equal(t, "the model name_create made", e.count(t, "ir.model", []any{[]any{"id", "=", made[0]}, []any{"model", "=", "x_gadget"}}), int64(1))
			equal(t, "records of the new model", e.count(t, "x_gadget", []any{}), int64(0))
			_, f = e.kw(t, x, "ir.model", "write", []any{[]any{made[0]}, map[string]any{"order": "x_missing desc"}}, nil)
			wantFault(t, x, f, 2, "Unable to order by x_missing: fields used for ordering must be present on the model and stored.")
			e.mustKw(t, x, "ir.model", "write", []any{[]any{made[0]}, map[string]any{"order": "x_name desc, id"}}, nil)
			for _, n := range []string{"b", "c", "a"} {
				e.mustKw(t, x, "x_gadget", "create", []any{map[string]any{"x_name": n}}, nil)
			}
			schemaMatches(t)
			rows := e.mustKw(t, j, "x_gadget", "search_read", []any{[]any{}, []any{"x_name"}}, nil).([]any)
			equal(t, "the new order", []any{rows[0].(map[string]any)["x_name"], rows[2].(map[string]any)["x_name"]}, []any{"c", "a"})
		})
	})
}

// TestCustomModelsAcrossProcesses: a custom model and field created through
// one process (its own store: pools, notices or WAL index) are served by
// another that had already served the database, at its next request, and
// a deleted one is gone there too. The test does not settle: on
// PostgreSQL the process that commits waits for the other's
// acknowledgement.
func TestCustomModelsAcrossProcesses(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		other := otherStore(t, e)
		setB := newSet(other, services.Config{})
		srvB := newServer(t, setB)
		x, xb := xmlCaller{e.srv.URL}, xmlCaller{srvB}
		kwB := func(model, method string, args ...any) (any, *faultInfo) {
			return xb.call(t, "object", "execute_kw", e.db, int64(2), adminPassword, model, method, args)
		}
		if _, f := kwB("res.partner", "search_count", []any{}); f != nil {
			t.Fatalf("B: %v", f.String)
		}
		_, f := kwB("x_widget", "search_count", []any{})
		wantFault(t, xb, f, 2, "Object x_widget doesn't exist")

		mid := e.mustKw(t, x, "ir.model", "create", []any{map[string]any{"name": "Widget", "model": "x_widget",
			"field_id": []any{[]any{0, 0, map[string]any{"name": "x_name", "ttype": "char", "field_description": "Name"}},
				[]any{0, 0, map[string]any{"name": "x_size", "ttype": "integer", "field_description": "Size"}}}}}, nil).(int64)
		id, f := kwB("x_widget", "create", map[string]any{"x_name": "made on B", "x_size": 3})
		if f != nil {
			t.Fatalf("B does not serve the model A created: %v", f.String)
		}
		rows := e.mustKw(t, x, "x_widget", "read", []any{[]any{id}, []any{"x_name", "x_size"}}, nil).([]any)
		equal(t, "A reads what B wrote", rows[0].(map[string]any)["x_size"], int64(3))

		e.mustKw(t, x, "ir.model.fields", "create", []any{map[string]any{"model_id": mid, "name": "x_colour", "ttype": "char", "field_description": "Colour"}}, nil)
		if _, f := kwB("x_widget", "write", []any{id}, map[string]any{"x_colour": "red"}); f != nil {
			t.Fatalf("B does not serve the field A added: %v", f.String)
		}

		e.mustKw(t, x, "ir.model", "unlink", []any{[]any{mid}}, nil)
		_, f = kwB("x_widget", "search_count", []any{})
		wantFault(t, xb, f, 2, "Object x_widget doesn't exist")
	})
}

// otherStore opens e's store again, apart, as another godoo process has
// it: its own pools, its own LISTEN connection or WAL index mapping.
func otherStore(t *testing.T, e *env) models.Store {
	t.Helper()
	var other models.Store
	var err error
	switch s := e.store.(type) {
	case *sqlitestore.Store:
		other, err = sqlitestore.New(filepath.Dir(filepath.Dir(s.Path(e.db))))
	default:
		var pg *pgstore.Store
		pg, err = pgstore.New(os.Getenv("GODOO_TEST_DSN"))
		other = tapFeed(pg)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// newServer serves set over HTTP on loopback for the test's duration.
func newServer(t *testing.T, set *services.Set) string {
	t.Helper()
	h := godoorpc.NewHandler(set, godoorpc.Options{})
	h.SetReady(true)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
