package integration_test

import (
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// edgeFault is a call and the fault Odoo answers it with: its code and a
// part of its text.
type edgeFault struct {
	name          string
	model, method string
	args          []any
	kwargs        map[string]any
	code          int
	fragment      string
}

// TestMethodEdges checks the answers Odoo 18 gives at the edges of its
// model methods, on every store and protocol: the fault code and a part
// of its text, or the result.
func TestMethodEdges(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			faults := []edgeFault{
				{"unlink of a missing id", "res.partner", "unlink", []any{[]any{int64(987654)}}, nil,
					2, "Record does not exist or has been deleted.\n(Record: res.partner(987654,), User: 2)"},
				{"unlink of the superuser", "res.users", "unlink", []any{[]any{int64(1)}}, nil,
					2, "You can not remove the admin user as it is used internally for resources created by Odoo (updates, module installation, ...)"},
				{"unlink of the administrator", "res.users", "unlink", []any{[]any{int64(2)}}, nil,
					2, "You cannot delete the admin user because it is utilized in various places (such as security configurations,...). Instead, archive it."},
				{"a private method", "res.partner", "_compute_display_name", []any{[]any{}}, nil,
					4, "Private methods (such as 'res.partner._compute_display_name') cannot be called remotely."},
				{"init", "res.partner", "init", []any{[]any{}}, nil,
					4, "Private methods (such as 'res.partner.init') cannot be called remotely."},
				{"a special method", "res.partner", "__init__", []any{[]any{}}, nil,
					4, "Private methods (such as 'res.partner.__init__') cannot be called remotely."},
				{"a private name no model has", "res.partner", "_read", []any{[]any{}}, nil,
					1, "The method 'res.partner._read' does not exist"},
				{"an unknown method", "res.partner", "conf_nope", []any{[]any{}}, nil,
					1, "The method 'res.partner.conf_nope' does not exist"},
				{"the model before the method", "conf.nope", "_compute_display_name", []any{[]any{}}, nil,
					2, "Object conf.nope doesn't exist"},
				{"an order of the wrong form", "res.partner", "search", []any{[]any{}}, map[string]any{"order": "name; drop"},
					2, `Invalid "order" specified (name; drop). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`},
				{"an order naming no field", "res.partner", "search", []any{[]any{}}, map[string]any{"order": "conf_nope"},
					1, "Invalid field 'conf_nope' on model 'res.partner'"},
				{"an order through a relation", "res.partner", "search", []any{[]any{}}, map[string]any{"order": "parent_id.name, id"},
					1, "Invalid field 'parent_id.name' on model 'res.partner'"},
				{"an order on a computed field", "res.partner", "search", []any{[]any{}}, map[string]any{"order": "display_name"},
					1, "Cannot convert res.partner.display_name to SQL because it is not stored"},
				{"an unknown language", "res.partner", "search_count", []any{[]any{}}, map[string]any{"context": map[string]any{"lang": "xx_XX"}},
					2, "Invalid language code: xx_XX"},
				{"an inactive language", "res.partner", "search_count", []any{[]any{}}, map[string]any{"context": map[string]any{"lang": "fr_FR"}},
					2, "Invalid language code: fr_FR"},
				{"a string for the field list", "res.partner", "read", []any{[]any{int64(1)}, "name"}, nil,
					1, "Invalid field 'n' on model 'res.partner'"},
			}
			if c.protocol() == "xmlrpc" {
				// check_access_rights and check_access return None, which
				// XML-RPC cannot carry.
				faults = append(faults, edgeFault{"check_access_rights", "res.partner", "check_access_rights", []any{"read"}, nil,
					1, "TypeError: cannot marshal None unless allow_none is enabled"},
					edgeFault{"check_access", "res.partner", "check_access", []any{[]any{int64(1)}, "write"}, nil,
						1, "TypeError: cannot marshal None unless allow_none is enabled"})
			}
			for _, f := range faults {
				t.Run(f.name, func(t *testing.T) {
					_, fault := e.kw(t, c, f.model, f.method, f.args, f.kwargs)
					wantFault(t, c, fault, f.code, f.fragment)
				})
			}
			t.Run("read of an id twice", func(t *testing.T) {
				rows := e.mustKw(t, c, "res.users", "read", []any{[]any{int64(2), int64(2), int64(987654)}, []any{"login"}}, nil).([]any)
				if len(rows) != 2 {
					t.Fatalf("read [2, 2, missing] gave %d rows, want 2: %v", len(rows), rows)
				}
			})
			t.Run("web_read_group counts the groups past a full page", func(t *testing.T) {
				ref := "wrg-" + c.protocol()
				for _, city := range []string{"A", "B", "C"} {
					e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "WRG " + city, "city": city, "ref": ref}}, nil)
				}
				for _, tc := range []struct{ limit, offset, want int64 }{{2, 0, 3}, {5, 0, 3}, {1, 1, 3}, {5, 1, 3}} {
					res := e.mustKw(t, c, "res.partner", "web_read_group", []any{[]any{[]any{"ref", "=", ref}}, []any{}, []any{"city"}},
						map[string]any{"limit": tc.limit, "offset": tc.offset}).(map[string]any)
					if res["length"] != tc.want {
						t.Errorf("limit %d offset %d: length %v, want %d", tc.limit, tc.offset, res["length"], tc.want)
					}
				}
			})
			t.Run("read_group's empty group", func(t *testing.T) {
				ref := "rge-" + c.protocol()
				for _, city := range []any{"A", false, "B"} {
					e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "RGE", "city": city, "ref": ref}}, nil)
				}
				for _, tc := range []struct {
					orderby string
					want    []any
				}{{"", []any{"A", "B", false}}, {"city desc", []any{false, "B", "A"}}, {"city asc", []any{"A", "B", false}}} {
					groups := e.mustKw(t, c, "res.partner", "read_group", []any{[]any{[]any{"ref", "=", ref}}, []any{"city"}, []any{"city"}},
						map[string]any{"orderby": tc.orderby}).([]any)
					var got []any
					for _, g := range groups {
						got = append(got, g.(map[string]any)["city"])
					}
					equal(t, "groups by city, order "+tc.orderby, got, tc.want)
				}
				// A many2one groups in its comodel's order (countries by
				// name), the empty group last.
				var countries []any
				for _, code := range []string{"DE", "BE"} {
					ids := e.mustKw(t, c, "res.country", "search", []any{[]any{[]any{"code", "=", code}}}, nil).([]any)
					if len(ids) != 1 {
						t.Fatalf("no country %s in the database", code)
					}
					countries = append(countries, ids[0])
					e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "RGE", "country_id": ids[0], "ref": ref + "-c"}}, nil)
				}
				e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "RGE", "ref": ref + "-c"}}, nil)
				groups := e.mustKw(t, c, "res.partner", "read_group", []any{[]any{[]any{"ref", "=", ref + "-c"}}, []any{"country_id"}, []any{"country_id"}}, nil).([]any)
				var got []any
				for _, g := range groups {
					v := g.(map[string]any)["country_id"]
					if pair, ok := v.([]any); ok {
						v = pair[0]
					}
					got = append(got, v)
				}
				equal(t, "groups by country", got, []any{countries[1], countries[0], false})
			})
			t.Run("a false context is none", func(t *testing.T) {
				for _, ctx := range []any{"", false, int64(0), []any{}, nil, map[string]any{"lang": false}, map[string]any{"lang": "en_US"}} {
					if _, f := e.kw(t, c, "res.partner", "search_count", []any{[]any{}}, map[string]any{"context": ctx}); f != nil {
						t.Errorf("context %#v: %s", ctx, f.String)
					}
				}
			})
			t.Run("load _classic_write", func(t *testing.T) {
				rows := e.mustKw(t, c, "res.users", "read", []any{[]any{int64(2)}, []any{"partner_id"}}, map[string]any{"load": "_classic_write"}).([]any)
				if id, ok := rows[0].(map[string]any)["partner_id"].(int64); !ok || id == 0 {
					t.Errorf("partner_id = %#v, want a bare id", rows[0].(map[string]any)["partner_id"])
				}
			})
			if c.protocol() == "jsonrpc" {
				t.Run("check_access_rights", func(t *testing.T) {
					if v := e.mustKw(t, c, "res.partner", "check_access_rights", []any{"read"}, nil); v != nil {
						t.Errorf("check_access_rights = %#v, want None", v)
					}
				})
			}
		})
	})
}
