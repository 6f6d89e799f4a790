package models_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/storetest"
)

// TestCompanyDependent checks, on both stores, res.partner's barcode, a
// company-dependent field of Odoo 18's base: a user of two companies
// reads, writes, searches, orders and groups each company's own value as
// allowed_company_ids switches between them, a company without a value
// reads the field's ir.default (its own company's before the global one),
// and the column holds one entry per company.
func TestCompanyDependent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		reg, inTx := storetest.Modules(t, s, db)
		partners := reg.Model("res.partner")
		var main, other, uid, p1, p2, p3 int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			if _, err := env.Scalar(ctx, &main, "SELECT MIN(id) FROM res_company"); err != nil {
				return err
			}
			var err error
			if other, err = env.Create(ctx, reg.Model("res.company"), map[string]any{"name": "Second Company"}); err != nil {
				return err
			}
			if uid, err = storetest.InternalUser(ctx, env, "per_company_user"); err != nil {
				return err
			}
			if err := env.Write(ctx, reg.Model("res.users"), []int64{uid}, map[string]any{
				"company_ids": []any{[]any{int64(6), int64(0), []any{main, other}}}, "company_id": main}); err != nil {
				return err
			}
			for i, id := range []*int64{&p1, &p2, &p3} {
				if *id, err = env.Create(ctx, partners, map[string]any{"name": fmt.Sprintf("Per company %d", i+1), "company_id": false}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		as := func(env *models.Env, company int64) *models.Env {
			return env.WithContext(map[string]any{"allowed_company_ids": []any{company}})
		}
		barcodes := func(t *testing.T, env *models.Env, ids ...int64) []any {
			t.Helper()
			recs, err := env.Read(ctx, partners, ids, []string{"barcode"}, true)
			if err != nil {
				t.Fatal(err)
			}
			var out []any
			for _, r := range recs {
				out = append(out, r["barcode"])
			}
			return out
		}
		search := func(t *testing.T, env *models.Env, domain []any, order string) []int64 {
			t.Helper()
			domain = append([]any{[]any{"id", "in", []any{p1, p2, p3}}}, domain...)
			ids, err := env.Search(ctx, partners, domain, models.SearchOptions{Order: order})
			if err != nil {
				t.Fatal(err)
			}
			return ids
		}
		if err := inTx(uid, func(env *models.Env) error {
			a, b := as(env, main), as(env, other)
			// The user's own company, named by no context, is the main one.
			if err := env.Write(ctx, partners, []int64{p1}, map[string]any{"barcode": "A1"}); err != nil {
				return err
			}
			if err := a.Write(ctx, partners, []int64{p2}, map[string]any{"barcode": "A0"}); err != nil {
				return err
			}
			if got := barcodes(t, b, p1, p2); !slices.Equal(got, []any{false, false}) {
				t.Errorf("the second company reads %v before it wrote, want nothing", got)
			}
			if err := b.Write(ctx, partners, []int64{p1}, map[string]any{"barcode": "B0"}); err != nil {
				return err
			}
			if err := b.Write(ctx, partners, []int64{p2}, map[string]any{"barcode": "B1"}); err != nil {
				return err
			}
			if got := barcodes(t, a, p1, p2); !slices.Equal(got, []any{"A1", "A0"}) {
				t.Errorf("the main company reads %v, want [A1 A0]", got)
			}
			if got := barcodes(t, b, p1, p2); !slices.Equal(got, []any{"B0", "B1"}) {
				t.Errorf("the second company reads %v, want [B0 B1]", got)
			}
			if got := search(t, a, []any{[]any{"barcode", "=", "A1"}}, ""); !slices.Equal(got, []int64{p1}) {
				t.Errorf("barcode = A1 for the main company finds %v, want [%d]", got, p1)
			}
			if got := search(t, b, []any{[]any{"barcode", "=", "A1"}}, ""); len(got) != 0 {
				t.Errorf("barcode = A1 for the second company finds %v, want none", got)
			}
			if got := search(t, b, []any{[]any{"barcode", "=", false}}, ""); !slices.Equal(got, []int64{p3}) {
				t.Errorf("barcode = False for the second company finds %v, want [%d]", got, p3)
			}
			if got := search(t, a, []any{[]any{"barcode", "!=", false}}, "barcode"); !slices.Equal(got, []int64{p2, p1}) {
				t.Errorf("the main company's order by barcode is %v, want [%d %d]", got, p2, p1)
			}
			if got := search(t, b, []any{[]any{"barcode", "!=", false}}, "barcode"); !slices.Equal(got, []int64{p1, p2}) {
				t.Errorf("the second company's order by barcode is %v, want [%d %d]", got, p1, p2)
			}
			groups, err := reg.Call(ctx, b, "res.partner", "read_group",
				[]any{[]any{[]any{"id", "in", []any{p1, p2, p3}}}, []any{"barcode"}, []any{"barcode"}}, map[string]any{"orderby": "barcode"})
			if err != nil {
				return err
			}
			var keys []any
			for _, g := range groups.([]any) {
				k, _ := g.(*models.Dict).Get("barcode")
				keys = append(keys, k)
			}
			if !slices.Equal(keys, []any{"B0", "B1", false}) {
				t.Errorf("the second company's groups are %v, want [B0 B1 false]", keys)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		// The fallback: ir.default's value of the company, else of all.
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			var field int64
			if _, err := env.Scalar(ctx, &field, "SELECT id FROM ir_model_fields WHERE model = 'res.partner' AND name = 'barcode'"); err != nil {
				return err
			}
			defaults := reg.Model("ir.default")
			if _, err := env.Create(ctx, defaults, map[string]any{"field_id": field, "json_value": `"ALL"`}); err != nil {
				return err
			}
			_, err := env.Create(ctx, defaults, map[string]any{"field_id": field, "json_value": `"SECOND"`, "company_id": other})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := inTx(uid, func(env *models.Env) error {
			a, b := as(env, main), as(env, other)
			if got := barcodes(t, a, p1, p3); !slices.Equal(got, []any{"A1", "ALL"}) {
				t.Errorf("the main company reads %v, want [A1 ALL]", got)
			}
			if got := barcodes(t, b, p1, p3); !slices.Equal(got, []any{"B0", "SECOND"}) {
				t.Errorf("the second company reads %v, want [B0 SECOND]", got)
			}
			if got := search(t, b, []any{[]any{"barcode", "=", "SECOND"}}, ""); !slices.Equal(got, []int64{p3}) {
				t.Errorf("barcode = SECOND for the second company finds %v, want [%d]", got, p3)
			}
			// A value written as False is the company's own: no fallback.
			if err := a.Write(ctx, partners, []int64{p3}, map[string]any{"barcode": false}); err != nil {
				return err
			}
			if got := barcodes(t, a, p3); !slices.Equal(got, []any{false}) {
				t.Errorf("a barcode written False reads %v, want false", got)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		// A read of other fields costs nothing more: no statement reads
		// the company or the defaults, none names the JSON column.
		if err := inTx(uid, func(env *models.Env) error {
			idb := &stmtIDB{IDB: env.DB}
			env.DB = idb
			if _, err := env.SearchRead(ctx, partners, []any{[]any{"id", "in", []any{p1, p2}}}, models.SearchOptions{},
				[]string{"name", "email", "is_company"}, true); err != nil {
				return err
			}
			for _, q := range idb.stmts {
				if strings.Contains(q, "ir_default") || strings.Contains(q, "barcode") || strings.Contains(q, "SELECT company_id FROM res_users") {
					t.Errorf("a read without company-dependent fields ran %q", q)
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		// ir.model.fields tells the field is company-dependent, as Odoo's.
		var flagged bool
		if err := db.QueryRowContext(ctx, "SELECT company_dependent FROM ir_model_fields WHERE model = 'res.partner' AND name = 'barcode'").Scan(&flagged); err != nil || !flagged {
			t.Errorf("ir.model.fields of res.partner.barcode: company_dependent %v (%v), want true", flagged, err)
		}
		// The column: one entry per company that wrote.
		var raw string
		if err := db.QueryRowContext(ctx, "SELECT barcode FROM res_partner WHERE id = ?", p1).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf(`{"%d":"A1","%d":"B0"}`, main, other); compactJSON(raw) != want {
			t.Errorf("the column holds %s, want %s", raw, want)
		}
	})
}

// compactJSON drops the spaces PostgreSQL's jsonb writes after colons and
// commas.
func compactJSON(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

// perCompanyModels declares x.cd.owner with a price, a target and a flag,
// kept per company when perCompany is set, else one value per record, as
// a field that became company-dependent was before.
func perCompanyModels(perCompany bool) []string {
	cd := ""
	if perCompany {
		cd = `, "company_dependent": true, "searchable": true, "store": true`
	}
	return []string{
		`{"model": "x.cd.target", "fields": {"name": {"type": "char"}, "code": {"type": "char", "string": "Code"` + cd + `}}}`,
		`{"model": "x.cd.owner", "fields": {
			"name": {"type": "char"},
			"company_id": {"type": "many2one", "relation": "res.company"},
			"price": {"type": "float", "string": "Price"` + cd + `},
			"target_id": {"type": "many2one", "relation": "x.cd.target", "string": "Target"` + cd + `},
			"flag": {"type": "boolean", "string": "Flag"` + cd + `}
		}}`,
	}
}

// TestCompanyDependentUpgrade checks, on both stores, a database whose
// fields become company-dependent: the schema's upgrade keeps each
// record's value as its company's, and the value of a record of no
// company as every company's (it was what each of them saw), the schema
// then matches the declarations, the fields' existing
// ir.model.fields rows say company_dependent, and a deleted target
// of a company-dependent many2one leaves its companies' values empty.
func TestCompanyDependentUpgrade(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		storetest.Modules(t, s, db)
		x := struct{ ctx context.Context }{context.Background()}
		plain, perCompany := storetest.Base(t), storetest.Base(t)
		storetest.Declare(t, plain, perCompanyModels(false)...)
		storetest.Declare(t, perCompany, perCompanyModels(true)...)
		if _, err := models.EnsureSchema(x.ctx, db, s.Dialect(), plain); err != nil {
			t.Fatal(err)
		}
		run := func(r *models.Registry, company int64, fn func(env *models.Env) error) {
			t.Helper()
			if err := db.RunInTx(x.ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
				env := models.NewEnv(tx, s.Dialect(), r, s.Classify, models.SuperuserID, time.Now())
				if company != 0 {
					env = env.WithContext(map[string]any{"allowed_company_ids": []any{company}})
				}
				return fn(env)
			}); err != nil {
				t.Fatal(err)
			}
		}
		var main, other, third, t1, t2, o1, o2 int64
		run(plain, 0, func(env *models.Env) error {
			// The fields' rows are made before they are company-dependent.
			if err := base.SyncModels(x.ctx, env); err != nil {
				return err
			}
			if _, err := env.Scalar(x.ctx, &main, "SELECT MIN(id) FROM res_company"); err != nil {
				return err
			}
			var err error
			if other, err = env.Create(x.ctx, plain.Model("res.company"), map[string]any{"name": "Upgrade Second"}); err != nil {
				return err
			}
			if third, err = env.Create(x.ctx, plain.Model("res.company"), map[string]any{"name": "Upgrade Third"}); err != nil {
				return err
			}
			targets, owners := plain.Model("x.cd.target"), plain.Model("x.cd.owner")
			if t1, err = env.Create(x.ctx, targets, map[string]any{"name": "T1", "code": "C1"}); err != nil {
				return err
			}
			if t2, err = env.Create(x.ctx, targets, map[string]any{"name": "T2"}); err != nil {
				return err
			}
			if o1, err = env.Create(x.ctx, owners, map[string]any{"name": "O1", "company_id": other, "price": 5.5, "target_id": t1, "flag": true}); err != nil {
				return err
			}
			o2, err = env.Create(x.ctx, owners, map[string]any{"name": "O2", "price": 7.0, "target_id": t2})
			return err
		})
		ran, err := models.EnsureSchema(x.ctx, db, s.Dialect(), perCompany)
		if err != nil {
			t.Fatal(err)
		}
		if len(ran) == 0 {
			t.Fatal("the upgrade ran no statement")
		}
		diff, err := models.SchemaDiff(x.ctx, db, s.Dialect(), perCompany)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range diff {
			if strings.Contains(d, "x_cd_owner") {
				t.Errorf("after the upgrade: %s", d)
			}
		}
		read := func(company int64) []any {
			t.Helper()
			var out []any
			run(perCompany, company, func(env *models.Env) error {
				recs, err := env.Read(x.ctx, perCompany.Model("x.cd.owner"), []int64{o1, o2}, []string{"price", "target_id", "flag"}, false)
				for _, r := range recs {
					out = append(out, r["price"], r["target_id"], r["flag"])
				}
				return err
			})
			return out
		}
		if got, want := read(main), []any{0.0, false, false, 7.0, t2, false}; !slices.Equal(got, want) {
			t.Errorf("the main company reads %v, want %v", got, want)
		}
		if got, want := read(other), []any{5.5, t1, true, 7.0, t2, false}; !slices.Equal(got, want) {
			t.Errorf("the second company reads %v, want %v", got, want)
		}
		if got, want := read(third), []any{0.0, false, false, 7.0, t2, false}; !slices.Equal(got, want) {
			t.Errorf("the third company reads %v, want %v", got, want)
		}
		// x.cd.target has no company_id: its values are every company's.
		for _, company := range []int64{main, other, third} {
			run(perCompany, company, func(env *models.Env) error {
				recs, err := env.Read(x.ctx, perCompany.Model("x.cd.target"), []int64{t1, t2}, []string{"code"}, false)
				if err == nil && (len(recs) != 2 || recs[0]["code"] != "C1" || recs[1]["code"] != false) {
					t.Errorf("company %d reads the targets' codes %v, want C1 and false", company, recs)
				}
				return err
			})
		}
		run(perCompany, other, func(env *models.Env) error {
			ids, err := env.Search(x.ctx, perCompany.Model("x.cd.owner"), []any{[]any{"target_id", "=", t1}}, models.SearchOptions{})
			if err == nil && !slices.Equal(ids, []int64{o1}) {
				t.Errorf("target_id = T1 for the second company finds %v, want [%d]", ids, o1)
			}
			if err != nil {
				return err
			}
			return env.Unlink(x.ctx, perCompany.Model("x.cd.target"), []int64{t1})
		})
		if got, want := read(other), []any{5.5, false, true, 7.0, t2, false}; !slices.Equal(got, want) {
			t.Errorf("after T1's deletion the second company reads %v, want %v", got, want)
		}
		if got, want := read(main), []any{0.0, false, false, 7.0, t2, false}; !slices.Equal(got, want) {
			t.Errorf("after T1's deletion the main company reads %v, want %v", got, want)
		}
		// A target that is the companies' default cannot go.
		run(perCompany, 0, func(env *models.Env) error {
			if err := base.SyncModels(x.ctx, env); err != nil {
				return err
			}
			var marked int64
			if _, err := env.Scalar(x.ctx, &marked, `SELECT COUNT(*) FROM ir_model_fields
				WHERE model = 'x.cd.owner' AND name IN ('price', 'target_id', 'flag') AND company_dependent`); err != nil {
				return err
			}
			if marked != 3 {
				t.Errorf("%d of the fields' existing rows say company_dependent after the upgrade, want 3", marked)
			}
			var field int64
			if _, err := env.Scalar(x.ctx, &field, "SELECT id FROM ir_model_fields WHERE model = 'x.cd.owner' AND name = 'target_id'"); err != nil {
				return err
			}
			_, err := env.Create(x.ctx, perCompany.Model("ir.default"), map[string]any{"field_id": field, "json_value": fmt.Sprint(t2)})
			return err
		})
		run(perCompany, 0, func(env *models.Env) error {
			err := env.Unlink(x.ctx, perCompany.Model("x.cd.target"), []int64{t2})
			want := fmt.Sprintf("Unable to delete x.cd.target(%d,) because it is used as the default value of x.cd.owner.target_id", t2)
			if err == nil || err.Error() != want {
				t.Errorf("deleting the default: %v, want %q", err, want)
			}
			return nil
		})
	})
}

// TestCompanyDependentUpgradeText checks, on both stores, a database
// whose res.partner barcode still holds plain text in a TEXT column, as
// before the field was company-dependent: on SQLite a JSON column is TEXT
// too, so the upgrade must tell the two apart by their values. After it,
// every company reads the shared partner's barcode, and a second upgrade
// changes nothing.
func TestCompanyDependentUpgradeText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		reg, inTx := storetest.Modules(t, s, db)
		partners := reg.Model("res.partner")
		var main, other, p int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			if _, err := env.Scalar(ctx, &main, "SELECT MIN(id) FROM res_company"); err != nil {
				return err
			}
			var err error
			if other, err = env.Create(ctx, reg.Model("res.company"), map[string]any{"name": "Text Upgrade Second"}); err != nil {
				return err
			}
			if p, err = env.Create(ctx, partners, map[string]any{"name": "Text Upgrade Partner"}); err != nil {
				return err
			}
			if s.Dialect() == "pg" {
				if _, err := env.Exec(ctx, "ALTER TABLE res_partner ALTER COLUMN barcode TYPE TEXT USING NULL"); err != nil {
					return err
				}
			}
			_, err = env.Exec(ctx, "UPDATE res_partner SET barcode = 'OLD-123' WHERE id = ?", p)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for round := 1; round <= 2; round++ {
			if _, err := models.EnsureSchema(ctx, db, s.Dialect(), reg); err != nil {
				t.Fatalf("upgrade %d: %v", round, err)
			}
			for _, company := range []int64{main, other} {
				if err := inTx(models.SuperuserID, func(env *models.Env) error {
					env = env.WithContext(map[string]any{"allowed_company_ids": []any{company}})
					recs, err := env.Read(ctx, partners, []int64{p}, []string{"barcode"}, false)
					if err == nil && (len(recs) != 1 || recs[0]["barcode"] != "OLD-123") {
						t.Errorf("upgrade %d: company %d reads %v, want barcode OLD-123", round, company, recs)
					}
					return err
				}); err != nil {
					t.Errorf("upgrade %d: company %d: %v", round, company, err)
				}
			}
		}
	})
}

// TestCompanyDependentDangling checks, on both stores, that a
// company-dependent many2one refuses an id of no record, as a regular
// many2one's foreign key does and with its message, on create and on a
// write of several records, and leaves the stored values as they were.
func TestCompanyDependentDangling(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		storetest.Modules(t, s, db)
		r := storetest.Base(t)
		storetest.Declare(t, r, perCompanyModels(true)...)
		if _, err := models.EnsureSchema(ctx, db, s.Dialect(), r); err != nil {
			t.Fatal(err)
		}
		owners, targets := r.Model("x.cd.owner"), r.Model("x.cd.target")
		want := "The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\n" +
			"Model: " + owners.Description + " (x.cd.owner)\nConstraint: x_cd_owner_target_id_fkey\n"
		run := func(fn func(env *models.Env) error) {
			t.Helper()
			if err := db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
				return fn(models.NewEnv(tx, s.Dialect(), r, s.Classify, models.SuperuserID, time.Now()))
			}); err != nil {
				t.Fatal(err)
			}
		}
		var target, o1, o2 int64
		run(func(env *models.Env) error {
			var err error
			if target, err = env.Create(ctx, targets, map[string]any{"name": "T"}); err != nil {
				return err
			}
			if o1, err = env.Create(ctx, owners, map[string]any{"name": "O1", "target_id": target}); err != nil {
				return err
			}
			o2, err = env.Create(ctx, owners, map[string]any{"name": "O2"})
			return err
		})
		missing := target + 1000
		check := func(what string, err error) {
			t.Helper()
			if e := models.AsError(err); e == nil || e.Kind != models.KindValidation || e.Message != want {
				t.Errorf("%s: %v, want %q", what, err, want)
			}
		}
		run(func(env *models.Env) error {
			_, err := env.Create(ctx, owners, map[string]any{"name": "O3", "target_id": missing})
			check("create", err)
			check("write", env.Write(ctx, owners, []int64{o1, o2}, map[string]any{"target_id": missing}))
			return nil
		})
		run(func(env *models.Env) error {
			recs, err := env.Read(ctx, owners, []int64{o1, o2}, []string{"target_id"}, false)
			if err == nil && (len(recs) != 2 || recs[0]["target_id"] != target || recs[1]["target_id"] != false) {
				t.Errorf("after the refused write the owners read %v, want %d and false", recs, target)
			}
			var n int64
			if _, err := env.Scalar(ctx, &n, "SELECT COUNT(*) FROM x_cd_owner WHERE name = 'O3'"); err != nil || n != 0 {
				t.Errorf("the refused create left %d records (%v)", n, err)
			}
			return err
		})
	})
}

// TestCompanyDependentRule checks, on both stores, a record rule whose
// domain names res.partner's barcode, a company-dependent field: with one
// access cache for every transaction, each user sees the partners its
// call's company's barcodes allow, whichever company it used first. The
// rule's SQL holds the call's company, so it is never kept for another.
func TestCompanyDependentRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		reg, inTx := storetest.Modules(t, s, db)
		partners := reg.Model("res.partner")
		var main, other, p1, p2 int64
		var users [2]int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			if _, err := env.Scalar(ctx, &main, "SELECT MIN(id) FROM res_company"); err != nil {
				return err
			}
			var err error
			if other, err = env.Create(ctx, reg.Model("res.company"), map[string]any{"name": "Rule Second Company"}); err != nil {
				return err
			}
			for i := range users {
				if users[i], err = storetest.InternalUser(ctx, env, fmt.Sprintf("rule_company_user_%d", i)); err != nil {
					return err
				}
				if err := env.Write(ctx, reg.Model("res.users"), []int64{users[i]}, map[string]any{
					"company_ids": []any{[]any{int64(6), int64(0), []any{main, other}}}, "company_id": main}); err != nil {
					return err
				}
			}
			// p1 is seen by the main company, p2 by the second.
			for _, p := range []struct {
				id         *int64
				name       string
				seenByMain bool
			}{{&p1, "Rule CD 1", true}, {&p2, "Rule CD 2", false}} {
				if *p.id, err = env.Create(ctx, partners, map[string]any{"name": p.name, "company_id": false}); err != nil {
					return err
				}
				for _, c := range []int64{main, other} {
					barcode := "HIDDEN"
					if (c == main) == p.seenByMain {
						barcode = "SEEN"
					}
					err := env.WithContext(map[string]any{"allowed_company_ids": []any{c}}).Write(ctx, partners, []int64{*p.id},
						map[string]any{"barcode": barcode + p.name})
					if err != nil {
						return err
					}
				}
			}
			model, err := env.Search(ctx, reg.Model("ir.model"), []any{[]any{"model", "=", "res.partner"}}, models.SearchOptions{})
			if err != nil || len(model) != 1 {
				return fmt.Errorf("res.partner's ir.model: %v %v", model, err)
			}
			// Base's multi-company rule names the call's companies, which
			// would key the kept rule by them: the rule checked is alone.
			rules := reg.Model("ir.rule")
			multi, err := env.Search(ctx, rules, []any{[]any{"model_id", "=", model[0]}}, models.SearchOptions{})
			if err != nil {
				return err
			}
			if err := env.Write(ctx, rules, multi, map[string]any{"active": false}); err != nil {
				return err
			}
			_, err = env.Create(ctx, rules, map[string]any{"name": "Seen barcodes", "model_id": model[0],
				"domain_force": `["|", ["barcode", "=like", "SEEN%"], ["name", "not like", "Rule CD"]]`})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		want := map[int64][]int64{main: {p1}, other: {p2}}
		cache := models.NewAccessCache()
		for i, order := range [][]int64{{main, other, main}, {other, main, other}} {
			for _, company := range order {
				if err := inTx(users[i], func(env *models.Env) error {
					env.Access = cache
					env = env.WithContext(map[string]any{"allowed_company_ids": []any{company}})
					// The rule's fallback is read under the call's
					// context (its deadline and cancellation).
					idb := &ctxIDB{IDB: env.DB}
					env.DB = idb
					call := context.WithValue(ctx, callKey{}, true)
					got, err := env.Search(call, partners, []any{[]any{"id", "in", []any{p1, p2}}}, models.SearchOptions{Order: "id"})
					if err != nil {
						return err
					}
					if idb.defaults == 0 || idb.foreign != 0 {
						t.Errorf("the rule read ir.default %d times, %d of them outside the call's context", idb.defaults, idb.foreign)
					}
					if !slices.Equal(got, want[company]) {
						t.Errorf("user %d of company %d sees %v, want %v", i+1, company, got, want[company])
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// callKey marks a call's context.
type callKey struct{}

// ctxIDB counts the queries of ir_default and those of them run under a
// context without callKey.
type ctxIDB struct {
	bun.IDB
	defaults, foreign int
}

func (s *ctxIDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if strings.Contains(q, "ir_default") {
		s.defaults++
		if ctx.Value(callKey{}) == nil {
			s.foreign++
		}
	}
	return s.IDB.QueryContext(ctx, q, args...)
}
