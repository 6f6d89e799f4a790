package models_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestDomainSQL compiles domains for both dialects and compares the SQL with
// golden files in testdata/domain/<dialect>/<name>.sql. No database is
// needed: the compiler only builds text and arguments.
func TestDomainSQL(t *testing.T) {
	reg := storetest.Base(t)
	cases := []struct {
		name   string
		model  string
		domain any
	}{
		{"empty", "res.partner", []any{}},
		{"eq", "res.partner", []any{[]any{"name", "=", "Azure"}}},
		{"eq_false", "res.partner", []any{[]any{"email", "=", false}}},
		{"bool_eq_false", "res.partner", []any{[]any{"is_company", "=", false}}},
		{"ne_value_keeps_null", "res.partner", []any{[]any{"email", "!=", "x@y"}}},
		{"implicit_and", "res.partner", []any{[]any{"is_company", "=", true}, []any{"city", "ilike", "brussels"}}},
		{"or_not", "res.partner", []any{"|", []any{"name", "like", "A"}, "!", []any{"color", ">", int64(3)}}},
		{"in_with_false", "res.partner", []any{[]any{"parent_id", "in", []any{int64(1), false}}}},
		{"in_empty", "res.partner", []any{[]any{"id", "in", []any{}}}},
		{"not_in_empty", "res.partner", []any{[]any{"id", "not in", []any{}}}},
		{"not_in", "res.partner", []any{[]any{"color", "not in", []any{int64(1), int64(2)}}}},
		{"eqlike", "res.partner", []any{[]any{"name", "=like", "A%"}}},
		{"not_ilike", "res.partner", []any{[]any{"email", "not ilike", "spam"}}},
		{"like_empty_matches_all", "res.partner", []any{[]any{"email", "ilike", ""}}},
		{"m2o_by_name", "res.partner", []any{[]any{"country_id", "ilike", "belg"}}},
		{"m2o_not_by_name", "res.partner", []any{[]any{"country_id", "!=", "Belgium"}}},
		{"dotted_path", "res.partner", []any{[]any{"country_id.code", "=", "BE"}}},
		{"o2m_in", "res.partner", []any{[]any{"child_ids", "in", []any{int64(5)}}}},
		{"o2m_empty", "res.partner", []any{[]any{"child_ids", "=", false}}},
		{"m2m_in", "res.users", []any{[]any{"groups_id", "in", []any{int64(1)}}}},
		{"any", "res.partner", []any{[]any{"parent_id", "any", []any{[]any{"is_company", "=", true}}}}},
		{"delegated_field", "res.users", []any{[]any{"name", "ilike", "admin"}}},
		{"active_named", "res.partner", []any{[]any{"active", "in", []any{true, false}}}},
		{"true_false_leaves", "res.partner", []any{"|", []any{int64(1), "=", int64(1)}, []any{int64(0), "=", int64(1)}}},
		{"datetime_date_gt", "res.partner", []any{[]any{"create_date", ">", "2024-01-31"}}},
		{"eq_unset", "res.partner", []any{[]any{"ref", "=?", false}}},
		{"child_of", "res.partner", []any{[]any{"id", "child_of", []any{int64(1)}}}},
		{"parent_of_m2o", "res.partner", []any{[]any{"parent_id", "parent_of", int64(7)}}},
		{"child_of_name", "res.partner", []any{[]any{"parent_id", "child_of", "Azure"}}},
		{"date_part", "res.partner", []any{[]any{"create_date.month_number", "=", int64(11)}}},
		{"float_lt_takes_null_as_zero", "res.partner", []any{[]any{"partner_latitude", "<", 45.0}}},
		{"float_gt_leaves_null_out", "res.partner", []any{[]any{"partner_latitude", ">", 45.0}}},
		{"int_ge_negative_takes_null", "res.partner", []any{[]any{"color", ">=", int64(-1)}}},
		{"display_name_any_rec_names_search", "res.partner", []any{[]any{"display_name", "ilike", "kraut"}}},
		{"display_name_negative_all", "res.partner", []any{[]any{"display_name", "not ilike", "kraut"}}},
		{"display_name_delegated_and_login", "res.users", []any{[]any{"display_name", "ilike", "ulla"}}},
		{"display_name_rec_name", "res.partner.category", []any{[]any{"display_name", "=", "VIP"}}},
	}
	for _, dialect := range []string{"sqlite", "pg"} {
		for _, tc := range cases {
			t.Run(dialect+"/"+tc.name, func(t *testing.T) {
				sql, args, err := models.CompileDomain(reg, dialect, tc.model, tc.domain)
				if err != nil {
					t.Fatal(err)
				}
				got := fmt.Sprintf("%s\n-- args: %#v\n", sql, args)
				path := filepath.Join("testdata", "domain", dialect, tc.name+".sql")
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update to create)", err)
				}
				if got != string(want) {
					t.Errorf("SQL differs from %s:\ngot:\n%s\nwant:\n%s", path, got, want)
				}
			})
		}
	}
}

// TestDomainErrors checks that malformed domains get Odoo's ValueError texts.
func TestDomainErrors(t *testing.T) {
	reg := storetest.Base(t)
	cases := []struct {
		name   string
		domain any
		want   string
	}{
		{"unknown_field", []any{[]any{"nope", "=", int64(1)}}, "Invalid field res.partner.nope in leaf ('nope', '=', 1)"},
		{"unknown_operator", []any{[]any{"name", "~", "x"}}, "Invalid leaf ('name', '~', 'x')"},
		{"operator in capitals", []any{[]any{"name", "ILIKE", "x"}}, "Invalid leaf ('name', 'ILIKE', 'x')"},
		{"short_term", []any{[]any{"name", "="}}, "not enough values to unpack (expected 3, got 2)"},
		{"long_term", []any{[]any{"name", "=", "x", "y"}}, "too many values to unpack (expected 3)"},
		{"dangling_or", []any{"|", []any{"name", "=", "a"}}, "is syntactically not correct"},
		{"lonely_and", []any{"&"}, "is syntactically not correct"},
		{"bad_item", []any{int64(42)}, "TypeError: 'int' object is not subscriptable"},
		{"a term as the domain", []any{"ref", "=", "CONF-KW"}, "IndexError: string index out of range"},
		{"a string term read from the end", []any{"name", "x"}, "IndexError: string index out of range"},
		{"a term of one item", []any{[]any{"name"}}, "IndexError: tuple index out of range"},
		{"in without a value", []any{[]any{"id", "in"}}, "IndexError: tuple index out of range"},
		{"a dict term", []any{map[string]any{}}, "KeyError: 1"},
		{"syntax before indexing", []any{"|", "="}, "is syntactically not correct"},
		{"not_a_list", "name = 'x'", "AssertionError: Domains to normalize must have a 'domain' form: a list or tuple of domain components"},
		{"scalar_in", []any{[]any{"id", "in", "x"}}, "Invalid domain term"},
		{"a single name in a many2many", []any{[]any{"category_id", "in", "VIP"}}, "Invalid domain term ('name', 'in', 'VIP')"},
		{"a single name not in a many2many", []any{[]any{"category_id", "not in", "VIP"}}, "Invalid domain term ('name', 'in', 'VIP')"},
		{"dict_in", []any{[]any{"id", "in", map[string]any{"a": int64(1)}}}, "Invalid domain term ('id', 'in', {'a': 1})"},
		{"path_through_scalar", []any{[]any{"name.foo", "=", "x"}}, "AssertionError: Invalid field 'name.foo' in domain term ('name.foo', '=', 'x')"},
		{"any_on_scalar", []any{[]any{"name", "any", []any{[]any{"id", "=", int64(1)}}}}, "KeyError: None"},
		{"child_of_on_scalar", []any{[]any{"name", "child_of", "x"}}, "KeyError: child_of"},
		{"sql_in_field", []any{[]any{"name = name; --", "=", "x"}}, "Invalid field"},
		{"negated_empty_term", []any{"!", []any{}}, "IndexError: tuple index out of range"},
		{"unknown_date_part", []any{[]any{"create_date.fortnight", "=", int64(1)}}, "Invalid field"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := models.CompileDomain(reg, "pg", "res.partner", tc.domain)
			var e *models.Error
			want, name := tc.want, "builtins.ValueError"
			if exc, msg, ok := strings.Cut(want, ": "); ok && strings.HasSuffix(exc, "Error") {
				want, name = msg, "builtins."+exc
			}
			if !errors.As(err, &e) || e.Kind != models.KindServer || e.Name != name {
				t.Fatalf("err = %v, want a %s", err, name)
			}
			if !strings.Contains(e.Message, want) {
				t.Errorf("message %q does not contain %q", e.Message, want)
			}
		})
	}
}

// TestParseOrderNulls checks that empty values sort on SQLite where
// PostgreSQL puts them (last ascending, first descending), unless the
// order places them, and that PostgreSQL's SQL is left as it is.
func TestParseOrderNulls(t *testing.T) {
	reg := storetest.Base(t)
	cases := []struct{ dialect, spec, want string }{
		{"sqlite", "", "t0.complete_name ASC NULLS LAST, t0.id DESC NULLS FIRST"},
		{"sqlite", "city", "t0.city ASC NULLS LAST, t0.id ASC"},
		{"sqlite", "city desc, id desc", "t0.city DESC NULLS FIRST, t0.id DESC NULLS FIRST"},
		{"sqlite", "city desc nulls last", "t0.city DESC NULLS LAST, t0.id ASC"},
		{"sqlite", "city asc nulls first", "t0.city ASC NULLS FIRST, t0.id ASC"},
		{"postgres", "city", "t0.city ASC, t0.id ASC"},
		{"postgres", "city desc, id desc", "t0.city DESC, t0.id DESC"},
		{"postgres", "city desc nulls last", "t0.city DESC NULLS LAST, t0.id ASC"},
	}
	for _, tc := range cases {
		got, err := models.ParseOrderOn(reg, tc.dialect, "res.partner", tc.spec)
		if err != nil || got != tc.want {
			t.Errorf("%s %q: got %q, %v; want %q", tc.dialect, tc.spec, got, err, tc.want)
		}
	}
}

// TestParseOrder checks that order specs are parsed strictly and never
// pasted into SQL.
func TestParseOrder(t *testing.T) {
	reg := storetest.Base(t)
	const form = "UserError: Invalid \"order\" specified"
	cases := []struct {
		spec, want string
		ok         bool
	}{
		{"", "t0.complete_name ASC, t0.id DESC", true},
		{"name desc", "t0.name DESC, t0.id ASC", true},
		{"city ASC nulls last, id desc", "t0.city ASC NULLS LAST, t0.id DESC", true},
		{`"name" DESC`, "t0.name DESC, t0.id ASC", true},
		{"display_name", "ValueError: Cannot convert res.partner.display_name to SQL because it is not stored", false},
		{"name; drop table res_partner", form, false},
		{"nope", "ValueError: Invalid field 'nope' on model 'res.partner'", false},
		{"parent_id.name, id", "ValueError: Invalid field 'parent_id.name' on model 'res.partner'", false},
		{"name sideways", form, false},
		{"child_ids", "ValueError: Cannot convert res.partner.child_ids to SQL because it is not stored", false},
		{"name desc nulls", form, false},
		{",", form, false},
		{"name,", form, false},
	}
	for _, tc := range cases {
		got, err := models.ParseOrder(reg, "res.partner", tc.spec)
		if tc.ok && (err != nil || got != tc.want) {
			t.Errorf("%q: got %q, %v; want %q", tc.spec, got, err, tc.want)
		}
		if !tc.ok {
			var e *models.Error
			if !errors.As(err, &e) {
				t.Errorf("%q: accepted as %q (%v)", tc.spec, got, err)
				continue
			}
			kind := e.Name[strings.LastIndex(e.Name, ".")+1:]
			if e.Kind == models.KindUser {
				kind = "UserError"
			}
			if text := kind + ": " + e.Message; !strings.HasPrefix(text, tc.want) {
				t.Errorf("%q: error %q, want %q", tc.spec, text, tc.want)
			}
		}
	}
}
