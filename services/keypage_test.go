package services

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/godoo/godoo/models"
)

// TestKeyPageActsAsTheSessionUser checks what the key page's operations
// allow each user: a user makes plain native keys of their own and revokes
// only their own; a system administrator makes any key and restricts it;
// no change is made without a fresh password check.
func TestKeyPageActsAsTheSessionUser(t *testing.T) {
	set, db := testDatabase(t, "keypage")
	ctx := context.Background()
	if _, err := set.core.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		return env.Create(ctx, env.Registry.Model("res.users"), map[string]any{"name": "Clerk", "login": "clerk", "password": "clerk-pass-1"})
	}); err != nil {
		t.Fatal(err)
	}
	web := set.Web()
	login := func(login, password string, checked bool) Session {
		t.Helper()
		s, _, err := web.Authenticate(ctx, WebLogin{DB: "keypage", Login: login, Password: password, CheckedIdentity: checked})
		if err != nil {
			t.Fatal(err)
		}
		// As a request with the cookie sees it: with its identity check.
		s, err = web.Session(ctx, SessionRequest{ID: s.ID})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	admin, clerk := login("admin", "x-admin-1", true), login("clerk", "clerk-pass-1", true)
	day := time.Now().Add(24 * time.Hour)

	adminKey, err := web.MakeKey(ctx, admin, KeyOptions{Name: "admin's", Login: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		s       Session
		o       KeyOptions
		wantErr models.Kind // -1: none
	}{
		{"a user's own native key", clerk, KeyOptions{Name: "mine", Expires: day}, -1},
		{"a user's persistent key", clerk, KeyOptions{Name: "forever"}, models.KindUser},
		{"a user's header key", clerk, KeyOptions{Name: "h", Kind: KeyHeader, Login: "clerk", Expires: day}, models.KindAccess},
		{"a user's key for another", clerk, KeyOptions{Name: "theirs", Login: "admin", Expires: day}, models.KindAccess},
		{"a user's restricted key", clerk, KeyOptions{Name: "r", Expires: day, Limits: KeyLimits{ReadOnly: true}}, models.KindAccess},
		{"an admin's header key for a user", admin, KeyOptions{Name: "gw", Kind: KeyHeader, Login: "clerk", Limits: KeyLimits{From: []string{"10.0.0.0/8"}}}, -1},
		{"an admin's restricted native key for a user", admin, KeyOptions{Name: "ro", Login: "clerk", Limits: KeyLimits{ReadOnly: true}}, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			k, err := web.MakeKey(ctx, c.s, c.o)
			switch {
			case c.wantErr < 0 && err != nil:
				t.Fatalf("refused: %v", err)
			case c.wantErr < 0 && k.Clear == "":
				t.Fatal("no clear key")
			case c.wantErr >= 0 && models.KindOf(err) != c.wantErr:
				t.Fatalf("error %v (kind %v), want kind %v", err, models.KindOf(err), c.wantErr)
			}
		})
	}

	page, err := web.KeyPage(ctx, clerk, AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Admin || len(page.Audit) != 0 {
		t.Errorf("the clerk's page: admin %v, %d audit rows", page.Admin, len(page.Audit))
	}
	for _, k := range page.Keys {
		if k.Login != "clerk" || k.Kind != KeyNative {
			t.Errorf("the clerk sees %+v", k)
		}
	}
	if err := web.RevokeKey(ctx, clerk, KeyNative, adminKey.ID); models.KindOf(err) != models.KindUser {
		t.Errorf("the clerk revoking the admin's key: %v", err)
	}
	if err := web.RestrictKey(ctx, clerk, KeyNative, adminKey.ID, KeyLimits{ReadOnly: true}, time.Time{}); models.KindOf(err) != models.KindAccess {
		t.Errorf("the clerk restricting a key: %v", err)
	}
	if err := web.RestrictKey(ctx, admin, KeyNative, adminKey.ID, KeyLimits{Allow: []string{"res.partner:read"}}, time.Time{}); err != nil {
		t.Errorf("the admin restricting a key: %v", err)
	}
	all, err := web.KeyPage(ctx, admin, AuditFilter{KeyID: adminKey.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !all.Admin || len(all.Keys) != 4 || len(all.Audit) < 2 {
		t.Errorf("the admin's page: admin %v, %d keys, %d audit rows of the admin's key", all.Admin, len(all.Keys), len(all.Audit))
	}

	// A session whose password check is stale changes nothing until the
	// password is given again.
	stale := login("admin", "x-admin-1", false)
	if _, err := web.MakeKey(ctx, stale, KeyOptions{Name: "late", Login: "admin"}); !errors.Is(err, ErrIdentityCheck) {
		t.Fatalf("a change with a stale check: %v", err)
	}
	if err := web.RevokeKey(ctx, stale, KeyNative, adminKey.ID); !errors.Is(err, ErrIdentityCheck) {
		t.Fatalf("a revoke with a stale check: %v", err)
	}
	if err := web.ConfirmIdentity(ctx, stale, "wrong"); models.KindOf(err) != models.KindAccessDenied {
		t.Fatalf("confirming with a wrong password: %v", err)
	}
	if err := web.ConfirmIdentity(ctx, stale, "x-admin-1"); err != nil {
		t.Fatal(err)
	}
	fresh, err := web.Session(ctx, SessionRequest{ID: stale.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := web.RevokeKey(ctx, fresh, KeyNative, adminKey.ID); err != nil {
		t.Errorf("a revoke after the password check: %v", err)
	}
}
