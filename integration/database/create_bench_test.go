package database_test

import (
	"context"
	"testing"

	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/services"
)

// BenchmarkCreateDatabase measures what a new database with demo data
// costs on each store: the schema of every declared model, Odoo's groups,
// access rows and rules, and the bookkeeping rows of every model's fields
// and selection values. The test suite makes hundreds of them.
func BenchmarkCreateDatabase(b *testing.B) {
	for name, mk := range itest.Stores(b) {
		b.Run(name, func(b *testing.B) {
			store := mk(b)
			b.Cleanup(func() { store.Close() })
			set := itest.NewSet(store, services.Config{MasterPassword: itest.MasterPassword})
			for i := 0; i < b.N; i++ {
				db := itest.UniqueName("bc_")
				if err := set.Database.Create(context.Background(), db, services.CreateOptions{AdminPassword: itest.AdminPassword, AdminLogin: "admin", Demo: true}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if _, err := set.Database.DropNoCheck(context.Background(), db); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}

// BenchmarkTemplateDatabase measures what the test suite pays instead for
// each new database: a copy of the run's template (a file copy on SQLite,
// CREATE DATABASE … TEMPLATE on PostgreSQL) and its new identity.
func BenchmarkTemplateDatabase(b *testing.B) {
	for name, mk := range itest.Stores(b) {
		b.Run(name, func(b *testing.B) {
			store := mk(b)
			b.Cleanup(func() { store.Close() })
			set := itest.NewSet(store, services.Config{MasterPassword: itest.MasterPassword})
			itest.RegisterTestModel(set.Registry())
			db := itest.UniqueName("bt_")
			itest.CreateFromTemplate(b, store, set, db, true) // the template itself is made once
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				db := itest.UniqueName("bt_")
				if !itest.CreateFromTemplate(b, store, set, db, true) {
					b.Fatal("no template for this store")
				}
				b.StopTimer()
				if _, err := set.Database.DropNoCheck(context.Background(), db); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}
