package services

import (
	"context"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestOldCustomHTMLSanitized checks, on both stores, that a custom html
// field an older godoo made with sanitize false (before it sanitized
// custom fields: migration 0018 not applied) is sanitized once a process
// opens the database, while a field made with sanitize false afterwards
// keeps it, however often the database is opened again.
func TestOldCustomHTMLSanitized(t *testing.T) {
	const dirty = `<p onclick="alert(1)">Hi</p><script>alert(2)</script>`
	for _, st := range testStores() {
		t.Run(st.name, func(t *testing.T) {
			ctx := context.Background()
			s := st.open(t)
			first, name := createTestDB(t, s, "oldhtml")
			call := func(set *Set, model, method string, args ...any) any {
				t.Helper()
				return adminCaller(t, set, name, testAdminPassword)(model, method, args...)
			}
			partner := call(first, "ir.model", "search", []any{[]any{"model", "=", "res.partner"}}).([]int64)[0]
			field := func(set *Set, fname string) {
				t.Helper()
				call(set, "ir.model.fields", "create", map[string]any{"model_id": partner, "name": fname, "ttype": "html",
					"field_description": fname, "sanitize": false})
			}
			field(first, "x_old_html")
			// What the older godoo left: the migration not applied, and
			// so no list of the fields it finds.
			db, err := first.core.open(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{"DELETE FROM godoo_migrations WHERE name = '0018_custom_html_sanitize.sql'", "DROP TABLE godoo_html_sanitize"} {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			// Another process opens it, and makes a field with sanitize
			// false on purpose.
			later := NewSet(s, Config{})
			later.core.auth.Rounds = 1000
			field(later, "x_raw_html")
			// A third process opens it again: the step has nothing to do.
			third := NewSet(s, Config{})
			third.core.auth.Rounds = 1000
			id := call(third, "res.partner", "create", map[string]any{"name": "html", "x_old_html": dirty, "x_raw_html": dirty})
			got := call(third, "res.partner", "read", []any{id}, []any{"x_old_html", "x_raw_html"}).(*models.Table).Records()[0]
			if got["x_old_html"] != "<p>Hi</p>" || got["x_raw_html"] != dirty {
				t.Errorf("the partner reads %v", got)
			}
			flags := call(third, "ir.model.fields", "search_read", []any{[]any{"model", "=", "res.partner"}, []any{"name", "in", []any{"x_old_html", "x_raw_html"}}}, []any{"name", "sanitize"}).(*models.Table).Records()
			for _, r := range flags {
				if want := r["name"] == "x_old_html"; r["sanitize"] != want {
					t.Errorf("%v: sanitize %v, want %v", r["name"], r["sanitize"], want)
				}
			}
			if len(flags) != 2 {
				t.Errorf("the fields read %v", flags)
			}
		})
	}
}
