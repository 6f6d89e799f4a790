package integration_test

import (
	"strings"
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestRecordRuleCompanies checks, on both stores, that a record rule's
// company_ids and company_id are the call's companies, as Odoo's
// env.companies and env.company: the context's allowed_company_ids (all
// the user's companies, and the user's current one, when it names none),
// switching with each call; a company the user is not in is refused.
func TestRecordRuleCompanies(t *testing.T) {
	eachStore(t, services.Config{RefusalDelay: -1}, godoorpc.Options{}, func(t *testing.T, e *env) {
		admin := jsonCaller{e.srv.URL}
		kw := func(model, method string, args ...any) any { return e.mustKw(t, admin, model, method, args, nil) }
		a := kw("res.users", "read", []any{int64(2)}, []any{"company_id"}).([]any)[0].(map[string]any)["company_id"].([]any)[0]
		company := func(name string) any {
			return kw("res.company", "create", map[string]any{"name": name,
				"partner_id": kw("res.partner", "create", map[string]any{"name": name, "is_company": true})})
		}
		b, c := company("Rule Company B"), company("Rule Company C")
		login := uniqueName("multi_")
		uid := kw("res.users", "create", map[string]any{"name": login, "login": login, "password": "x-Secret-1",
			"company_ids": []any{[]any{int64(6), int64(0), []any{a, b}}}, "company_id": a}).(int64)
		pa := kw("res.partner", "create", map[string]any{"name": "In A", "ref": "RC-A", "company_id": a})
		pb := kw("res.partner", "create", map[string]any{"name": "In B", "ref": "RC-B", "company_id": b})
		shared := kw("res.partner", "create", map[string]any{"name": "Shared", "ref": "RC-S"})
		// A rule naming company_id: partners of the call's company, or of none.
		model := kw("ir.model", "search", []any{[]any{"model", "=", "res.partner"}}).([]any)[0]
		kw("ir.rule", "create", map[string]any{"name": "partners of the current company", "model_id": model,
			"domain_force": `[["company_id", "in", ["env.company_id", false]]]`, "perm_read": true,
			"perm_write": false, "perm_create": false, "perm_unlink": false})

		as := func(model string, domain []any, allowed []any) (any, string) {
			kwargs := map[string]any{"order": "id"}
			if allowed != nil {
				kwargs["context"] = map[string]any{"allowed_company_ids": allowed}
			}
			got, f := admin.call(t, "object", "execute_kw", e.db, uid, "x-Secret-1", model, "search", []any{domain}, kwargs)
			if f != nil {
				return nil, f.String
			}
			return got, ""
		}
		refs := []any{[]any{"ref", "=like", "RC-%"}}
		for _, tc := range []struct {
			name               string
			allowed            []any
			companies, partner any
		}{
			{"no context: all the user's companies, the current one", nil, []any{a, b}, []any{pa, shared}},
			{"the second company alone", []any{b}, []any{b}, []any{pb, shared}},
			{"both, the second first", []any{b, a}, []any{a, b}, []any{pb, shared}},
			{"both, the first first", []any{a, b}, []any{a, b}, []any{pa, shared}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, f := as("res.company", []any{}, tc.allowed)
				if f != "" {
					t.Fatal(f)
				}
				equal(t, "companies", got, tc.companies)
				got, f = as("res.partner", refs, tc.allowed)
				if f != "" {
					t.Fatal(f)
				}
				equal(t, "partners", got, tc.partner)
			})
		}
		if _, f := as("res.company", []any{}, []any{c}); !strings.Contains(f, "Access to unauthorized or invalid companies.") {
			t.Errorf("a company the user is not in: %q", f)
		}
	})
}

// TestWebReadSubContextCompanies checks, on both stores, that the context of
// a web_read sub-specification is held to the user's companies as the
// call's own: naming a company the user is not in is refused, on a
// many2one and on a one2many, and naming one of the user's is obeyed.
func TestWebReadSubContextCompanies(t *testing.T) {
	eachStore(t, services.Config{RefusalDelay: -1}, godoorpc.Options{}, func(t *testing.T, e *env) {
		admin := jsonCaller{e.srv.URL}
		kw := func(model, method string, args ...any) any { return e.mustKw(t, admin, model, method, args, nil) }
		a := kw("res.users", "read", []any{int64(2)}, []any{"company_id"}).([]any)[0].(map[string]any)["company_id"].([]any)[0]
		b := kw("res.company", "create", map[string]any{"name": "Sub Company B",
			"partner_id": kw("res.partner", "create", map[string]any{"name": "Sub Company B", "is_company": true})})
		login := uniqueName("subctx_")
		uid := kw("res.users", "create", map[string]any{"name": login, "login": login, "password": "x-Secret-1",
			"company_ids": []any{[]any{int64(6), int64(0), []any{a}}}, "company_id": a}).(int64)
		parent := kw("res.partner", "create", map[string]any{"name": "Sub Parent", "is_company": true})
		child := kw("res.partner", "create", map[string]any{"name": "Sub Child", "parent_id": parent})
		for _, tc := range []struct {
			name    string
			id      any
			field   string
			allowed []any
			refused bool
		}{
			{"many2one, a company the user is not in", child, "parent_id", []any{b}, true},
			{"one2many, a company the user is not in", parent, "child_ids", []any{b}, true},
			{"many2one, the user's company", child, "parent_id", []any{a}, false},
			{"one2many, the user's company", parent, "child_ids", []any{a}, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				spec := map[string]any{tc.field: map[string]any{"fields": map[string]any{"name": map[string]any{}},
					"context": map[string]any{"allowed_company_ids": tc.allowed}}}
				_, f := admin.call(t, "object", "execute_kw", e.db, uid, "x-Secret-1", "res.partner", "web_read",
					[]any{[]any{tc.id}}, map[string]any{"specification": spec})
				refused := f != nil && strings.Contains(f.String, "Access to unauthorized or invalid companies.")
				if refused != tc.refused || (f != nil && !refused) {
					t.Errorf("refused %v, want %v (fault %v)", refused, tc.refused, f)
				}
			})
		}
	})
}
