package base_test

import (
	"context"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestCompanyMakesItsPartner checks, on both stores, that a company
// created without a partner gets one made from its values, as Odoo's
// create makes it, and that one created with a partner keeps it.
func TestCompanyMakesItsPartner(t *testing.T) {
	storetest.EachFrom(t, installed, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r, inTx := baseDB(t, s, db)
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			companies, partners := r.Model("res.company"), r.Model("res.partner")
			id, err := env.Create(ctx, companies, map[string]any{"name": "New Co", "email": "new@co.example", "phone": false})
			if err != nil {
				return err
			}
			recs, err := env.Read(ctx, companies, []int64{id}, []string{"partner_id"}, false)
			if err != nil {
				return err
			}
			pid, _ := models.ToInt64(recs[0]["partner_id"])
			p, err := env.Read(ctx, partners, []int64{pid}, []string{"name", "is_company", "email", "phone"}, false)
			if err != nil {
				return err
			}
			if got := p[0]; got["name"] != "New Co" || got["is_company"] != true || got["email"] != "new@co.example" || got["phone"] != false {
				t.Errorf("the new company's partner: %v", got)
			}
			own, err := env.Create(ctx, partners, map[string]any{"name": "Own", "is_company": true})
			if err != nil {
				return err
			}
			before, err := env.SearchCount(ctx, partners, []any{}, 0)
			if err != nil {
				return err
			}
			id, err = env.Create(ctx, companies, map[string]any{"name": "Second Co", "partner_id": own})
			if err != nil {
				return err
			}
			after, err := env.SearchCount(ctx, partners, []any{}, 0)
			if err != nil {
				return err
			}
			recs, err = env.Read(ctx, companies, []int64{id}, []string{"partner_id"}, false)
			if err != nil {
				return err
			}
			if got, _ := models.ToInt64(recs[0]["partner_id"]); got != own || after != before {
				t.Errorf("a company given a partner: partner %v, %d partners made", recs[0]["partner_id"], after-before)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestCompanyJoinsItsCreator checks, on both stores, that a new company
// is added to the companies of the user who created it and of the
// superuser, and that its currency is made active, as Odoo's create does.
func TestCompanyJoinsItsCreator(t *testing.T) {
	storetest.EachFrom(t, installed, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r, inTx := baseDB(t, s, db)
		companies, users, currencies := r.Model("res.company"), r.Model("res.users"), r.Model("res.currency")
		var admin, inactive int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			ids, err := env.Search(ctx, users, []any{[]any{"login", "=", "admin"}}, models.SearchOptions{})
			if err != nil || len(ids) != 1 {
				t.Fatalf("admin: %v %v", ids, err)
			}
			admin = ids[0]
			ids, err = env.Search(ctx, currencies, []any{[]any{"active", "=", false}}, models.SearchOptions{Limit: 1, Order: "id"})
			if err != nil || len(ids) != 1 {
				t.Fatalf("an inactive currency: %v %v", ids, err)
			}
			inactive = ids[0]
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name    string
			creator int64
			vals    map[string]any
		}{
			{"by the administrator", admin, map[string]any{"name": "Admin's Co"}},
			{"by the superuser, in an inactive currency", models.SuperuserID, map[string]any{"name": "System's Co", "currency_id": inactive}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := inTx(tc.creator, func(env *models.Env) error {
					id, err := env.Create(ctx, companies, tc.vals)
					if err != nil {
						return err
					}
					recs, err := env.Sudo().Read(ctx, users, []int64{admin, models.SuperuserID}, []string{"company_ids"}, false)
					if err != nil {
						return err
					}
					for _, rec := range recs {
						ids, _ := models.IDList(rec["company_ids"])
						if has := slices.Contains(ids, id); has != (rec["id"] == tc.creator || rec["id"] == models.SuperuserID) {
							t.Errorf("user %v's companies %v, the new company %d", rec["id"], ids, id)
						}
					}
					cur, err := env.Sudo().Read(ctx, companies, []int64{id}, []string{"currency_id"}, false)
					if err != nil {
						return err
					}
					cid, _ := models.ToInt64(cur[0]["currency_id"])
					act, err := env.Sudo().Read(ctx, currencies, []int64{cid}, []string{"active"}, false)
					if err != nil {
						return err
					}
					if act[0]["active"] != true {
						t.Errorf("the new company's currency %d is not active", cid)
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			})
		}
	})
}

// TestCompanyHierarchyFixed checks, on both stores, that a company's
// parent is given at its creation and never written after, as Odoo 18's
// res.company.write refuses any parent_id with a UserError, even the
// value the company has, and that the refused write leaves the parent as
// it was.
func TestCompanyHierarchyFixed(t *testing.T) {
	storetest.EachFrom(t, installed, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r, inTx := baseDB(t, s, db)
		companies := r.Model("res.company")
		var root, branch, other int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			var err error
			if root, err = env.Create(ctx, companies, map[string]any{"name": "Fixed Root"}); err != nil {
				return err
			}
			if branch, err = env.Create(ctx, companies, map[string]any{"name": "Fixed Branch", "parent_id": root}); err != nil {
				return err
			}
			other, err = env.Create(ctx, companies, map[string]any{"name": "Fixed Other"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			id     int64
			parent any
		}{
			{"a branch moved under another company", branch, other},
			{"a branch made a root", branch, false},
			{"a branch written its own parent", branch, root},
			{"a root put under another company", root, other},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := inTx(models.SuperuserID, func(env *models.Env) error {
					return env.Write(ctx, companies, []int64{tc.id}, map[string]any{"parent_id": tc.parent, "name": "Renamed"})
				})
				if e := models.AsError(err); e == nil || e.Kind != models.KindUser || e.Message != "The company hierarchy cannot be changed." {
					t.Fatalf("the write: %v, want the UserError of a changed hierarchy", err)
				}
				if err := inTx(models.SuperuserID, func(env *models.Env) error {
					recs, err := env.Read(ctx, companies, []int64{branch, root}, []string{"name", "parent_id"}, false)
					if err != nil {
						return err
					}
					if p, _ := models.ToInt64(recs[0]["parent_id"]); p != root || recs[0]["name"] != "Fixed Branch" || recs[1]["parent_id"] != false {
						t.Errorf("after the refused write: %v", recs)
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			})
		}
	})
}

// TestCompanyAddressIsItsPartners checks, on both stores, that a
// company's address fields are its partner's, as Odoo 18's
// _compute_address and inverses make them: written on a company (on
// create, with or without a partner, and on write) they land on the
// partner and read back from it, and a partner's address written
// directly is the company's. A domain on them is ignored, as Odoo
// ignores a field it cannot search.
func TestCompanyAddressIsItsPartners(t *testing.T) {
	storetest.EachFrom(t, installed, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r, inTx := baseDB(t, s, db)
		companies, partners := r.Model("res.company"), r.Model("res.partner")
		fields := []string{"street", "street2", "zip", "city", "state_id", "country_id"}
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			countries, err := env.Search(ctx, r.Model("res.country"), []any{[]any{"code", "in", []any{"BE", "FR"}}}, models.SearchOptions{Order: "code"})
			if err != nil || len(countries) != 2 {
				t.Fatalf("countries BE and FR: %v %v", countries, err)
			}
			be, fr := countries[0], countries[1]
			own, err := env.Create(ctx, partners, map[string]any{"name": "Own Address", "is_company": true, "city": "Lille"})
			if err != nil {
				return err
			}
			check := func(what string, company int64, want map[string]any) {
				t.Helper()
				c, err := env.Read(ctx, companies, []int64{company}, append(fields, "partner_id"), false)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				pid, _ := models.ToInt64(c[0]["partner_id"])
				p, err := env.Read(ctx, partners, []int64{pid}, fields, false)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				for _, f := range fields {
					w, ok := want[f]
					if !ok {
						w = false
					}
					if c[0][f] != w || p[0][f] != w {
						t.Errorf("%s: %s is %v on the company, %v on its partner, want %v", what, f, c[0][f], p[0][f], w)
					}
				}
			}
			made, err := env.Create(ctx, companies, map[string]any{"name": "Addressed Co", "street": "Rue Haute 1", "zip": "1000",
				"city": "Brussels", "country_id": be})
			if err != nil {
				return err
			}
			check("created with a new partner", made, map[string]any{"street": "Rue Haute 1", "zip": "1000", "city": "Brussels", "country_id": be})
			given, err := env.Create(ctx, companies, map[string]any{"name": "Given Partner Co", "partner_id": own, "street": "Rue Basse 2", "country_id": fr})
			if err != nil {
				return err
			}
			check("created with a partner", given, map[string]any{"street": "Rue Basse 2", "city": "Lille", "country_id": fr})
			if err := env.Write(ctx, companies, []int64{made}, map[string]any{"country_id": fr, "city": "Paris", "street": false, "street2": "Bât. B"}); err != nil {
				return err
			}
			check("written", made, map[string]any{"zip": "1000", "city": "Paris", "street2": "Bât. B", "country_id": fr})
			if err := env.Write(ctx, partners, []int64{own}, map[string]any{"city": "Roubaix"}); err != nil {
				return err
			}
			check("its partner written", given, map[string]any{"street": "Rue Basse 2", "city": "Roubaix", "country_id": fr})
			all, err := env.SearchCount(ctx, companies, []any{}, 0)
			if err != nil {
				return err
			}
			if n, err := env.SearchCount(ctx, companies, []any{[]any{"city", "=", "Nowhere"}}, 0); err != nil || n != all {
				t.Errorf("a domain on city: %d of %d companies, %v; want it ignored", n, all, err)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}
