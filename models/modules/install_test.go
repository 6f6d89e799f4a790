package modules

import (
	"slices"
	"strings"
	"testing"
)

// TestToInstall: what installing modules brings, in dependency order, and
// Odoo's refusals.
func TestToInstall(t *testing.T) {
	mod := func(name string, auto bool, on []string, deps ...string) *Module {
		return &Module{Manifest: Manifest{Name: name, Depends: deps, AutoInstall: auto, AutoInstallOn: on}}
	}
	c := Catalogue{
		"mail":     mod("mail", false, nil, "base"),
		"product":  mod("product", false, nil, "mail"),
		"sale":     mod("sale", false, nil, "product"),
		"glue":     mod("glue", true, nil, "mail", "product"),               // auto when both are there
		"board":    mod("board", false, nil, "base"),                        // needed by board_s only
		"board_s":  mod("board_s", true, []string{"sale"}, "sale", "board"), // auto on sale alone
		"broken":   mod("broken", false, nil, "nowhere"),
		"unneeded": mod("unneeded", true, nil, "broken"),
	}
	for _, tc := range []struct {
		installed, requested []string
		want                 string
		err                  string
	}{
		{nil, []string{"mail"}, "mail", ""},
		{nil, []string{"product"}, "mail product glue", ""},
		{nil, []string{"sale"}, "mail product glue sale board board_s", ""},
		{[]string{"mail", "product", "glue"}, []string{"sale"}, "sale board board_s", ""},
		{[]string{"mail"}, []string{"mail"}, "", ""},
		{nil, []string{"broken"}, "", "You try to install module 'broken' that depends on module 'nowhere'.\nBut the latter module is not available in your system."},
		{nil, []string{"crm"}, "", `Unable to install module "crm" because an external dependency is not met: the module is not available on this server`},
	} {
		got, err := c.ToInstall(tc.installed, tc.requested)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%v: error %v, want %q", tc.requested, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v: %v", tc.requested, err)
			continue
		}
		// Any order that puts each module after what it needs will do;
		// compare as sets, then check the order.
		if g, w := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(strings.Fields(tc.want))); !slices.Equal(g, w) {
			t.Errorf("%v after %v: %v, want %v", tc.requested, tc.installed, got, w)
		}
		for i, n := range got {
			for _, d := range c[n].Depends {
				if j := slices.Index(got, d); j > i {
					t.Errorf("%v: %s comes before %s, which it needs", got, n, d)
				}
			}
		}
	}
}

// TestKnownToInstall: installing contacts and sale_management brings the
// 51 modules Odoo installed with them beside base and web, in Odoo's
// order.
func TestKnownToInstall(t *testing.T) {
	c := Known()
	got, err := c.ToInstall(nil, []string{"contacts", "sale_management"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(c) {
		t.Errorf("%d modules, want all %d: %v", len(got), len(c), got)
	}
	// Odoo's loading order, by depth then name, in which the modules'
	// scheduled actions were made in the recording.
	want := []string{"mail", "auth_signup", "partner_autocomplete", "sms", "snailmail", "digest", "account", "sale_async_emails", "sale_pdf_quote_builder"}
	if order := slices.DeleteFunc(slices.Clone(got), func(n string) bool { return !slices.Contains(want, n) }); !slices.Equal(order, want) {
		t.Errorf("installed in the order %v, want %v", order, want)
	}
}

// TestListed: the Odoo modules godoo lists without carrying them are
// read, none of them is one godoo carries, and crm and stock are
// applications, as Odoo's manifests say.
func TestListed(t *testing.T) {
	c := Known()
	apps := map[string]bool{}
	for _, m := range Listed() {
		if c[m.Name] != nil || builtin[m.Name] {
			t.Errorf("%s is listed and carried", m.Name)
		}
		apps[m.Name] = m.Application && !m.AutoInstall
	}
	for _, n := range []string{"crm", "stock"} {
		if !apps[n] {
			t.Errorf("%s is not listed as an application", n)
		}
	}
}
