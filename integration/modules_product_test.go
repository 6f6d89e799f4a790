package integration_test

import (
	"testing"
)

// TestProductTemplateVariant: a new template takes the unit and the
// category All by default and creates its single variant, which carries
// its internal reference; both are named "[code] name", and the variant's
// fields of the template read through.
func TestProductTemplateVariant(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		tmpl := e.mustKw(t, c, "product.template", "create", []any{map[string]any{"name": "Widget", "list_price": 12.5, "default_code": "W-1"}}, nil)
		plain := e.mustKw(t, c, "product.template", "create", []any{map[string]any{"name": "Plain"}}, nil)
		vs := e.mustKw(t, c, "product.product", "search", []any{[]any{[]any{"product_tmpl_id", "=", tmpl}}}, nil).([]any)
		if len(vs) != 1 {
			t.Fatalf("variants of a new template: %v", vs)
		}
		got := e.mustKw(t, c, "product.template", "read", []any{[]any{tmpl, plain}, []any{"uom_id", "categ_id", "product_variant_id",
			"product_variant_count", "display_name", "currency_id"}}, nil).([]any)
		w := got[0].(map[string]any)
		if w["uom_id"].([]any)[1] != "Units" || w["categ_id"].([]any)[1] != "All" || w["product_variant_count"] != int64(1) ||
			w["display_name"] != "[W-1] Widget" || w["currency_id"].([]any)[1] != "USD" {
			t.Errorf("template: %v", w)
		}
		if pv := w["product_variant_id"].([]any); pv[0] != vs[0] || pv[1] != "[W-1] Widget" {
			t.Errorf("product_variant_id %v", pv)
		}
		if got[1].(map[string]any)["display_name"] != "Plain" {
			t.Errorf("a template without a code: %v", got[1])
		}
		p := e.mustKw(t, c, "product.product", "read", []any{vs, []any{"name", "display_name", "default_code", "lst_price", "price_extra", "uom_id"}}, nil).([]any)[0].(map[string]any)
		if p["name"] != "Widget" || p["display_name"] != "[W-1] Widget" || p["default_code"] != "W-1" || p["lst_price"] != 12.5 || p["price_extra"] != 0.0 {
			t.Errorf("variant: %v", p)
		}
		units := e.mustKw(t, c, "uom.uom", "search_read", []any{[]any{[]any{"category_id.name", "=", "Unit"}}},
			map[string]any{"fields": []any{"name", "factor"}, "order": "id"}).([]any)
		if len(units) != 2 || units[1].(map[string]any)["name"] != "Dozens" {
			t.Errorf("units: %v", units)
		}
	})
}
