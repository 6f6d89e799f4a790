package models_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// errDefaults is the failure failingDefaults gives the queries of
// ir_default.
var errDefaults = errors.New("ir_default unreadable")

// failingDefaults fails every query of ir_default.
type failingDefaults struct{ bun.IDB }

func (f failingDefaults) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if strings.Contains(q, "ir_default") {
		return nil, errDefaults
	}
	return f.IDB.QueryContext(ctx, q, args...)
}

// TestCompanyDependentX2manyOrderError checks, on both stores, that a
// one2many whose comodel is ordered by a company-dependent field fails
// a read with the error that kept the field's value from being read
// (here its fallback's), not with the SQL of an empty order.
func TestCompanyDependentX2manyOrderError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		storetest.Modules(t, s, db)
		ctx := context.Background()
		reg := storetest.Base(t)
		storetest.Declare(t, reg,
			`{"model": "x.cdo.parent", "fields": {"name": {"type": "char"},
				"line_ids": {"type": "one2many", "relation": "x.cdo.line", "relation_field": "parent_id"}}}`,
			`{"model": "x.cdo.line", "order": "rank", "fields": {
				"parent_id": {"type": "many2one", "relation": "x.cdo.parent"},
				"rank": {"type": "integer", "company_dependent": true, "searchable": true, "store": true}}}`)
		if _, err := models.EnsureSchema(ctx, db, s.Dialect(), reg); err != nil {
			t.Fatal(err)
		}
		_ = db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
			env := models.NewEnv(tx, s.Dialect(), reg, s.Classify, models.SuperuserID, time.Now())
			env = env.WithContext(map[string]any{"allowed_company_ids": []any{int64(1)}})
			parent, err := env.Create(ctx, reg.Model("x.cdo.parent"), map[string]any{"name": "P"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := env.Create(ctx, reg.Model("x.cdo.line"), map[string]any{"parent_id": parent}); err != nil {
				t.Fatal(err)
			}
			env.DB = failingDefaults{env.DB}
			_, err = env.Read(ctx, reg.Model("x.cdo.parent"), []int64{parent}, []string{"line_ids"}, false)
			if !errors.Is(err, errDefaults) {
				t.Errorf("read of line_ids: %v, want %v", err, errDefaults)
			}
			return errors.New("rolled back")
		})
	})
}
