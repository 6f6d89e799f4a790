package base_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/storetest"
)

// BenchmarkEnsureSchema measures what opening a database adds to the
// migrations for the base declarations once their schema is made: reading
// the live schema and finding nothing to create.
func BenchmarkEnsureSchema(b *testing.B) {
	r := storetest.Base(b)
	storetest.Each(b, func(b *testing.B, s models.Store, db *bun.DB) {
		ctx := context.Background()
		storetest.Migrate(b, s, db)
		// The models no migration creates (most of Odoo's) are made by the
		// first opening.
		if _, err := models.EnsureSchema(ctx, db, s.Dialect(), r); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if ran, err := models.EnsureSchema(ctx, db, s.Dialect(), r); err != nil || len(ran) != 0 {
				b.Fatal(ran, err)
			}
		}
	})
}

// BenchmarkRegister measures building the base models from their
// declarations, which every registry does once.
func BenchmarkRegister(b *testing.B) {
	for b.Loop() {
		if err := base.Register(models.NewRegistry()); err != nil {
			b.Fatal(err)
		}
	}
}
