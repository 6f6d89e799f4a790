package modules

import (
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
)

// TestFieldDomainsCompile compiles the literal domain of every field of
// base and of every module on its comodel: each read of an x2many
// compiles its field's domain, and one that names a field godoo's comodel
// lacks would fail every read of the field.
func TestFieldDomainsCompile(t *testing.T) {
	b := models.NewRegistry()
	if err := base.Register(b); err != nil {
		t.Fatal(err)
	}
	all := models.NewRegistry()
	c := Known()
	if err := c.Register(all, c.Names()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		r    *models.Registry
	}{{"base", b}, {"every module", all}} {
		n, err := tc.r.CheckDomains()
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if n == 0 {
			t.Errorf("%s: no field domain compiled", tc.name)
		}
		t.Logf("%s: %d field domains compiled", tc.name, n)
	}
}
