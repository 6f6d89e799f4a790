package services

import (
	"testing"

	"github.com/godoo/godoo/models/modules"
)

// TestCarriesAny checks the gate of the open-time module upgrade: a
// database with base alone (or with modules godoo does not carry) skips
// it without parsing the modules' declarations, and one with a module
// godoo or the configuration carries goes on to it.
func TestCarriesAny(t *testing.T) {
	own := &core{}
	configured := &core{cfg: Config{Modules: modules.Catalogue{"x_team": &modules.Module{}}}}
	for _, tc := range []struct {
		name      string
		c         *core
		installed []string
		want      bool
	}{
		{"base alone", own, []string{"base", "web"}, false},
		{"nothing installed", own, nil, false},
		{"a module godoo lists but does not carry", own, []string{"base", "website"}, false},
		{"sale", own, []string{"base", "sale", "web"}, true},
		{"a configured module", configured, []string{"base", "x_team"}, true},
		{"a configured module not installed", configured, []string{"base", "web"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.carriesAny(tc.installed); got != tc.want {
				t.Errorf("carriesAny(%v) = %v, want %v", tc.installed, got, tc.want)
			}
		})
	}
}
