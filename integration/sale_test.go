package integration_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// flowCase is a case of the modules recording's flows.json.
type flowCase struct {
	ID      string `json:"id"`
	Model   string `json:"model"`
	Request struct {
		Args []any `json:"args"`
	} `json:"request"`
	Expect struct {
		Result any `json:"result"`
		Fault  *struct {
			Code   int64  `json:"code"`
			String string `json:"string"`
		} `json:"fault"`
	} `json:"expect"`
	Bind any `json:"bind"`
}

// saleSkipped are the sale.order cases of the flow whose answers other
// modules give: the attachments of an order (the ir.attachment case
// before it is not replayed here).
var saleSkipped = map[string]bool{"sale.order.read.attachment_count": true}

// saleUnowned are the values of the sale cases that other modules'
// behaviour or data give, by case and field, which TestSaleOrderFlow
// leaves to the full replay (TestModulesFlowsOdoo18): the sales team
// (sales_team's data).
var saleUnowned = map[string][]string{
	"sale.order.read": {"team_id"},
}

// saleUnnamed are the many2one values of the sale cases whose ids are
// compared but not their names, which other modules give: products'
// display names (product's).
var saleUnnamed = map[string][]string{
	"sale.order.line.read": {"product_id", "product_template_id"},
}

// TestSaleOrderFlow replays the sale.order and sale.order.line calls of
// the recorded module flow (flows.json) on a database where
// sale_management is installed through button_immediate_install, on both
// stores, and compares godoo's answers with Odoo's: amounts, the order's
// name from its sequence, confirmation, the cancel wizard's action,
// cancel, back to draft, copy, the refusal to delete a confirmed order,
// sale_order_count and name_search. The records the other modules'
// cases make (customer, products) are made by the test.
func TestSaleOrderFlow(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(modulesCorpusDir(), "flows.json"))
	if err != nil {
		t.Skipf("the modules recording is not there: %v", err)
	}
	var all []flowCase
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&all); err != nil {
		t.Fatal(err)
	}
	var cases []flowCase
	for _, c := range all {
		if (c.Model == "sale.order" || c.Model == "sale.order.line") && !saleSkipped[c.ID] || c.ID == "partner.read.sale_order_count" {
			cases = append(cases, c)
		}
	}
	if len(cases) < 20 {
		t.Fatalf("%d sale cases in flows.json", len(cases))
	}
	// The server's clock is fixed, so that <today+N> does not depend on
	// when the test runs (midnight, New Year).
	today := time.Date(2026, 12, 31, 23, 59, 30, 0, time.UTC)
	eachStore(t, services.Config{Now: func() time.Time { return today }}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		start := time.Now()
		if _, f := installModule(t, e, c, "sale_management"); f != nil {
			t.Fatalf("install sale_management: %+v", f)
		}
		t.Logf("sale_management installed in %s (%s)", time.Since(start).Round(time.Millisecond), e.name)
		syms := saleFlowRecords(t, e, c)
		syms.today = today
		for _, fc := range cases {
			t.Run(fc.ID, func(t *testing.T) {
				args := normalize(fc.Request.Args).([]any)
				kwargs := map[string]any(nil)
				if len(args) > 6 {
					kwargs = syms.in(t, args[6]).(map[string]any)
				}
				got, f := e.kw(t, c, fc.Model, args[4].(string), syms.in(t, args[5]).([]any), kwargs)
				if fc.Expect.Fault != nil {
					if f == nil || int64(f.Code) != fc.Expect.Fault.Code || !strings.HasPrefix(f.String, fc.Expect.Fault.String) {
						t.Fatalf("got %v, fault %+v; want fault %+v", got, f, fc.Expect.Fault)
					}
					return
				}
				if f != nil {
					t.Fatalf("fault %d: %s", f.Code, f.String)
				}
				syms.bind(t, fc.Bind, got)
				want := syms.in(t, normalize(fc.Expect.Result))
				for _, k := range saleUnowned[fc.ID] {
					drop(want, k)
					drop(got, k)
				}
				for _, k := range saleUnnamed[fc.ID] {
					unname(want, k)
					unname(got, k)
				}
				if !syms.match(want, got) {
					w, _ := json.Marshal(want)
					g, _ := json.Marshal(got)
					t.Errorf("got  %s\nwant %s (recorded)\nsymbols %v", g, w, syms.ids)
				}
			})
		}
		t.Run("taxes", func(t *testing.T) { saleTaxes(t, e, c, syms) })
		t.Run("states", func(t *testing.T) { saleStates(t, e, c, syms) })
		t.Run("salesman", func(t *testing.T) { saleSalesman(t, e, c, syms) })
		t.Run("line copies", func(t *testing.T) { saleLineCopies(t, e, c, syms) })
		t.Run("company", func(t *testing.T) { saleCompany(t, e, c, syms) })
	})
}

// saleTaxes: an order with percent taxes, one on top of the price and
// one included in it, has Odoo's amounts, rounded per line, and its tax
// totals by tax group.
func saleTaxes(t *testing.T, e *env, c caller, s *symbols) {
	company, country := s.ref(t, "@base.main_company"), s.ref(t, "@base.us")
	// Taxes are the accountants': make the administrator one, as a
	// company setting up its taxes does.
	e.mustKw(t, c, "res.users", "write", []any{[]any{s.ref(t, "@base.user_admin")},
		map[string]any{"groups_id": []any{[]any{4, s.ref(t, "@account.group_account_manager")}}}}, nil)
	group := e.mustKw(t, c, "account.tax.group", "create", []any{map[string]any{"name": "Tax 15%", "company_id": company}}, nil)
	tax := func(name string, amount float64, override any) any {
		return e.mustKw(t, c, "account.tax", "create", []any{map[string]any{"name": name, "type_tax_use": "sale", "amount_type": "percent",
			"amount": amount, "company_id": company, "country_id": country, "tax_group_id": group, "sequence": int64(1),
			"price_include_override": override}}, nil)
	}
	excluded, included := tax("15%", 15, "tax_excluded"), tax("15% incl.", 15, "tax_included")
	so := e.mustKw(t, c, "sale.order", "create", []any{map[string]any{"partner_id": s.ids["@p_flow"], "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": s.ids["@prod_w"], "product_uom_qty": 3, "price_unit": 10.0, "discount": 10.0,
			"tax_id": []any{[]any{6, 0, []any{excluded}}}}},
		[]any{0, 0, map[string]any{"product_id": s.ids["@prod_s"], "product_uom_qty": 1, "price_unit": 11.5,
			"tax_id": []any{[]any{6, 0, []any{included}}}}},
	}}}, nil)
	lines := e.mustKw(t, c, "sale.order.line", "search_read", []any{[]any{[]any{"order_id", "=", so}}},
		map[string]any{"fields": []any{"price_subtotal", "price_tax", "price_total", "price_reduce_taxexcl"}, "order": "id"}).([]any)
	want := []map[string]any{
		{"price_subtotal": 27.0, "price_tax": 4.05, "price_total": 31.05, "price_reduce_taxexcl": 9.0},
		{"price_subtotal": 10.0, "price_tax": 1.5, "price_total": 11.5, "price_reduce_taxexcl": 10.0},
	}
	for i, l := range lines {
		for k, v := range want[i] {
			if got := l.(map[string]any)[k]; got != v {
				t.Errorf("line %d: %s %v, want %v", i+1, k, got, v)
			}
		}
	}
	o := e.mustKw(t, c, "sale.order", "read", []any{[]any{so}, []any{"amount_untaxed", "amount_tax", "amount_total", "tax_totals"}}, nil).([]any)[0].(map[string]any)
	if o["amount_untaxed"] != 37.0 || o["amount_tax"] != 5.55 || o["amount_total"] != 42.55 {
		t.Errorf("order amounts %v %v %v, want 37, 5.55, 42.55", o["amount_untaxed"], o["amount_tax"], o["amount_total"])
	}
	totals, _ := o["tax_totals"].(map[string]any)
	sub, _ := totals["subtotals"].([]any)
	if totals["has_tax_groups"] != true || len(sub) != 1 {
		t.Fatalf("tax_totals %v", totals)
	}
	groups, _ := sub[0].(map[string]any)["tax_groups"].([]any)
	if len(groups) != 1 || groups[0].(map[string]any)["tax_amount"] != 5.55 || groups[0].(map[string]any)["group_name"] != "Tax 15%" {
		t.Errorf("tax groups %v", groups)
	}
	// A group of taxes, which godoo does not compute, is refused with a
	// clear error rather than counted as nothing.
	grouped := e.mustKw(t, c, "account.tax", "create", []any{map[string]any{"name": "Group", "type_tax_use": "sale", "amount_type": "group", "sequence": int64(2), "amount": 0.0,
		"company_id": company, "country_id": country, "tax_group_id": group, "children_tax_ids": []any{[]any{6, 0, []any{excluded}}}}}, nil)
	line := e.mustKw(t, c, "sale.order.line", "create", []any{map[string]any{"order_id": so, "product_id": s.ids["@prod_s"],
		"tax_id": []any{[]any{6, 0, []any{grouped}}}}}, nil)
	if got, f := e.kw(t, c, "sale.order.line", "read", []any{[]any{line}, []any{"price_tax"}}, nil); f == nil || f.Code != 2 ||
		!strings.Contains(f.String, "does not compute") {
		t.Errorf("reading a line with a group of taxes: %v %+v", got, f)
	}
	// The order's tracking leaves the amounts it cannot compute aside:
	// the order may still be changed.
	e.mustKw(t, c, "sale.order", "write", []any{[]any{so}, map[string]any{"client_order_ref": "PO-1"}}, nil)
}

// saleStates: a confirmed order cannot be confirmed again (Odoo's
// error); its lines follow its state; cancelled, it may be deleted, with
// its lines.
func saleStates(t *testing.T, e *env, c caller, s *symbols) {
	so := s.ids["@so2"] // confirmed by the flow
	for _, m := range []string{"action_confirm", "action_cancel", "action_draft"} {
		if _, f := e.kw(t, c, "sale.order", m, []any{[]any{so + 1000}}, nil); f == nil || f.Code != 2 ||
			!strings.Contains(f.String, "Record does not exist or has been deleted.") {
			t.Errorf("%s of a missing order: %+v", m, f)
		}
	}
	_, f := e.kw(t, c, "sale.order", "action_confirm", []any{[]any{so}}, nil)
	if f == nil || f.Code != 2 || !strings.Contains(f.String, "Some orders are not in a state requiring confirmation.") {
		t.Errorf("confirming a confirmed order: %+v", f)
	}
	e.mustKw(t, c, "sale.order", "action_cancel", []any{[]any{so}}, map[string]any{"context": map[string]any{"disable_cancel_warning": true}})
	states := e.mustKw(t, c, "sale.order.line", "search_read", []any{[]any{[]any{"order_id", "=", so}}}, map[string]any{"fields": []any{"state"}}).([]any)
	for _, l := range states {
		if st := l.(map[string]any)["state"]; st != "cancel" {
			t.Errorf("line of a cancelled order: state %v", st)
		}
	}
	lines := e.mustKw(t, c, "sale.order.line", "search", []any{[]any{[]any{"order_id", "=", so}}}, nil).([]any)
	if got := e.mustKw(t, c, "sale.order", "unlink", []any{[]any{so}}, nil); got != true {
		t.Errorf("unlink of a cancelled order: %v", got)
	}
	if n := e.mustKw(t, c, "sale.order.line", "search_count", []any{[]any{[]any{"id", "in", lines}}}, nil); n != int64(0) {
		t.Errorf("%v lines of the deleted order left", n)
	}
}

// drop removes key from every record of a read's answer.
func drop(v any, key string) {
	switch x := v.(type) {
	case []any:
		for _, r := range x {
			drop(r, key)
		}
	case map[string]any:
		delete(x, key)
	}
}

// unname keeps the id of the many2one key of every record of a read's
// answer.
func unname(v any, key string) {
	switch x := v.(type) {
	case []any:
		for _, r := range x {
			unname(r, key)
		}
	case map[string]any:
		if pair, ok := x[key].([]any); ok && len(pair) == 2 {
			x[key] = pair[0]
		}
	}
}

// saleFlowRecords makes what the flow's other cases made before the sale
// ones (the customer, two products), and gives the symbols of the
// recording their ids in the database.
func saleFlowRecords(t *testing.T, e *env, c caller) *symbols {
	t.Helper()
	s := &symbols{ids: map[string]int64{}, e: e, c: c}
	s.ids["@p_flow"] = e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "GODOO Flow Customer",
		"email": "flow@godoo.example", "is_company": true}}, nil).(int64)
	categ := s.ref(t, "@product.product_category_all")
	if categ == 0 {
		categ = e.mustKw(t, c, "product.category", "create", []any{map[string]any{"name": "All"}}, nil).(int64)
	}
	unit := s.ref(t, "@uom.product_uom_unit")
	if unit == 0 {
		uc := e.mustKw(t, c, "uom.category", "create", []any{map[string]any{"name": "Unit"}}, nil)
		unit = e.mustKw(t, c, "uom.uom", "create", []any{map[string]any{"name": "Units", "category_id": uc,
			"uom_type": "reference", "rounding": 0.01}}, nil).(int64)
		s.ids["@uom.product_uom_unit"] = unit
	}
	for _, p := range []struct {
		sym  string
		vals map[string]any
	}{
		{"w", map[string]any{"name": "GODOO Widget", "default_code": "GW-1", "list_price": 12.5, "standard_price": 4.0}},
		{"s", map[string]any{"name": "GODOO Service", "type": "service", "list_price": 5.5}},
	} {
		p.vals["categ_id"], p.vals["uom_id"], p.vals["uom_po_id"] = categ, unit, unit
		tmpl := e.mustKw(t, c, "product.template", "create", []any{p.vals}, nil).(int64)
		s.ids["@tmpl_"+p.sym] = tmpl
		variants := e.mustKw(t, c, "product.product", "search", []any{[]any{[]any{"product_tmpl_id", "=", tmpl}}}, nil).([]any)
		if len(variants) == 0 {
			variants = []any{e.mustKw(t, c, "product.product", "create", []any{map[string]any{"product_tmpl_id": tmpl,
				"default_code": p.vals["default_code"]}}, nil)}
		}
		s.ids["@prod_"+p.sym] = variants[0].(int64)
	}
	return s
}

// symbols are the recording's names of records (@so, @base.USD) and
// their ids in the database, as flows.json normalises them.
type symbols struct {
	ids map[string]int64
	e   *env
	c   caller
	// today is the server's clock, which <today+N> counts from.
	today time.Time
}

// ref is the id of a symbol: bound already, or an external id; 0 when
// the database has no such record.
func (s *symbols) ref(t *testing.T, sym string) int64 {
	t.Helper()
	if id, ok := s.ids[sym]; ok {
		return id
	}
	module, name, ok := strings.Cut(strings.TrimPrefix(sym, "@"), ".")
	if !ok {
		t.Fatalf("symbol %s is not bound", sym)
	}
	rows := s.e.mustKw(t, s.c, "ir.model.data", "search_read", []any{[]any{[]any{"module", "=", module}, []any{"name", "=", name}}},
		map[string]any{"fields": []any{"res_id"}}).([]any)
	if len(rows) == 0 {
		return 0
	}
	id := rows[0].(map[string]any)["res_id"].(int64)
	s.ids[sym] = id
	return id
}

// in is v with its symbols replaced by ids.
func (s *symbols) in(t *testing.T, v any) any {
	switch x := v.(type) {
	case string:
		if strings.HasPrefix(x, "@") {
			return s.ref(t, x)
		}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = s.in(t, e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = s.in(t, e)
		}
		return out
	}
	return v
}

// bind gives the symbols of a case's bind (one, or a list element-wise)
// the ids of its answer.
func (s *symbols) bind(t *testing.T, bind, got any) {
	t.Helper()
	switch b := bind.(type) {
	case string:
		if l, ok := got.([]any); ok && len(l) == 1 {
			got = l[0]
		}
		id, ok := got.(int64)
		if !ok {
			t.Fatalf("bind %s: answer %v", b, got)
		}
		s.ids[b] = id
	case []any:
		l, _ := got.([]any)
		if len(l) != len(b) {
			t.Fatalf("bind %v: answer %v", b, got)
		}
		for i, sym := range b {
			s.ids[sym.(string)] = l[i].(int64)
		}
	}
}

// match compares an answer with the recorded one: a symbol is its id,
// <new MODEL> any id, <datetime> any date and time, <today+N> the date N
// days from the server's clock (s.today), numbers by value.
func (s *symbols) match(want, got any) bool {
	switch w := want.(type) {
	case string:
		switch {
		case strings.HasPrefix(w, "@"):
			id, ok := s.ids[w]
			return ok && got == id
		case strings.HasPrefix(w, "<new "):
			_, ok := got.(int64)
			return ok
		case w == "<datetime>":
			g, ok := got.(string)
			_, err := time.Parse(time.DateTime, g)
			return ok && err == nil
		case strings.HasPrefix(w, "<today"):
			days := 0
			fmt.Sscanf(strings.TrimPrefix(w, "<today"), "+%d>", &days)
			return got == s.today.AddDate(0, 0, days).Format(time.DateOnly)
		}
		return got == w
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !s.match(w[i], g[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k := range w {
			if !s.match(w[k], g[k]) {
				return false
			}
		}
		return true
	case float64:
		switch g := got.(type) {
		case float64:
			return g == w
		case int64:
			return float64(g) == w
		}
		return false
	}
	return reflect.DeepEqual(want, got)
}

// saleSalesman: a salesman who sees only their own orders (Odoo's
// Personal Orders rule) cannot confirm another's, confirms their own,
// may not delete orders, and counts only the orders they see.
func saleSalesman(t *testing.T, e *env, c caller, s *symbols) {
	demo := s.ref(t, "@base.user_demo")
	e.mustKw(t, c, "res.users", "write", []any{[]any{demo},
		map[string]any{"groups_id": []any{[]any{4, s.ref(t, "@sales_team.group_sale_salesman")}}}}, nil)
	uid := authLogin(t, c, e.db, "demo", "demo")
	as := func(method string, args ...any) (any, *faultInfo) {
		return c.call(t, "object", "execute_kw", e.db, uid, "demo", "sale.order", method, args)
	}
	if _, f := as("action_confirm", []any{s.ids["@so"]}); f == nil || f.Code != 4 {
		t.Errorf("a salesman confirming the administrator's order: %+v", f)
	}
	own, f := as("create", map[string]any{"partner_id": s.ids["@p_flow"], "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": s.ids["@prod_s"], "product_uom_qty": 1}}}})
	if f != nil {
		t.Fatalf("a salesman's order: %+v", f)
	}
	if got, f := as("action_confirm", []any{own}); f != nil || got != true {
		t.Errorf("a salesman confirming their order: %v %+v", got, f)
	}
	read, f := as("read", []any{own}, []any{"state", "amount_total", "user_id"})
	if f != nil {
		t.Fatalf("read: %+v", f)
	}
	if r := read.([]any)[0].(map[string]any); r["state"] != "sale" || r["amount_total"] != 5.5 || r["user_id"].([]any)[0] != demo {
		t.Errorf("the salesman's confirmed order: %v", r)
	}
	if _, f := as("unlink", []any{own}); f == nil || f.Code != 4 {
		t.Errorf("a salesman deleting an order: %+v", f)
	}
	count, f := c.call(t, "object", "execute_kw", e.db, uid, "demo", "res.partner", "read",
		[]any{[]any{s.ids["@p_flow"]}, []any{"sale_order_count"}})
	if f != nil {
		t.Fatalf("sale_order_count: %+v", f)
	}
	if n := count.([]any)[0].(map[string]any)["sale_order_count"]; n != int64(1) {
		t.Errorf("the salesman counts %v orders of the customer, want their own one", n)
	}
}

// saleLineCopies: a line's copies of its order's fields (salesperson,
// company, customer, currency, state), which the lines' rules filter on,
// follow the order when it changes and when the line moves to another
// order; written on the line they write through to the order.
func saleLineCopies(t *testing.T, e *env, c caller, s *symbols) {
	demo := s.ref(t, "@base.user_demo")
	order := func() (int64, int64) {
		o := e.mustKw(t, c, "sale.order", "create", []any{map[string]any{"partner_id": s.ids["@p_flow"], "order_line": []any{
			[]any{0, 0, map[string]any{"product_id": s.ids["@prod_s"], "product_uom_qty": 1}}}}}, nil).(int64)
		l := e.mustKw(t, c, "sale.order.line", "search", []any{[]any{[]any{"order_id", "=", o}}}, nil).([]any)
		return o, l[0].(int64)
	}
	salesman := func(model string, id int64, field string) any {
		r := e.mustKw(t, c, model, "read", []any{[]any{id}, []any{field}}, nil).([]any)[0].(map[string]any)[field]
		if m, ok := r.([]any); ok {
			return m[0]
		}
		return r
	}
	o1, l1 := order()
	o2, l2 := order()
	e.mustKw(t, c, "sale.order", "write", []any{[]any{o1}, map[string]any{"user_id": demo}}, nil)
	if got := salesman("sale.order.line", l1, "salesman_id"); got != demo {
		t.Errorf("the line's salesperson after the order's changed: %v, want %d", got, demo)
	}
	e.mustKw(t, c, "sale.order.line", "write", []any{[]any{l2}, map[string]any{"order_id": o1}}, nil)
	if got := salesman("sale.order.line", l2, "salesman_id"); got != demo {
		t.Errorf("the salesperson of a line moved to another order: %v, want %d", got, demo)
	}
	e.mustKw(t, c, "sale.order.line", "write", []any{[]any{l1}, map[string]any{"salesman_id": false}}, nil)
	if got := salesman("sale.order", o1, "user_id"); got != false {
		t.Errorf("the order's salesperson after a line's was written: %v, want false", got)
	}
	if got := salesman("sale.order.line", l2, "salesman_id"); got != false {
		t.Errorf("the other line's salesperson after a line's was written: %v, want false", got)
	}
	if got := salesman("sale.order", o2, "user_id"); got == false {
		t.Errorf("the order the line left lost its salesperson")
	}
}

// saleCompany: a new order's company is the call's (Odoo's env.company):
// the first of the context's allowed companies, else the user's.
func saleCompany(t *testing.T, e *env, c caller, s *symbols) {
	main := s.ref(t, "@base.main_company")
	partner := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Sale Company B", "is_company": true}}, nil)
	other := e.mustKw(t, c, "res.company", "create", []any{map[string]any{"name": "Sale Company B", "partner_id": partner,
		"fiscalyear_last_day": 31, "fiscalyear_last_month": "12", "account_opening_date": "2024-01-01", "account_price_include": "tax_excluded"}}, nil).(int64)
	e.mustKw(t, c, "res.users", "write", []any{[]any{s.ref(t, "@base.user_admin")},
		map[string]any{"company_ids": []any{[]any{4, other}}}}, nil)
	for _, tc := range []struct {
		name    string
		allowed []any
		want    int64
	}{
		{"no companies in the context", nil, main},
		{"the first allowed", []any{other, main}, other},
	} {
		kwargs := map[string]any{}
		if tc.allowed != nil {
			kwargs["context"] = map[string]any{"allowed_company_ids": tc.allowed}
		}
		id := e.mustKw(t, c, "sale.order", "create", []any{map[string]any{"partner_id": s.ids["@p_flow"]}}, kwargs).(int64)
		r := e.mustKw(t, c, "sale.order", "read", []any{[]any{id}, []any{"company_id"}}, kwargs).([]any)[0].(map[string]any)
		if got, _ := r["company_id"].([]any); len(got) == 0 || got[0] != tc.want {
			t.Errorf("%s: company %v, want %d", tc.name, r["company_id"], tc.want)
		}
	}
}
