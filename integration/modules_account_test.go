package integration_test

import "testing"

// TestPartnerChartAccounts: with account installed, partners read the
// receivable and payable accounts of their company's chart (the accounts
// of generic_coa, named by code and name), those existing at install as
// new ones, and default_get gives them.
func TestPartnerChartAccounts(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		fields := []any{"property_account_receivable_id", "property_account_payable_id"}
		p := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Chart customer"}}, nil)
		admin := e.mustKw(t, c, "res.users", "read", []any{[]any{int64(2)}, []any{"partner_id"}}, nil).([]any)[0].(map[string]any)["partner_id"].([]any)[0]
		for _, r := range e.mustKw(t, c, "res.partner", "read", []any{[]any{p, admin}, fields}, nil).([]any) {
			rec := r.(map[string]any)
			rcv, _ := rec["property_account_receivable_id"].([]any)
			pay, _ := rec["property_account_payable_id"].([]any)
			if len(rcv) != 2 || rcv[1] != "121000 Account Receivable" || len(pay) != 2 || pay[1] != "211000 Account Payable" {
				t.Errorf("partner %v: %v", rec["id"], rec)
			}
		}
		d := e.mustKw(t, c, "res.partner", "default_get", []any{fields}, nil).(map[string]any)
		if d["property_account_receivable_id"] == false || d["property_account_receivable_id"] == nil || d["property_account_payable_id"] == nil {
			t.Errorf("default_get: %v", d)
		}
		code := e.mustKw(t, c, "account.account", "search_read", []any{[]any{[]any{"code_store", "=", "121000"}}},
			map[string]any{"fields": []any{"code", "display_name"}}).([]any)
		if len(code) != 1 || code[0].(map[string]any)["code"] != "121000" {
			t.Errorf("account 121000: %v", code)
		}
	})
}
