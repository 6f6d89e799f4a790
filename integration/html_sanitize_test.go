package integration_test

import (
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestHTMLSanitize checks, on both stores and both protocols, that every
// html field Odoo declares sanitize keeps only the safe markup of what is
// written to it (tags with their safe attributes, plain text wrapped in a
// paragraph), on create and write, through a related field too, whoever
// writes (the administrator as a user writing their own signature).
func TestHTMLSanitize(t *testing.T) {
	const dirty = `<p onclick="alert(1)">Hi <b>there</b></p><script>alert(2)</script><img src=x onerror=alert(3)>`
	const clean = `<p>Hi <b>there</b></p><img src="x">`
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			read := func(model string, id any, field string) any {
				t.Helper()
				return e.mustKw(t, c, model, "read", []any{[]any{id}, []any{field}}, nil).([]any)[0].(map[string]any)[field]
			}
			partner := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Sanitized", "comment": dirty}}, nil)
			equal(t, "res.partner.comment on create", read("res.partner", partner, "comment"), clean)
			e.mustKw(t, c, "res.partner", "write", []any{[]any{partner}, map[string]any{"comment": "<b>x</b><style>p{}</style>"}}, nil)
			equal(t, "res.partner.comment on write", read("res.partner", partner, "comment"), "<b>x</b>")
			e.mustKw(t, c, "res.partner", "write", []any{[]any{partner}, map[string]any{"comment": `<a href="javascript:alert(1)" onclick="x()">a</a><a href="https://odoo.com" target="_blank">b</a>`}}, nil)
			equal(t, "res.partner.comment links", read("res.partner", partner, "comment"), `<a>a</a><a href="https://odoo.com" target="_blank">b</a>`)
			e.mustKw(t, c, "res.partner", "write", []any{[]any{partner}, map[string]any{"comment": "plain & simple"}}, nil)
			equal(t, "res.partner.comment plain text", read("res.partner", partner, "comment"), "<p>plain &amp; simple</p>")

			e.mustKw(t, c, "res.company", "write", []any{[]any{int64(1)}, map[string]any{"report_footer": dirty}}, nil)
			equal(t, "res.company.report_footer", read("res.company", int64(1), "report_footer"), clean)

			action := e.mustKw(t, c, "ir.actions.act_window", "create", []any{map[string]any{"name": "Sanitized", "res_model": "res.partner", "help": dirty}}, nil)
			equal(t, "ir.actions.act_window.help", read("ir.actions.act_window", action, "help"), clean)

			// res.users.comment is related to its partner's.
			e.mustKw(t, c, "res.users", "write", []any{[]any{int64(2)}, map[string]any{"comment": dirty, "signature": dirty}}, nil)
			equal(t, "res.users.comment", read("res.users", int64(2), "comment"), clean)
			equal(t, "res.users.signature", read("res.users", int64(2), "signature"), clean)
		})
	})
}

// TestCustomHTMLSanitize checks, on both stores, that a custom html field
// is sanitized unless its ir.model.fields row says sanitize false, as
// Odoo's sanitize, which defaults to true, and keeps the style properties
// of Odoo's allow-list only when the row says sanitize_style, none when it
// says strip_style.
func TestCustomHTMLSanitize(t *testing.T) {
	const dirty = `<p onclick="alert(1)" style="color: red; position: fixed">Hi</p><script>alert(2)</script>`
	const clean = `<p style="color: red; position: fixed">Hi</p>`
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		model := e.mustKw(t, c, "ir.model", "search", []any{[]any{[]any{"model", "=", "res.partner"}}}, nil).([]any)[0]
		for _, tc := range []struct {
			name string
			vals map[string]any
			want string
		}{
			{"sanitize by default", map[string]any{"name": "x_default_html"}, clean},
			{"sanitize true", map[string]any{"name": "x_clean_html", "sanitize": true}, clean},
			{"sanitize false", map[string]any{"name": "x_raw_html", "sanitize": false}, dirty},
			{"sanitize style", map[string]any{"name": "x_styled_html", "sanitize_style": true},
				`<p style="color:red">Hi</p>`},
			{"strip style", map[string]any{"name": "x_plain_html", "strip_style": true}, `<p>Hi</p>`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				vals := map[string]any{"model_id": model, "ttype": "html", "field_description": tc.name}
				for k, v := range tc.vals {
					vals[k] = v
				}
				e.mustKw(t, c, "ir.model.fields", "create", []any{vals}, nil)
				field := tc.vals["name"].(string)
				id := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": tc.name, field: dirty}}, nil)
				got := e.mustKw(t, c, "res.partner", "read", []any{[]any{id}, []any{field}}, nil).([]any)[0].(map[string]any)[field]
				equal(t, field, got, tc.want)
			})
		}
	})
}
