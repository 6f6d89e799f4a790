package itest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/godoo/godoo/services"
)

// TestTemplatesPerProcess checks that a process's templates carry its
// pid and that it drops its own and no other process's: the packages go
// test runs at once each make and drop templates on one PostgreSQL server.
func TestTemplatesPerProcess(t *testing.T) {
	ctx := context.Background()
	for name, mk := range Stores(t) {
		t.Run(name, func(t *testing.T) {
			store := mk(t)
			t.Cleanup(func() { store.Close() })
			set := NewSet(store, services.Config{MasterPassword: MasterPassword})
			db := UniqueName("it_")
			if !CreateFromTemplate(t, store, set, db, false) {
				t.Fatal("no template for a store of the test server")
			}
			t.Cleanup(func() { _, _ = set.Database.DropNoCheck(ctx, db) })
			tpl := templateFor(templateKey{dialect: store.Dialect(), rounds: TestRounds})
			own := tpl.name
			if name == "sqlite" {
				dir := templates.dir
				dropTemplates()
				if _, err := os.Stat(dir); !os.IsNotExist(err) {
					t.Errorf("the SQLite templates' folder %s is still there (%v)", dir, err)
				}
				return
			}
			if prefix := fmt.Sprintf("it_tmpl_%d_", os.Getpid()); !strings.HasPrefix(own, prefix) {
				t.Errorf("template %q does not begin with %q", own, prefix)
			}
			// Another process's template (pid 1 runs no tests).
			other := UniqueName("it_tmpl_1_")
			if err := store.Duplicate(ctx, own, other); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = store.Drop(ctx, other) })
			dropTemplates()
			for _, c := range []struct {
				name string
				want bool
			}{{own, false}, {other, true}} {
				if ok, err := store.Exists(ctx, c.name); err != nil || ok != c.want {
					t.Errorf("after the drop, %s exists = %v (%v), want %v", c.name, ok, err, c.want)
				}
			}
		})
	}
}
