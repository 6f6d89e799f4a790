package integration_test

import (
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestMethodEdges checks the answers Odoo 18 gives at the edges of its
// model methods, on every store and protocol: the fault code and a part
// of its text, or the result.
func TestMethodEdges(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			faults := []struct {
				name          string
				model, method string
				args          []any
				kwargs        map[string]any
				code          int
				fragment      string
			}{
				{"unlink of a missing id", "res.partner", "unlink", []any{[]any{int64(987654)}}, nil,
					2, "Record does not exist or has been deleted.\n(Record: res.partner(987654,), User: 2)"},
				{"unlink of the superuser", "res.users", "unlink", []any{[]any{int64(1)}}, nil,
					2, "You can not remove the admin user as it is used internally for resources created by Odoo (updates, module installation, ...)"},
				{"unlink of the administrator", "res.users", "unlink", []any{[]any{int64(2)}}, nil,
					2, "You cannot delete the admin user because it is utilized in various places (such as security configurations,...). Instead, archive it."},
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
		})
	})
}
