package models_test

import (
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestBindTypeErrors checks that binding a call to a method's signature fails
// with the TypeError text CPython prints for Odoo 18's method, qualified name
// included, so that scripts matching on it see the same text.
func TestBindTypeErrors(t *testing.T) {
	reg := storetest.Base(t)
	meth := func(model, name string) *models.Method { return reg.Model(model).Methods[name] }
	cases := []struct {
		name   string
		meth   *models.Method
		args   []any
		kwargs map[string]any
		want   string // "" for success
	}{
		{"search count", meth("res.partner", "search"), []any{[]any{}}, map[string]any{"count": true},
			"BaseModel.search() got an unexpected keyword argument 'count'"},
		{"search positional count", meth("res.partner", "search"), []any{[]any{}, int64(0), int64(0), false, true}, nil,
			"BaseModel.search() takes from 2 to 5 positional arguments but 6 were given"},
		{"search missing domain", meth("res.partner", "search"), nil, nil,
			"BaseModel.search() missing 1 required positional argument: 'domain'"},
		{"search domain twice", meth("res.partner", "search"), []any{[]any{}}, map[string]any{"domain": []any{}},
			"BaseModel.search() got multiple values for argument 'domain'"},
		{"keywords before arity", meth("res.partner", "search"), []any{[]any{}, 0, 0, "", true}, map[string]any{"count": true},
			"BaseModel.search() got an unexpected keyword argument 'count'"},
		{"no optional parameters", meth("res.partner", "unlink"), []any{int64(1)}, nil,
			"BaseModel.unlink() takes 1 positional argument but 2 were given"},
		{"only required parameters", meth("res.partner.category", "write"), []any{map[string]any{}, true}, nil,
			"BaseModel.write() takes 2 positional arguments but 3 were given"},
		{"a model's override of a method every model has", meth("res.partner", "write"), nil, nil,
			"Partner.write() missing 1 required positional argument: 'vals'"},
		{"a model's own default_get", meth("res.partner", "default_get"), nil, nil,
			"Partner.default_get() missing 1 required positional argument: 'fields_list'"},
		{"res.users' default_get names its parameter fields", meth("res.users", "default_get"), nil, nil,
			"UsersView.default_get() missing 1 required positional argument: 'fields'"},
		{"res.users' default_get by keyword", meth("res.users", "default_get"), nil, map[string]any{"fields": []any{"active"}}, ""},
		{"res.users' default_get has no fields_list", meth("res.users", "default_get"), nil, map[string]any{"fields_list": []any{"active"}},
			"UsersView.default_get() got an unexpected keyword argument 'fields_list'"},
		{"model method class", meth("res.users", "context_get"), nil, map[string]any{"x": int64(1)},
			"Users.context_get() got an unexpected keyword argument 'x'"},
		{"read_group missing", meth("res.partner", "read_group"), []any{[]any{}}, nil,
			"BaseModel.read_group() missing 2 required positional arguments: 'fields' and 'groupby'"},
		{"context is not an argument", meth("res.partner", "search"), []any{[]any{}}, map[string]any{"context": map[string]any{}}, ""},
		{"keywords", meth("res.partner", "search"), nil, map[string]any{"domain": []any{}, "limit": int64(1)}, ""},
		{"name_search args (18.0)", meth("res.partner", "name_search"), nil, map[string]any{"args": []any{}}, ""},
		{"name_search domain (18.3) refused over execute_kw", meth("res.partner", "name_search"), nil, map[string]any{"domain": []any{}},
			"BaseModel.name_search() got an unexpected keyword argument 'domain'"},
		{"name_search domain through JSON-2", meth("res.partner", "name_search"), nil,
			meth("res.partner", "name_search").JSON2Kwargs(map[string]any{"domain": []any{}}), ""},
		{"name_search domain twice through JSON-2", meth("res.partner", "name_search"), []any{"x", []any{}},
			meth("res.partner", "name_search").JSON2Kwargs(map[string]any{"domain": []any{}}),
			"BaseModel.name_search() got multiple values for argument 'args'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := models.Bind(tc.meth, tc.args, tc.kwargs)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			e := models.AsError(err)
			if e == nil || e.ExceptionName() != "builtins.TypeError" || e.Message != tc.want {
				t.Fatalf("got %v, want TypeError %q", err, tc.want)
			}
			if models.ReasonOf(err) != models.ReasonArguments {
				t.Errorf("binding error without ReasonArguments")
			}
		})
	}
}
