package auth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/services"
)

// TestREADMEKeyPage runs the README's curl example of the key page as
// written: sign in with the login form, make a read-only key with the
// page's form, and call /auth/whoami/bearer with it.
func TestREADMEKeyPage(t *testing.T) {
	const password = "Readme-Keys-1"
	set, url := itest.Quickstart(t, password)
	out := itest.RunREADME(t, itest.ReadmeSH(t, "### The key page"), url, "GODOO_PASSWORD="+password)
	want := `{"db": "odoo", "login": "admin", "mode": "bearer", "uid": 2}`
	if !strings.Contains(out, want) {
		t.Errorf("the README's key page example printed:\n%s\nwant %s", out, want)
	}
	keys, err := set.Database.ListAPIKeys(context.Background(), "odoo", services.KeyFilter{Name: "reporting"})
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys named reporting: %v %v", keys, err)
	}
	if k := keys[0]; !k.Limits.ReadOnly || k.Expires == "" || k.Login != "admin" {
		t.Errorf("the README's key: %+v, want read-only, expiring, admin's", k)
	}
}
