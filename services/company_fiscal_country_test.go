package services

import (
	"context"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestCompanyFiscalCountry checks, on both stores, that with account a
// company's fiscal country follows its country as Odoo 18 computes it
// (filled from country_id while empty, kept when the country moves
// after), written on the company or on its partner; and that a database
// an older godoo made, whose companies have none, gets it once when a
// process next opens it, so that one cleared afterwards stays cleared.
func TestCompanyFiscalCountry(t *testing.T) {
	eachStore(t, func(t *testing.T, s models.Store) {
		ctx := context.Background()
		set, name := moduleDB(t, s, "fiscal", "account")
		db, err := set.core.open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		call := adminCaller(t, set, name, testAdminPassword)
		country := func(code string) int64 {
			t.Helper()
			ids, _ := models.IDList(call("res.country", "search", []any{[]any{"code", "=", code}}))
			if len(ids) != 1 {
				t.Fatalf("country %s: %v", code, ids)
			}
			return ids[0]
		}
		be, fr, lu := country("BE"), country("FR"), country("LU")
		// fiscal is the company's fiscal country and country, 0 for none.
		fiscal := func(c *Set, id int64) (int64, int64) {
			t.Helper()
			rec := adminCaller(t, c, name, testAdminPassword)("res.company", "read", []any{id},
				[]any{"account_fiscal_country_id", "country_id"}).(*models.Table).Records()[0]
			idOf := func(v any) int64 {
				if pair, ok := v.([]any); ok && len(pair) == 2 {
					n, _ := models.ToInt64(pair[0])
					return n
				}
				return 0
			}
			return idOf(rec["account_fiscal_country_id"]), idOf(rec["country_id"])
		}
		company, _ := models.ToInt64(call("res.company", "create", map[string]any{"name": "Fiscal Co", "country_id": be}))
		if f, c := fiscal(set, company); f != be || c != be {
			t.Errorf("created in BE: fiscal country %d, country %d, want %d", f, c, be)
		}
		call("res.company", "write", []any{company}, map[string]any{"country_id": fr})
		if f, c := fiscal(set, company); f != be || c != fr {
			t.Errorf("moved to FR: fiscal country %d, country %d, want %d and %d", f, c, be, fr)
		}
		bare, _ := models.ToInt64(call("res.company", "create", map[string]any{"name": "Bare Co"}))
		if f, _ := fiscal(set, bare); f != 0 {
			t.Errorf("created without a country: fiscal country %d", f)
		}
		partner := call("res.company", "read", []any{bare}, []any{"partner_id"}).(*models.Table).Records()[0]["partner_id"].([]any)[0]
		call("res.partner", "write", []any{partner}, map[string]any{"country_id": lu})
		if f, c := fiscal(set, bare); f != lu || c != lu {
			t.Errorf("its partner given LU: fiscal country %d, country %d, want %d", f, c, lu)
		}

		// The database as an older godoo left it, asked to upgrade as
		// migration 0023 asks.
		execSQL(t, db, "UPDATE res_company SET account_fiscal_country_id = NULL")
		execSQL(t, db, "INSERT INTO godoo_module_computes_upgrade (module) VALUES ('account')")
		later := newTestSet(s)
		if f, _ := fiscal(later, company); f != fr {
			t.Errorf("after the upgrade: fiscal country %d, want the country %d", f, fr)
		}
		execSQL(t, db, "UPDATE res_company SET account_fiscal_country_id = NULL WHERE id = ?", company)
		if f, _ := fiscal(newTestSet(s), company); f != 0 {
			t.Errorf("cleared after the upgrade: fiscal country %d at the next opening, want none", f)
		}
	})
}
