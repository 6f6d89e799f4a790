package integration_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// saleDefaults: sale.order's default_get of every field gives what Odoo's
// gave (model/default_get/sale.order.json of the modules recording: the
// name "New", the call's company, the state, locked, the date), the
// company the first of the context's allowed companies when it names
// some.
func saleDefaults(t *testing.T, e *env, c caller, s *symbols) {
	data, err := os.ReadFile(filepath.Join(modulesCorpusDir(), "model", "default_get", "sale.order.json"))
	if err != nil {
		t.Skipf("no recorded defaults: %v", err)
	}
	var recorded any
	if err := json.Unmarshal(data, &recorded); err != nil {
		t.Fatal(err)
	}
	fields := e.mustKw(t, c, "sale.order", "fields_get", []any{}, map[string]any{"attributes": []any{"type"}}).(map[string]any)
	names := make([]any, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	got := e.mustKw(t, c, "sale.order", "default_get", []any{names}, nil)
	if want := s.in(t, normalize(recorded)); !s.match(want, got) {
		t.Errorf("default_get: %v, want %v (recorded)", got, want)
	}
	other := e.mustKw(t, c, "res.company", "search", []any{[]any{[]any{"id", "!=", s.ref(t, "@base.main_company")}}},
		map[string]any{"limit": 1}).([]any)
	if len(other) == 0 {
		t.Fatal("no second company (saleCompany makes one)")
	}
	got = e.mustKw(t, c, "sale.order", "default_get", []any{[]any{"company_id", "state"}},
		map[string]any{"context": map[string]any{"allowed_company_ids": []any{other[0], s.ref(t, "@base.main_company")}}})
	if m, _ := got.(map[string]any); m["company_id"] != other[0] || m["state"] != "draft" || len(m) != 2 {
		t.Errorf("default_get in the second company: %v", got)
	}
}

// saleStoredAmounts: the amounts of orders and lines are stored, as
// Odoo's: searched, ordered and summed by read_group on the database,
// and kept in step when a line is created, written, moved to another
// order or deleted, when lines change through the order, and when the
// order is copied.
func saleStoredAmounts(t *testing.T, e *env, c caller, s *symbols) {
	partner := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Stored Amounts Customer"}}, nil).(int64)
	line := func(price float64, qty int) []any {
		return []any{0, 0, map[string]any{"product_id": s.ids["@prod_s"], "product_uom_qty": qty, "price_unit": price}}
	}
	order := func(lines ...any) int64 {
		return e.mustKw(t, c, "sale.order", "create", []any{map[string]any{"partner_id": partner, "order_line": lines}}, nil).(int64)
	}
	small, big, empty := order(line(10, 1)), order(line(100, 2), line(5, 1)), order()
	mine := []any{"partner_id", "=", partner}
	totals := func() map[int64]any {
		t.Helper()
		recs := e.mustKw(t, c, "sale.order", "search_read", []any{[]any{mine}}, map[string]any{"fields": []any{"amount_total"}}).([]any)
		out := map[int64]any{}
		for _, r := range recs {
			m := r.(map[string]any)
			out[m["id"].(int64)] = m["amount_total"]
		}
		return out
	}
	check := func(step string, want map[int64]float64) {
		t.Helper()
		got := totals()
		for id, w := range want {
			if got[id] != w {
				t.Errorf("%s: order %d amount_total %v, want %v (all %v)", step, id, got[id], w, got)
			}
		}
	}
	check("created", map[int64]float64{small: 10, big: 205, empty: 0})
	if ids := e.mustKw(t, c, "sale.order", "search", []any{[]any{mine, []any{"amount_total", ">", 100}}}, nil).([]any); len(ids) != 1 || ids[0] != big {
		t.Errorf("orders above 100: %v, want [%d]", ids, big)
	}
	if ids := e.mustKw(t, c, "sale.order", "search", []any{[]any{mine}}, map[string]any{"order": "amount_total desc"}).([]any); len(ids) != 3 ||
		ids[0] != big || ids[1] != small || ids[2] != empty {
		t.Errorf("orders by amount_total desc: %v, want [%d %d %d]", ids, big, small, empty)
	}
	groups := e.mustKw(t, c, "sale.order", "read_group", []any{[]any{mine}, []any{"amount_total:sum", "amount_untaxed:sum"}, []any{"partner_id"}}, nil).([]any)
	if len(groups) != 1 || groups[0].(map[string]any)["amount_total"] != 215.0 || groups[0].(map[string]any)["amount_untaxed"] != 215.0 {
		t.Errorf("read_group: %v, want one group of 215", groups)
	}
	lineIDs := func(order int64) []any {
		return e.mustKw(t, c, "sale.order.line", "search", []any{[]any{[]any{"order_id", "=", order}}}, map[string]any{"order": "id"}).([]any)
	}
	bigLines := lineIDs(big)
	e.mustKw(t, c, "sale.order.line", "write", []any{[]any{bigLines[0]}, map[string]any{"price_unit": 50.0, "discount": 10.0}}, nil)
	check("a line written", map[int64]float64{big: 95})
	if subs := e.mustKw(t, c, "sale.order.line", "search_read", []any{[]any{[]any{"price_subtotal", "=", 90.0}, []any{"order_id", "=", big}}},
		map[string]any{"fields": []any{"price_total"}}).([]any); len(subs) != 1 || subs[0].(map[string]any)["price_total"] != 90.0 {
		t.Errorf("lines of subtotal 90: %v", subs)
	}
	e.mustKw(t, c, "sale.order.line", "write", []any{[]any{bigLines[1]}, map[string]any{"order_id": empty}}, nil)
	check("a line moved", map[int64]float64{big: 90, empty: 5})
	e.mustKw(t, c, "sale.order.line", "unlink", []any{[]any{bigLines[1]}}, nil)
	check("a line deleted", map[int64]float64{empty: 0})
	e.mustKw(t, c, "sale.order", "write", []any{[]any{small}, map[string]any{"order_line": []any{line(1, 3), []any{2, lineIDs(small)[0], false}}}}, nil)
	check("lines through the order", map[int64]float64{small: 3})
	e.mustKw(t, c, "sale.order.line", "create", []any{map[string]any{"order_id": empty, "product_id": s.ids["@prod_s"], "price_unit": 7.0}}, nil)
	check("a line created", map[int64]float64{empty: 7})
	copied := e.mustKw(t, c, "sale.order", "copy", []any{[]any{big}}, nil).([]any)
	check("a copy", map[int64]float64{copied[0].(int64): 90})
}
