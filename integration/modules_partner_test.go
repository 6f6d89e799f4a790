package integration_test

import "testing"

// TestPartnerAddressInline: with mail, a partner's contact_address_inline
// is its address on one line, as Odoo joins the lines of contact_address
// with ", "; it is tracked, so that a change of address is logged in the
// partner's chatter with the old and new inline address.
func TestPartnerAddressInline(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		us := e.mustKw(t, c, "res.country", "search", []any{[]any{[]any{"code", "=", "US"}}}, nil).([]any)[0]
		p := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Jane", "street": "1 Main St", "city": "Springfield",
			"zip": "12345", "country_id": us}}, nil)
		empty := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Nowhere"}}, nil)
		got := e.mustKw(t, c, "res.partner", "read", []any{[]any{p, empty}, []any{"contact_address_inline"}}, nil).([]any)
		if a := got[0].(map[string]any)["contact_address_inline"]; a != "1 Main St, Springfield  12345, United States" {
			t.Errorf("contact_address_inline = %q", a)
		}
		if a := got[1].(map[string]any)["contact_address_inline"]; a != "" {
			t.Errorf("contact_address_inline of a partner without address = %q, want empty", a)
		}

		e.mustKw(t, c, "res.partner", "write", []any{[]any{p}, map[string]any{"street": "2 Main St"}}, nil)
		msgs := chatterOf(t, e, c, "res.partner", p)
		vals := trackedValues(t, e, c, msgs[len(msgs)-1]["tracking_value_ids"])
		if v := vals["contact_address_inline"]; v == nil || v["old_value_char"] != "1 Main St, Springfield  12345, United States" ||
			v["new_value_char"] != "2 Main St, Springfield  12345, United States" {
			t.Errorf("tracking of a new address: %v", vals)
		}
	})
}
