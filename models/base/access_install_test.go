package base_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestInstalledAccessIsOdoos checks, on both stores, that a new database
// grants Odoo's rights and no more: a plain internal user reads contacts
// but neither changes nor creates them or their tags and cannot read the
// access rows; a user created without groups gets the template user's
// (contact manager, export); admin manages contacts; and a plain user writes
// their own preferences on res.users, but not their login nor another user.
func TestInstalledAccessIsOdoos(t *testing.T) {
	storetest.EachFrom(t, installed, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r, inTx := baseDB(t, s, db)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		var plain, templated, admin, other int64
		must(inTx(models.SuperuserID, func(env *models.Env) error {
			users := r.Model("res.users")
			gid, err := env.XMLID(ctx, "base.group_user")
			if err != nil {
				return err
			}
			if plain, err = env.Create(ctx, users, map[string]any{"name": "Plain", "login": "plain", "groups_id": []any{[]any{int64(6), int64(0), []any{gid}}}}); err != nil {
				return err
			}
			if other, err = env.Create(ctx, users, map[string]any{"name": "Other", "login": "other", "groups_id": []any{[]any{int64(6), int64(0), []any{gid}}}}); err != nil {
				return err
			}
			if templated, err = env.Create(ctx, users, map[string]any{"name": "Templated", "login": "templated"}); err != nil {
				return err
			}
			admin, err = env.XMLID(ctx, "base.user_admin")
			return err
		}))
		for _, c := range []struct {
			who   string
			uid   *int64
			model string
			op    models.Op
			want  bool
		}{
			{"plain", &plain, "res.partner", models.OpRead, true},
			{"plain", &plain, "res.partner", models.OpWrite, false},
			{"plain", &plain, "res.partner", models.OpCreate, false},
			{"plain", &plain, "res.partner", models.OpUnlink, false},
			{"plain", &plain, "res.partner.category", models.OpCreate, false},
			{"plain", &plain, "ir.model.access", models.OpRead, false},
			{"plain", &plain, "res.users", models.OpWrite, false},
			{"templated", &templated, "res.partner", models.OpWrite, true},
			{"templated", &templated, "res.partner.category", models.OpCreate, true},
			{"admin", &admin, "res.partner", models.OpUnlink, true},
			{"admin", &admin, "res.partner.category", models.OpCreate, true},
			{"admin", &admin, "ir.model.access", models.OpRead, true},
		} {
			must(inTx(*c.uid, func(env *models.Env) error {
				got, err := env.HasAccess(ctx, r.Model(c.model), c.op)
				if err == nil && got != c.want {
					t.Errorf("%s may %s %s: %v, want %v", c.who, c.op, c.model, got, c.want)
				}
				return err
			}))
		}
		for _, c := range []struct {
			name string
			ids  []int64
			vals map[string]any
			ok   bool
		}{
			{"own preferences", []int64{plain}, map[string]any{"tz": "Europe/Berlin", "email": "p@x.example"}, true},
			// html others' browsers show: written sanitized (read below).
			{"own signature", []int64{plain}, map[string]any{"signature": `<p onmouseover="alert(1)">P</p><script>x</script>`}, true},
			{"own login", []int64{plain}, map[string]any{"login": "renamed"}, false},
			{"another user's preferences", []int64{other}, map[string]any{"tz": "Europe/Berlin"}, false},
		} {
			err := inTx(plain, func(env *models.Env) error {
				_, err := r.Call(ctx, env, "res.users", "write", []any{c.ids, c.vals}, nil)
				return err
			})
			if (err == nil) != c.ok {
				t.Errorf("plain user writes %s: error %v, want success %v", c.name, err, c.ok)
			}
		}
		// A user is of one type: internal, portal or public.
		err := inTx(models.SuperuserID, func(env *models.Env) error {
			portal, err := env.XMLID(ctx, "base.group_portal")
			if err != nil {
				return err
			}
			return env.Write(ctx, r.Model("res.users"), []int64{other}, map[string]any{"groups_id": []any{[]any{int64(4), portal}}})
		})
		if e := models.AsError(err); e == nil || e.Kind != models.KindValidation || e.Message != "The user cannot have more than one user types." {
			t.Errorf("internal user made portal too: %v", err)
		}
		must(inTx(models.SuperuserID, func(env *models.Env) error {
			recs, err := env.Read(ctx, r.Model("res.users"), []int64{plain}, []string{"tz", "login", "signature"}, false)
			if err == nil && (recs[0]["tz"] != "Europe/Berlin" || recs[0]["login"] != "plain" || recs[0]["signature"] != "<p>P</p>") {
				t.Errorf("plain user after the writes: %v", recs[0])
			}
			return err
		}))
	})
}

// baseDB makes the schema of the base models in db and returns the registry
// and a function running fn in a transaction as the user uid.
func baseDB(t testing.TB, s models.Store, db *bun.DB) (*models.Registry, func(uid int64, fn func(env *models.Env) error) error) {
	t.Helper()
	r := storetest.Base(t)
	storetest.Migrate(t, s, db)
	if _, err := models.EnsureSchema(context.Background(), db, s.Dialect(), r); err != nil {
		t.Fatal(err)
	}
	return r, func(uid int64, fn func(env *models.Env) error) error {
		return db.RunInTx(context.Background(), &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
			return fn(models.NewEnv(tx, s.Dialect(), r, s.Classify, uid, time.Now()))
		})
	}
}
