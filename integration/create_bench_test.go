package integration_test

import (
	"context"
	"testing"

	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/services"
)

// BenchmarkCreateDatabase measures what a new database with demo data
// costs on SQLite: the schema of every declared model, Odoo's groups,
// access rows and rules, and the bookkeeping rows of every model's fields
// and selection values. The test suite makes hundreds of them.
func BenchmarkCreateDatabase(b *testing.B) {
	s, err := sqlitestore.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	set := newSet(s, services.Config{MasterPassword: masterPassword})
	for i := 0; i < b.N; i++ {
		db := uniqueName("bc_")
		if err := set.Database.Create(context.Background(), db, services.CreateOptions{AdminPassword: adminPassword, AdminLogin: "admin", Demo: true}); err != nil {
			b.Fatal(err)
		}
	}
}
