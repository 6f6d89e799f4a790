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

// TestProductVariantMakesTemplate: a variant created without a template
// makes its own from the values of the template's fields, as Odoo's
// _inherits does, and the template makes no second variant; a variant
// created for an existing template joins it.
func TestProductVariantMakesTemplate(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		p := e.mustKw(t, c, "product.product", "create", []any{map[string]any{"name": "Gadget", "list_price": 3.5,
			"default_code": "G-1", "standard_price": 2.0, "type": "service"}}, nil)
		got := e.mustKw(t, c, "product.product", "read", []any{[]any{p}, []any{"name", "lst_price", "standard_price", "type",
			"default_code", "product_tmpl_id", "display_name"}}, nil).([]any)[0].(map[string]any)
		tmpl, ok := got["product_tmpl_id"].([]any)
		if !ok || got["name"] != "Gadget" || got["lst_price"] != 3.5 || got["standard_price"] != 2.0 || got["type"] != "service" ||
			got["display_name"] != "[G-1] Gadget" {
			t.Fatalf("variant: %v", got)
		}
		tr := e.mustKw(t, c, "product.template", "read", []any{[]any{tmpl[0]}, []any{"name", "list_price", "standard_price",
			"product_variant_ids", "product_variant_count", "default_code", "uom_id", "categ_id"}}, nil).([]any)[0].(map[string]any)
		if tr["name"] != "Gadget" || tr["list_price"] != 3.5 || tr["standard_price"] != 2.0 || tr["default_code"] != "G-1" ||
			tr["product_variant_count"] != int64(1) || tr["uom_id"].([]any)[1] != "Units" || tr["categ_id"].([]any)[1] != "All" {
			t.Errorf("template: %v", tr)
		}
		if vs := tr["product_variant_ids"].([]any); len(vs) != 1 || vs[0] != p {
			t.Errorf("the template's variants: %v, want [%v]", vs, p)
		}
		// A second variant of the template: two variants, so the
		// template's cost is no single variant's.
		second := e.mustKw(t, c, "product.product", "create", []any{map[string]any{"product_tmpl_id": tmpl[0], "default_code": "G-2",
			"standard_price": 5.0}}, nil)
		tr = e.mustKw(t, c, "product.template", "read", []any{[]any{tmpl[0]}, []any{"product_variant_ids", "standard_price"}},
			nil).([]any)[0].(map[string]any)
		if vs := tr["product_variant_ids"].([]any); len(vs) != 2 || vs[1] != second || tr["standard_price"] != 0.0 {
			t.Errorf("template of two variants: %v", tr)
		}
		// The variant's sale price is its template's.
		e.mustKw(t, c, "product.product", "write", []any{[]any{p}, map[string]any{"lst_price": 9.0}}, nil)
		if lp := e.mustKw(t, c, "product.template", "read", []any{[]any{tmpl[0]}, []any{"list_price"}}, nil).([]any)[0].(map[string]any)["list_price"]; lp != 9.0 {
			t.Errorf("template's list_price after the variant's lst_price: %v", lp)
		}
		if n := e.count(t, "product.template", []any{[]any{"name", "=", "Gadget"}}); n != 1 {
			t.Errorf("%d templates named Gadget, want 1", n)
		}
		if _, f := e.kw(t, c, "product.product", "create", []any{map[string]any{"default_code": "NONAME"}}, nil); f == nil {
			t.Errorf("a variant without a name nor a template was created")
		}
	})
}

// TestProductTemplateCost: a template's cost is its single variant's, set
// by create and write on the template as Odoo's inverse does, and its
// invoicing policy is sale's (ordered quantities).
func TestProductTemplateCost(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		tmpl := e.mustKw(t, c, "product.template", "create", []any{map[string]any{"name": "Costly", "standard_price": 4.0}}, nil)
		read := func() map[string]any {
			return e.mustKw(t, c, "product.template", "read", []any{[]any{tmpl}, []any{"standard_price", "invoice_policy",
				"product_variant_id"}}, nil).([]any)[0].(map[string]any)
		}
		got := read()
		if got["standard_price"] != 4.0 || got["invoice_policy"] != "order" {
			t.Errorf("new template: %v", got)
		}
		e.mustKw(t, c, "product.template", "write", []any{[]any{tmpl}, map[string]any{"standard_price": 6.25, "type": "service"}}, nil)
		got = read()
		variant := got["product_variant_id"].([]any)[0]
		v := e.mustKw(t, c, "product.product", "read", []any{[]any{variant}, []any{"standard_price"}}, nil).([]any)[0].(map[string]any)
		if got["standard_price"] != 6.25 || v["standard_price"] != 6.25 || got["invoice_policy"] != "order" {
			t.Errorf("after write: template %v, variant %v", got, v)
		}
	})
}

// TestProductPurchaseUnit: a template is bought in its own unit unless
// told otherwise, and a new unit of another category becomes its unit of
// purchase too, as Odoo's _compute_uom_po_id; default_get does not name
// one.
func TestProductPurchaseUnit(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		unit := func(name string) any {
			return e.mustKw(t, c, "uom.uom", "search", []any{[]any{[]any{"name", "=", name}}}, nil).([]any)[0]
		}
		units, dozens, kg := unit("Units"), unit("Dozens"), unit("kg")
		tmpl := e.mustKw(t, c, "product.template", "create", []any{map[string]any{"name": "By the dozen", "uom_id": dozens}}, nil)
		po := func() any {
			return e.mustKw(t, c, "product.template", "read", []any{[]any{tmpl}, []any{"uom_po_id"}}, nil).([]any)[0].(map[string]any)["uom_po_id"].([]any)[0]
		}
		if got := po(); got != dozens {
			t.Errorf("new template bought in %v, want %v (dozens)", got, dozens)
		}
		e.mustKw(t, c, "product.template", "write", []any{[]any{tmpl}, map[string]any{"uom_id": units}}, nil)
		if got := po(); got != dozens {
			t.Errorf("a unit of the same category: bought in %v, want %v (dozens)", got, dozens)
		}
		e.mustKw(t, c, "product.template", "write", []any{[]any{tmpl}, map[string]any{"uom_id": kg}}, nil)
		if got := po(); got != kg {
			t.Errorf("a unit of another category: bought in %v, want %v (kg)", got, kg)
		}
		d := e.mustKw(t, c, "product.template", "default_get", []any{[]any{}}, map[string]any{"fields_list": []any{"uom_id", "uom_po_id"}}).(map[string]any)
		if _, ok := d["uom_po_id"]; ok || d["uom_id"] != units {
			t.Errorf("default_get: %v", d)
		}
	})
}
