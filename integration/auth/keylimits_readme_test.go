package auth_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/services"
)

// TestREADMEKeyLimits runs the README's curl example of least-privilege
// keys as written: an administrator's key makes a key for another user
// over JSON-RPC, restricts it to reading from one network, and rotates it.
func TestREADMEKeyLimits(t *testing.T) {
	const password = "Readme-Limits-1"
	set, url := itest.Quickstart(t, password)
	ctx := context.Background()
	uid, err := set.Database.CreateUser(ctx, "odoo", services.UserOptions{Login: "reporter", Password: "Reporter-pw-1", Name: "Reporter"})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := set.Database.CreateAPIKey(ctx, "odoo", services.KeyOptions{Login: "admin", Name: "readme admin"})
	if err != nil {
		t.Fatal(err)
	}
	out := itest.RunREADME(t, itest.ReadmeSH(t, "## Least-privilege keys"), url, "ADMIN_KEY="+admin.Clear, fmt.Sprint("USER_ID=", uid))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], `"`) || lines[1] != "true" || !strings.HasPrefix(lines[2], `"`) {
		t.Fatalf("the README's example printed:\n%s\nwant the new key, true and the rotated key", out)
	}
	keys, err := set.Database.ListAPIKeys(ctx, "odoo", services.KeyFilter{Name: "reporting"})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 {
		t.Fatalf("keys named reporting: %+v, want the key and its rotation", keys)
	}
	for _, k := range keys {
		if k.Login != "reporter" || !k.Limits.ReadOnly || strings.Join(k.Limits.From, ",") != "10.0.0.0/8" {
			t.Errorf("key %+v: want reporter's, read-only, from 10.0.0.0/8", k)
		}
	}
}
