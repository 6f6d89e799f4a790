package pyexpr_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/godoo/godoo/models/pyexpr"
)

// record is an Object with fixed attributes.
type record map[string]any

func (r record) Attr(name string) (any, error) {
	v, ok := r[name]
	if !ok {
		return nil, fmt.Errorf("no attribute %q", name)
	}
	return v, nil
}

func names() pyexpr.Names {
	user := record{"id": int64(7), "commercial_partner_id": record{"id": int64(42)}, "name": "Ana"}
	vars := map[string]any{"user": user, "company_ids": []any{int64(1), int64(3)}, "company_id": int64(1)}
	return func(n string) (any, bool) { v, ok := vars[n]; return v, ok }
}

func TestEval(t *testing.T) {
	for _, c := range []struct {
		src  string
		want any
	}{
		{"[('create_uid', '=', user.id)]", []any{[]any{"create_uid", "=", int64(7)}}},
		{"[(1,'=',1)]", []any{[]any{int64(1), "=", int64(1)}}},
		{"[(0, '=', 1)]", []any{[]any{int64(0), "=", int64(1)}}},
		{"[('user_id', 'in', [user.id, False])]", []any{[]any{"user_id", "in", []any{int64(7), false}}}},
		{"[('id','in', company_ids)]", []any{[]any{"id", "in", []any{int64(1), int64(3)}}}},
		{"['|', ('company_id', 'parent_of', company_ids), ('company_id', '=', False)]",
			[]any{"|", []any{"company_id", "parent_of", []any{int64(1), int64(3)}}, []any{"company_id", "=", false}}},
		{"[('id', 'child_of', user.commercial_partner_id.id)]", []any{[]any{"id", "child_of", int64(42)}}},
		{"[('company_id', 'in', company_ids + [False])]", []any{[]any{"company_id", "in", []any{int64(1), int64(3), false}}}},
		{"\n   [('a', '=', None), ('b', '!=', True)]  \n", []any{[]any{"a", "=", nil}, []any{"b", "!=", true}}},
		{`[("name", "ilike", "it's \"x\"\n")]`, []any{[]any{"name", "ilike", "it's \"x\"\n"}}},
		{"[('a', '=', 'x' 'y')]", []any{[]any{"a", "=", "xy"}}},
		{"('a', '>', -1.5)", []any{"a", ">", -1.5}},
		{"(1)", int64(1)},
		{"(1,)", []any{int64(1)}},
		{"[]", []any{}},
		{"[1, 2,]", []any{int64(1), int64(2)}},
		{"1 + 2 - 4", int64(-1)},
		{"company_id", int64(1)},
		{"1_000", int64(1000)},
		{"'caf\\xe9 \\u00e9'", "café é"},
	} {
		got, err := pyexpr.Eval(c.src, names())
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q = %#v, want %#v", c.src, got, c.want)
		}
	}
}

func TestRefused(t *testing.T) {
	deep := ""
	for i := 0; i < 200; i++ {
		deep += "["
	}
	for _, c := range []struct {
		src    string
		syntax bool
	}{
		{"__import__('os').system('true')", true},
		{"user.id()", true},
		{"company_ids[0]", true},
		{"[x for x in company_ids]", true},
		{"lambda: 1", true},
		{"1 if True else 2", true},
		{"not user", true},
		{"user.id == 1", true},
		{"'abc", true},
		{"'''abc'''", true},
		{"[1, 2", true},
		{"(1 2)", true},
		{"", true},
		{"1; 2", true},
		{deep, true},
		{"user.__class__", false},
		{"unknown_name", false},
		{"user.name + 1", false},
		{"company_ids + 1", false},
		{"-'x'", false},
		{"1.id", true},
	} {
		_, err := pyexpr.Eval(c.src, names())
		if err == nil {
			t.Errorf("%q: evaluated", c.src)
			continue
		}
		if errors.Is(err, pyexpr.ErrSyntax) != c.syntax {
			t.Errorf("%q: %v (syntax error: %v, want %v)", c.src, err, errors.Is(err, pyexpr.ErrSyntax), c.syntax)
		}
	}
}

// TestOdooRules evaluates every record rule of Odoo 18's base module, as
// recorded in the conformance corpus, with a user and companies.
func TestOdooRules(t *testing.T) {
	dir := os.Getenv("GODOO_CONFORMANCE_DIR")
	if dir == "" {
		dir = "../../../shared/conformance/odoo18"
	} else if !filepath.IsAbs(dir) {
		dir = filepath.Join("../..", dir)
	}
	b, err := os.ReadFile(filepath.Join(dir, "model", "ir_rule.json"))
	if err != nil {
		t.Skipf("the Odoo 18 conformance corpus is not at %s (set GODOO_CONFORMANCE_DIR): %v", dir, err)
	}
	var rules []struct {
		XMLID       string `json:"xmlid"`
		DomainForce string `json:"domain_force"`
	}
	if err := json.Unmarshal(b, &rules); err != nil {
		t.Fatal(err)
	}
	if len(rules) == 0 {
		t.Fatal("no rules in the corpus")
	}
	for _, r := range rules {
		v, err := pyexpr.Eval(r.DomainForce, names())
		if err != nil {
			t.Errorf("%s %q: %v", r.XMLID, r.DomainForce, err)
			continue
		}
		if _, ok := v.([]any); !ok {
			t.Errorf("%s: not a domain: %#v", r.XMLID, v)
		}
	}
}

func FuzzEval(f *testing.F) {
	for _, s := range []string{"[('create_uid', '=', user.id)]", "['|', ('a', 'in', company_ids + [False]), (1, '=', 1)]", "-1.5e3", `"\x41"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		_, _ = pyexpr.Eval(src, names())
	})
}
