package integration_test

import (
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestFiltersModelSelection checks, on both stores, that ir.filters'
// model_id lists the models of the database's registry, as Odoo's
// _list_all_models does from ir.model: a custom model appears once
// created, a filter may name it, and a name no model has is refused.
func TestFiltersModelSelection(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		model := "x_filtered_" + uniqueName("")
		e.mustKw(t, c, "ir.model", "create", []any{map[string]any{"name": "Filtered " + model, "model": model}}, nil)
		desc := e.mustKw(t, c, "ir.filters", "fields_get", []any{[]any{"model_id"}}, nil).(map[string]any)
		found := false
		for _, o := range desc["model_id"].(map[string]any)["selection"].([]any) {
			if o.([]any)[0] == model {
				found = o.([]any)[1] == "Filtered "+model
			}
		}
		if !found {
			t.Fatalf("ir.filters.model_id lacks the custom model %s", model)
		}
		e.mustKw(t, c, "ir.filters", "create", []any{map[string]any{"name": "mine", "model_id": model}}, nil)
		_, f := e.kw(t, c, "ir.filters", "create", []any{map[string]any{"name": "none", "model_id": "x_no_such_model"}}, nil)
		wantFault(t, c, f, 1, "Wrong value for ir.filters.model_id")
	})
}
