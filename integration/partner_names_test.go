package integration_test

import (
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestPartnerComputedNames checks, on both stores, the names and addresses
// of res.partner that Odoo computes, as the recording of Odoo 18 shows
// them: complete_name and commercial_company_name (stored, and kept up to
// date when the company is renamed), email_formatted, contact_address in
// the country's format after the company's name, company_type and the
// commercial entity, and a user reading them through its partner.
func TestPartnerComputedNames(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		p := uniqueName("")
		us := e.mustKw(t, c, "res.country", "search", []any{[]any{[]any{"code", "=", "US"}}}, nil).([]any)[0]
		co := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Acme " + p, "is_company": true,
			"street": "1 Main St", "city": "Springfield", "zip": "12345", "country_id": us, "email": "info@acme.example"}}, nil)
		ann := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": `Ann "A" ` + p, "parent_id": co,
			"email": "ann@acme.example"}}, nil)
		inv := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"parent_id": co, "type": "invoice"}}, nil)
		fields := []any{"complete_name", "commercial_company_name", "display_name", "email_formatted", "contact_address",
			"company_type", "commercial_partner_id"}
		read := func(id any) map[string]any {
			return e.mustKw(t, c, "res.partner", "read", []any{[]any{id}, fields}, nil).([]any)[0].(map[string]any)
		}
		equal(t, "company", read(co), map[string]any{"id": co, "complete_name": "Acme " + p, "commercial_company_name": "Acme " + p,
			"display_name": "Acme " + p, "email_formatted": `"Acme ` + p + `" <info@acme.example>`,
			"contact_address": "Acme " + p + "\n1 Main St\n\nSpringfield  12345\nUnited States",
			"company_type":    "company", "commercial_partner_id": []any{co, "Acme " + p}})
		r := read(ann)
		equal(t, "contact's complete name", r["complete_name"], "Acme "+p+`, Ann "A" `+p)
		equal(t, "contact's company", r["commercial_company_name"], "Acme "+p)
		equal(t, "contact's formatted email", r["email_formatted"], `"Ann \"A\" `+p+`" <ann@acme.example>`)
		// A contact takes its company's address, as in Odoo.
		equal(t, "contact's address", r["contact_address"], "Acme "+p+"\n1 Main St\n\nSpringfield  12345\nUnited States")
		equal(t, "contact's type", r["company_type"], "person")
		equal(t, "an address without a name", read(inv)["complete_name"], "Acme "+p+", Invoice Address")
		equal(t, "no email", read(inv)["email_formatted"], false)

		e.mustKw(t, c, "res.partner", "write", []any{[]any{co}, map[string]any{"name": "Acme Two " + p}}, nil)
		equal(t, "renamed company's contact", read(ann)["complete_name"], "Acme Two "+p+`, Ann "A" `+p)
		found := e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"commercial_company_name", "=", "Acme Two " + p}}}, nil).([]any)
		equal(t, "searched by company name", len(found), 3)

		u := e.mustKw(t, c, "res.users", "create", []any{map[string]any{"name": "Bob " + p, "login": "bob-" + p, "email": "bob@example.com"}}, nil)
		got := e.mustKw(t, c, "res.users", "read", []any{[]any{u}, []any{"email_formatted", "complete_name"}}, nil).([]any)[0].(map[string]any)
		equal(t, "a user's partner fields", got, map[string]any{"id": u, "email_formatted": `"Bob ` + p + `" <bob@example.com>`,
			"complete_name": "Bob " + p})
	})
}
