package database_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
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
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		x, j := itest.XMLCaller{Base: e.Srv.URL}, itest.JSONCaller{Base: e.Srv.URL}
		mid := e.MustKw(t, x, "ir.model", "create", []any{map[string]any{"name": "Gadget", "model": "x_gadget"}}, nil).(int64)
		for _, f := range customFields {
			vals := map[string]any{"model_id": mid, "field_description": f.vals["name"]}
			for k, v := range f.vals {
				vals[k] = v
			}
			e.MustKw(t, x, "ir.model.fields", "create", []any{vals}, nil)
		}
		schemaMatches := func(t *testing.T) {
			t.Helper()
			ctx := context.Background()
			reg, err := e.Set.DatabaseRegistry(ctx, e.DB)
			if err != nil {
				t.Fatal(err)
			}
			pool, err := e.Store.Open(ctx, e.DB)
			if err != nil {
				t.Fatal(err)
			}
			if diff, err := models.SchemaDiff(ctx, pool, e.Store.Dialect(), reg); err != nil || len(diff) > 0 {
				t.Errorf("the schema differs from the database's registry: %v %v", diff, err)
			}
		}
		partnerModel := e.MustKw(t, x, "ir.model", "search", []any{[]any{[]any{"model", "=", "res.partner"}}}, nil).([]any)[0]
		e.MustKw(t, x, "ir.model.fields", "create", []any{map[string]any{"model_id": partnerModel, "name": "x_gadget_ids",
			"field_description": "Gadgets", "ttype": "one2many", "relation": "x_gadget", "relation_field": "x_partner_id"}}, nil)
		e.MustKw(t, x, "ir.model.fields", "create", []any{map[string]any{"model_id": partnerModel, "name": "x_nickname",
			"field_description": "Nickname", "ttype": "char"}}, nil)

		schemaMatches(t)
		fg := e.MustKw(t, j, "x_gadget", "fields_get", []any{}, map[string]any{"attributes": []any{"type", "selection", "relation", "manual"}}).(map[string]any)
		for _, f := range customFields {
			name := f.vals["name"].(string)
			d, _ := fg[name].(map[string]any)
			if d["type"] != f.vals["ttype"] || d["manual"] != true {
				t.Errorf("fields_get %s: %v, want type %v", name, d, f.vals["ttype"])
			}
		}
		itest.Equal(t, "x_kind's selection", fg["x_kind"].(map[string]any)["selection"], []any{[]any{"small", "Small"}, []any{"big", "Big"}})
		if _, ok := fg["x_name"]; !ok {
			t.Error("a new custom model has no x_name")
		}
		// A custom field of res.partner is one of res.users, through the
		// user's partner, as Odoo's _inherits gives it.
		e.MustKw(t, x, "res.users", "write", []any{[]any{2}, map[string]any{"x_nickname": "Boss"}}, nil)
		admin := e.MustKw(t, j, "res.users", "read", []any{[]any{2}, []any{"x_nickname", "partner_id"}}, nil).([]any)[0].(map[string]any)
		itest.Equal(t, "res.users x_nickname", admin["x_nickname"], "Boss")
		adminPartner := e.MustKw(t, j, "res.partner", "read", []any{[]any{admin["partner_id"].([]any)[0]}, []any{"x_nickname"}}, nil).([]any)[0].(map[string]any)
		itest.Equal(t, "the admin's partner's x_nickname", adminPartner["x_nickname"], "Boss")
		partner := e.MustKw(t, x, "res.partner", "create", []any{map[string]any{"name": "Gadget owner", "x_nickname": "Gaddy"}}, nil).(int64)
		tag := e.MustKw(t, x, "res.partner.category", "create", []any{map[string]any{"name": "Gadget tag"}}, nil).(int64)
		usd := e.MustKw(t, x, "res.currency", "search", []any{[]any{[]any{"name", "=", "USD"}}}, nil).([]any)[0]

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
			itest.Equal(t, "x_name", r["x_name"], name)
			for _, f := range customFields {
				if f.read != nil {
					itest.Equal(t, f.vals["name"].(string), itest.Normalize(r[f.vals["name"].(string)]), itest.Normalize(f.read))
				}
			}
			itest.Equal(t, "x_tag_ids", itest.Normalize(r["x_tag_ids"]), []any{tag})
			if m2o, _ := r["x_partner_id"].([]any); len(m2o) != 2 || m2o[0] != partner {
				t.Errorf("x_partner_id = %#v", r["x_partner_id"])
			}
		}
		e.EachProtocol(t, func(t *testing.T, c itest.Caller) {
			name := "gadget " + c.Protocol()
			id := e.MustKw(t, c, "x_gadget", "create", []any{record(name)}, nil).(int64)
			rows := e.MustKw(t, c, "x_gadget", "search_read", []any{[]any{[]any{"x_kind", "=", "big"}, []any{"x_name", "=", name},
				[]any{"x_count", ">", 6}, []any{"x_done", "=", true}, []any{"x_day", ">=", "2024-01-01"}}}, nil).([]any)
			if len(rows) != 1 {
				t.Fatalf("search_read found %d records", len(rows))
			}
			check(t, rows[0].(map[string]any), name)
			e.MustKw(t, c, "x_gadget", "write", []any{[]any{id}, map[string]any{"x_kind": "small", "x_count": 8}}, nil)
			got := e.MustKw(t, c, "x_gadget", "read", []any{[]any{id}, []any{"x_kind", "x_count", "display_name"}}, nil).([]any)[0].(map[string]any)
			itest.Equal(t, "x_kind after write", got["x_kind"], "small")
			itest.Equal(t, "x_count after write", got["x_count"], int64(8))
			itest.Equal(t, "display_name", got["display_name"], name)
			if _, f := e.Kw(t, c, "x_gadget", "write", []any{[]any{id}, map[string]any{"x_kind": "huge"}}, nil); f == nil {
				t.Error("a value outside the selection is written")
			}
			owner := e.MustKw(t, c, "res.partner", "read", []any{[]any{partner}, []any{"x_gadget_ids", "x_nickname"}}, nil).([]any)[0].(map[string]any)
			if ids, _ := owner["x_gadget_ids"].([]any); !slices.Contains(ids, any(id)) {
				t.Errorf("res.partner x_gadget_ids = %v, want %d in it", ids, id)
			}
			itest.Equal(t, "x_nickname", owner["x_nickname"], "Gaddy")
			e.MustKw(t, c, "x_gadget", "unlink", []any{[]any{id}}, nil)
			itest.Equal(t, "records left", e.Count(t, "x_gadget", []any{[]any{"x_name", "=", name}}), int64(0))
		})
		t.Run("json2", func(t *testing.T) {
			key := e.MustKw(t, x, "res.users.apikeys", "generate", []any{"rpc", "custom", false}, nil).(string)
			res, f := itest.JSON2Call(t, e, key, "x_gadget", "create", nil, map[string]any{"vals_list": record("gadget json2")})
			if f != nil {
				t.Fatalf("create: %v", f.String)
			}
			id := res.([]any)[0].(int64)
			res, f = itest.JSON2Call(t, e, key, "x_gadget", "search_read", nil, map[string]any{
				"domain": []any{[]any{"id", "=", id}}, "fields": []any{"x_name", "x_kind", "x_tag_ids", "x_partner_id", "x_count"}})
			if f != nil || len(res.([]any)) != 1 {
				t.Fatalf("search_read: %v %v", res, f)
			}
			itest.Equal(t, "x_kind", res.([]any)[0].(map[string]any)["x_kind"], "big")
			if _, f = itest.JSON2Call(t, e, key, "x_gadget", "write", []int64{id}, map[string]any{"vals": map[string]any{"x_count": 9}}); f != nil {
				t.Fatalf("write: %v", f.String)
			}
			if _, f = itest.JSON2Call(t, e, key, "x_gadget", "unlink", []int64{id}, nil); f != nil {
				t.Fatalf("unlink: %v", f.String)
			}
		})

		t.Run("other users are refused", func(t *testing.T) {
			uid := itest.Login(t, x, e.DB, "demo", "demo")
			_, f := x.Call(t, "object", "execute_kw", e.DB, uid, "demo", "ir.model", "create", []any{map[string]any{"name": "Nope", "model": "x_nope"}})
			itest.WantFault(t, x.Protocol(), f, 4, "You are not allowed to create")
			_, f = x.Call(t, "object", "execute_kw", e.DB, uid, "demo", "ir.model.fields", "create",
				[]any{map[string]any{"model_id": mid, "name": "x_nope", "ttype": "char", "field_description": "Nope"}})
			itest.WantFault(t, x.Protocol(), f, 4, "You are not allowed to create")
			_, f = x.Call(t, "object", "execute_kw", e.DB, uid, "demo", "x_gadget", "search", []any{[]any{}})
			itest.WantFault(t, x.Protocol(), f, 4, "You are not allowed to access")
		})

		t.Run("bad names and changes", func(t *testing.T) {
			nameField := e.MustKw(t, x, "ir.model.fields", "search", []any{[]any{[]any{"model", "=", "res.partner"}, []any{"name", "=", "name"}}}, nil).([]any)[0]
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
				_, f := e.Kw(t, x, tc.model, tc.method, tc.args, nil)
				itest.WantFault(t, x.Protocol(), f, tc.code, tc.text)
			}
			// A base field's label and help are translated terms, which
			// Odoo lets an administrator write.
			e.MustKw(t, x, "ir.model.fields", "write", []any{[]any{nameField}, map[string]any{"field_description": "Name"}}, nil)
		})

		t.Run("link tables of others", func(t *testing.T) {
			// A custom many2many may not take a table another field or
			// model has: deleting it would drop that table.
			users := e.MustKw(t, x, "ir.model", "search", []any{[]any{[]any{"model", "=", "res.users"}}}, nil).([]any)[0]
			link := func(name, table, col1, col2 string) map[string]any {
				return map[string]any{"model_id": users, "name": name, "field_description": name, "ttype": "many2many",
					"relation": "res.groups", "relation_table": table, "column1": col1, "column2": col2}
			}
			_, f := e.Kw(t, x, "ir.model.fields", "create", []any{link("x_g", "res_groups_users_rel", "uid", "gid")}, nil)
			itest.WantFault(t, x.Protocol(), f, 2, "Many2many fields res.users.x_g and res.groups.users use the same table and columns")
			_, f = e.Kw(t, x, "ir.model.fields", "create", []any{link("x_g", "res_partner", "uid", "gid")}, nil)
			itest.WantFault(t, x.Protocol(), f, 2, "cannot use the table res_partner: it is already in the database.")
			own := e.MustKw(t, x, "ir.model.fields", "create", []any{link("x_g", "x_own_groups_rel", "uid", "gid")}, nil)
			_, f = e.Kw(t, x, "ir.model.fields", "write", []any{[]any{own}, map[string]any{"relation_table": "res_groups_users_rel"}}, nil)
			itest.WantFault(t, x.Protocol(), f, 2, "use the same table and columns")
			e.MustKw(t, x, "ir.model.fields", "unlink", []any{[]any{own}}, nil)
			itest.Equal(t, "users in a group after the unlink", e.Count(t, "res.users", []any{[]any{"groups_id", "!=", false}}) > 0, true)
			schemaMatches(t)
		})

		t.Run("rename and drop", func(t *testing.T) {
			id := e.MustKw(t, x, "x_gadget", "create", []any{map[string]any{"x_name": "kept", "x_note": "noted", "x_partner_id": partner}}, nil).(int64)
			note := e.MustKw(t, x, "ir.model.fields", "search", []any{[]any{[]any{"model", "=", "x_gadget"}, []any{"name", "=", "x_note"}}}, nil).([]any)[0]
			e.MustKw(t, x, "ir.model.fields", "write", []any{[]any{note}, map[string]any{"name": "x_memo"}}, nil)
			got := e.MustKw(t, j, "x_gadget", "read", []any{[]any{id}, []any{"x_memo"}}, nil).([]any)[0].(map[string]any)
			itest.Equal(t, "x_memo after the rename", got["x_memo"], "noted")
			_, f := e.Kw(t, j, "x_gadget", "read", []any{[]any{id}, []any{"x_note"}}, nil)
			itest.WantFault(t, j.Protocol(), f, 1, "x_note")

			partnerLink := e.MustKw(t, x, "ir.model.fields", "search", []any{[]any{[]any{"model", "=", "x_gadget"}, []any{"name", "=", "x_partner_id"}}}, nil).([]any)[0]
			_, f = e.Kw(t, x, "ir.model.fields", "unlink", []any{[]any{partnerLink}}, nil)
			itest.WantFault(t, x.Protocol(), f, 2, "cannot be removed because the field 'res.partner.x_gadget_ids' depends on it.")

			// An indexed column, renamed then dropped (SQLite drops no
			// indexed column: the index goes first).
			code := e.MustKw(t, x, "ir.model.fields", "search", []any{[]any{[]any{"model", "=", "x_gadget"}, []any{"name", "=", "x_code"}}}, nil).([]any)[0]
			e.MustKw(t, x, "x_gadget", "write", []any{[]any{id}, map[string]any{"x_code": "K-9"}}, nil)
			e.MustKw(t, x, "ir.model.fields", "write", []any{[]any{code}, map[string]any{"name": "x_key"}}, nil)
			got = e.MustKw(t, j, "x_gadget", "search_read", []any{[]any{[]any{"x_key", "=", "K-9"}}, []any{"x_key"}}, nil).([]any)[0].(map[string]any)
			itest.Equal(t, "x_key after the rename", got["x_key"], "K-9")
			e.MustKw(t, x, "ir.model.fields", "unlink", []any{[]any{code}}, nil)

			count := e.MustKw(t, x, "ir.model.fields", "search", []any{[]any{[]any{"model", "=", "x_gadget"}, []any{"name", "in", []any{"x_count", "x_tag_ids"}}}}, nil)
			e.MustKw(t, x, "ir.model.fields", "unlink", []any{count}, nil)
			fg := e.MustKw(t, j, "x_gadget", "fields_get", []any{}, map[string]any{"attributes": []any{"type"}}).(map[string]any)
			for _, gone := range []string{"x_count", "x_tag_ids", "x_note"} {
				if _, ok := fg[gone]; ok {
					t.Errorf("%s is still a field", gone)
				}
			}
			e.MustKw(t, x, "x_gadget", "write", []any{[]any{id}, map[string]any{"x_weight": 3.5}}, nil)
			schemaMatches(t)

			e.MustKw(t, x, "ir.model", "unlink", []any{[]any{mid}}, nil)
			_, f = e.Kw(t, x, "x_gadget", "search", []any{[]any{}}, nil)
			itest.WantFault(t, x.Protocol(), f, 2, "Object x_gadget doesn't exist")
			fg = e.MustKw(t, j, "res.partner", "fields_get", []any{}, map[string]any{"attributes": []any{"type"}}).(map[string]any)
			if _, ok := fg["x_gadget_ids"]; ok {
				t.Error("res.partner keeps a one2many to a deleted model")
			}
			if _, ok := fg["x_nickname"]; !ok {
				t.Error("res.partner lost its own custom field")
			}
			itest.Equal(t, "fields of the deleted model", e.Count(t, "ir.model.fields", []any{[]any{"model", "=", "x_gadget"}}), int64(0))
			// The name is free again, with a table of its own; name_create
			// makes the model's name from its description, as Odoo's.
			made := e.MustKw(t, x, "ir.model", "name_create", []any{"Gadget"}, nil).([]any)
			itest.Equal(t, "the model name_create made", e.Count(t, "ir.model", []any{[]any{"id", "=", made[0]}, []any{"model", "=", "x_gadget"}}), int64(1))
			itest.Equal(t, "records of the new model", e.Count(t, "x_gadget", []any{}), int64(0))
			_, f = e.Kw(t, x, "ir.model", "write", []any{[]any{made[0]}, map[string]any{"order": "x_missing desc"}}, nil)
			itest.WantFault(t, x.Protocol(), f, 2, "Unable to order by x_missing: fields used for ordering must be present on the model and stored.")
			e.MustKw(t, x, "ir.model", "write", []any{[]any{made[0]}, map[string]any{"order": "x_name desc, id"}}, nil)
			for _, n := range []string{"b", "c", "a"} {
				e.MustKw(t, x, "x_gadget", "create", []any{map[string]any{"x_name": n}}, nil)
			}
			schemaMatches(t)
			rows := e.MustKw(t, j, "x_gadget", "search_read", []any{[]any{}, []any{"x_name"}}, nil).([]any)
			itest.Equal(t, "the new order", []any{rows[0].(map[string]any)["x_name"], rows[2].(map[string]any)["x_name"]}, []any{"c", "a"})
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
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		other := itest.OtherStore(t, e)
		setB := itest.NewSet(other, services.Config{})
		srvB := newServer(t, setB)
		x, xb := itest.XMLCaller{Base: e.Srv.URL}, itest.XMLCaller{Base: srvB}
		kwB := func(model, method string, args ...any) (any, *itest.Fault) {
			return xb.Call(t, "object", "execute_kw", e.DB, int64(2), itest.AdminPassword, model, method, args)
		}
		if _, f := kwB("res.partner", "search_count", []any{}); f != nil {
			t.Fatalf("B: %v", f.String)
		}
		_, f := kwB("x_widget", "search_count", []any{})
		itest.WantFault(t, xb.Protocol(), f, 2, "Object x_widget doesn't exist")

		mid := e.MustKw(t, x, "ir.model", "create", []any{map[string]any{"name": "Widget", "model": "x_widget",
			"field_id": []any{[]any{0, 0, map[string]any{"name": "x_name", "ttype": "char", "field_description": "Name"}},
				[]any{0, 0, map[string]any{"name": "x_size", "ttype": "integer", "field_description": "Size"}}}}}, nil).(int64)
		id, f := kwB("x_widget", "create", map[string]any{"x_name": "made on B", "x_size": 3})
		if f != nil {
			t.Fatalf("B does not serve the model A created: %v", f.String)
		}
		rows := e.MustKw(t, x, "x_widget", "read", []any{[]any{id}, []any{"x_name", "x_size"}}, nil).([]any)
		itest.Equal(t, "A reads what B wrote", rows[0].(map[string]any)["x_size"], int64(3))

		e.MustKw(t, x, "ir.model.fields", "create", []any{map[string]any{"model_id": mid, "name": "x_colour", "ttype": "char", "field_description": "Colour"}}, nil)
		if _, f := kwB("x_widget", "write", []any{id}, map[string]any{"x_colour": "red"}); f != nil {
			t.Fatalf("B does not serve the field A added: %v", f.String)
		}

		e.MustKw(t, x, "ir.model", "unlink", []any{[]any{mid}}, nil)
		_, f = kwB("x_widget", "search_count", []any{})
		itest.WantFault(t, xb.Protocol(), f, 2, "Object x_widget doesn't exist")
	})
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
