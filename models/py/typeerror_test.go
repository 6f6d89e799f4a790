package py_test

import (
	"testing"

	"github.com/godoo/godoo/models/py"
)

// TestTypeErrorTexts checks the texts against CPython 3's for the same
// mistakes.
func TestTypeErrorTexts(t *testing.T) {
	cases := []struct {
		name, got, want string
	}{
		{"one missing", py.MissingArguments("BaseModel.search", []string{"domain"}),
			"BaseModel.search() missing 1 required positional argument: 'domain'"},
		{"two missing", py.MissingArguments("exp_login", []string{"login", "password"}),
			"exp_login() missing 2 required positional arguments: 'login' and 'password'"},
		{"four missing", py.MissingArguments("call_kw", []string{"model", "method", "args", "kwargs"}),
			"call_kw() missing 4 required positional arguments: 'model', 'method', 'args', and 'kwargs'"},
		{"fixed arity", py.TooManyPositional("BaseModel.write", 2, 2, 3),
			"BaseModel.write() takes 2 positional arguments but 3 were given"},
		{"one parameter", py.TooManyPositional("BaseModel.unlink", 1, 1, 2),
			"BaseModel.unlink() takes 1 positional argument but 2 were given"},
		{"none taken, one given", py.TooManyPositional("exp_version", 0, 0, 1),
			"exp_version() takes 0 positional arguments but 1 was given"},
		{"range", py.TooManyPositional("BaseModel.search", 2, 5, 6),
			"BaseModel.search() takes from 2 to 5 positional arguments but 6 were given"},
		{"unexpected keyword", py.UnexpectedKeyword("BaseModel.search", "count"),
			"BaseModel.search() got an unexpected keyword argument 'count'"},
		{"multiple values", py.MultipleValues("BaseModel.search", "domain"),
			"BaseModel.search() got multiple values for argument 'domain'"},
		{"argument type", py.ArgumentType("execute_kw", "args", "list", "x"),
			"execute_kw() argument 'args' must be list, not str"},
		{"names of one", py.Names([]string{"a"}), "'a'"},
		{"no names", py.Names(nil), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
}
