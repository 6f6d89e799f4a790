package integration_test

import (
	"testing"
)

// TestCompanyDependentCost: over XML-RPC, on both stores, a product's
// cost (standard_price, company-dependent) is each company's own as the
// administrator switches allowed_company_ids: the template's cost (its
// variant's) reads the company's value, writes change the company's
// alone, and a search by cost finds the product for the company whose
// cost it is.
func TestCompanyDependentCost(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		second := e.mustKw(t, c, "res.company", "create", []any{map[string]any{"name": "Cost Second"}}, nil)
		e.mustKw(t, c, "res.users", "write", []any{[]any{int64(2)}, map[string]any{
			"company_ids": []any{[]any{int64(4), second, int64(0)}}}}, nil)
		var main any = int64(1)
		in := func(company any) map[string]any {
			return map[string]any{"context": map[string]any{"allowed_company_ids": []any{company}}}
		}
		tmpl := e.mustKw(t, c, "product.template", "create", []any{map[string]any{"name": "Per company cost", "standard_price": 10.0}}, in(main))
		cost := func(company any) any {
			t.Helper()
			recs := e.mustKw(t, c, "product.template", "read", []any{[]any{tmpl}, []any{"standard_price"}}, in(company)).([]any)
			return recs[0].(map[string]any)["standard_price"]
		}
		if got := cost(second); got != 0.0 {
			t.Errorf("the second company's cost before it wrote one is %v, want 0.0", got)
		}
		e.mustKw(t, c, "product.template", "write", []any{[]any{tmpl}, map[string]any{"standard_price": 25.0}}, in(second))
		if got := cost(main); got != 10.0 {
			t.Errorf("the main company's cost is %v, want 10.0", got)
		}
		if got := cost(second); got != 25.0 {
			t.Errorf("the second company's cost is %v, want 25.0", got)
		}
		find := func(company any, price float64) int {
			t.Helper()
			return len(e.mustKw(t, c, "product.product", "search", []any{[]any{
				[]any{"product_tmpl_id", "=", tmpl}, []any{"standard_price", "=", price}}}, in(company)).([]any))
		}
		if find(main, 10) != 1 || find(main, 25) != 0 || find(second, 25) != 1 || find(second, 10) != 0 {
			t.Errorf("search by cost: main 10→%d 25→%d, second 25→%d 10→%d, want 1 0 1 0",
				find(main, 10), find(main, 25), find(second, 25), find(second, 10))
		}
	})
}
