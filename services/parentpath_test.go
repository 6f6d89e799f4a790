package services

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestCreateFillsParentPaths checks that db create and a module install
// leave every menu with its parent_path, so that the first process to open
// a new database has nothing to repair (and writes nothing) there.
func TestCreateFillsParentPaths(t *testing.T) {
	eachStore(t, func(t *testing.T, s models.Store) {
		ctx := context.Background()
		name := fmt.Sprintf("ppath%d", time.Now().UnixNano())
		t.Cleanup(func() {
			if s.Dialect() == "pg" && storetest.DropLater(name) {
				return
			}
			_ = s.Drop(context.Background(), name)
		})
		set := newTestSet(s)
		if err := set.Database.Create(ctx, name, CreateOptions{AdminPassword: testAdminPassword}); err != nil {
			t.Fatal(err)
		}
		missing := func(step string) {
			t.Helper()
			db, err := s.Open(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			var total, without int
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*), COUNT(*) FILTER (WHERE parent_path IS NULL OR parent_path = '') FROM ir_ui_menu").Scan(&total, &without); err != nil {
				t.Fatal(err)
			}
			if total == 0 || without != 0 {
				t.Errorf("after %s: %d of %d menus lack their parent_path", step, without, total)
			}
		}
		missing("db create")
		if err := set.Database.InstallModules(ctx, name, []string{"sale_management"}); err != nil {
			t.Fatal(err)
		}
		missing("installing sale_management")
	})
}
