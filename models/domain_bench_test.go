package models_test

import (
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// BenchmarkCompileDomain parses a realistic res.partner domain and builds its
// SQL condition, for each dialect: the work every search does before it
// reaches the database.
func BenchmarkCompileDomain(b *testing.B) {
	reg := storetest.Base(b)
	domain := []any{
		"|", []any{"is_company", "=", true},
		"&", []any{"name", "ilike", "azure"},
		"&", []any{"country_id.code", "in", []any{"BE", "FR", "LU"}},
		"!", []any{"email", "=", false},
		[]any{"active", "=", true},
		[]any{"parent_id", "child_of", []any{int64(7)}},
	}
	for _, dialect := range []string{"sqlite", "pg"} {
		b.Run(dialect, func(b *testing.B) {
			if _, _, err := models.CompileDomain(reg, dialect, "res.partner", domain); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := models.CompileDomain(reg, dialect, "res.partner", domain); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
