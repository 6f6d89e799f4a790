package integration_test

import (
	"context"
	"net/http/httptest"
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

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
		rcv := d["property_account_receivable_id"]
		code := e.mustKw(t, c, "account.account", "read", []any{[]any{rcv}, []any{"code", "display_name"}}, nil).([]any)
		if len(code) != 1 || code[0].(map[string]any)["code"] != "121000" {
			t.Errorf("account 121000: %v", code)
		}
		// Accounts are searched and ordered by their code.
		found := e.mustKw(t, c, "account.account", "search_read", []any{[]any{[]any{"code", "in", []any{"211000", "121000"}}}},
			map[string]any{"fields": []any{"code"}}).([]any)
		if len(found) != 2 || found[0].(map[string]any)["code"] != "121000" || found[1].(map[string]any)["code"] != "211000" {
			t.Errorf("accounts by code: %v", found)
		}
	})
}

// TestAccountChartUpgrade: a database where account was installed before
// its install made the chart gets it when a process next opens it, and
// its partners without accounts get the chart's; a database that has the
// chart keeps it as it is.
func TestAccountChartUpgrade(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		pool, err := e.store.Open(ctx, e.db)
		if err != nil {
			t.Fatal(err)
		}
		// What an older godoo's install left: no chart, partners without
		// accounts; and migration 0020's request of account's upgrade.
		for _, q := range []string{
			"UPDATE res_partner SET property_account_receivable_id = NULL, property_account_payable_id = NULL",
			"DELETE FROM ir_model_data WHERE module = 'account' AND name IN ('1_receivable', '1_payable')",
			"DELETE FROM account_account",
			"INSERT INTO godoo_module_upgrade (module) VALUES ('account')",
		} {
			if _, err := pool.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		read := func(url string) []any {
			return e.mustKw(t, xmlCaller{url}, "res.partner", "search_read", []any{[]any{[]any{"id", "=", int64(1)}}},
				map[string]any{"fields": []any{"property_account_receivable_id", "property_account_payable_id"}}).([]any)
		}
		// A new process opens the database.
		later := newSet(e.store, services.Config{MasterPassword: masterPassword})
		h := godoorpc.NewHandler(later, godoorpc.Options{})
		h.SetReady(true)
		srv := httptest.NewServer(h)
		defer srv.Close()
		got := read(srv.URL)
		if len(got) != 1 {
			t.Fatalf("the main company's partner: %v", got)
		}
		rcv, _ := got[0].(map[string]any)["property_account_receivable_id"].([]any)
		if len(rcv) != 2 || rcv[1] != "121000 Account Receivable" {
			t.Errorf("after the upgrade: %v", got)
		}
		var n int64
		if err := pool.QueryRowContext(ctx, "SELECT COUNT(*) FROM account_account").Scan(&n); err != nil || n != 2 {
			t.Errorf("%d accounts after the upgrade (%v), want 2", n, err)
		}
		// Once more: the chart is there, nothing is made again.
		again := newSet(e.store, services.Config{MasterPassword: masterPassword})
		h2 := godoorpc.NewHandler(again, godoorpc.Options{})
		h2.SetReady(true)
		srv2 := httptest.NewServer(h2)
		defer srv2.Close()
		read(srv2.URL)
		if err := pool.QueryRowContext(ctx, "SELECT COUNT(*) FROM account_account").Scan(&n); err != nil || n != 2 {
			t.Errorf("%d accounts after a second opening (%v), want 2", n, err)
		}
	})
}
