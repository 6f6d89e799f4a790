package bench

import (
	"fmt"
	"slices"
	"strings"

	"github.com/godoo/godoo/models/modules"
)

// ParseModules reads --modules: a comma-separated list of the modules
// godoo carries, installed (with what they depend on) in the scratch
// database before it is seeded, so that the scenarios run on the models
// those modules extend (sale_management's res.partner, say). Unknown
// names are refused before any database is made.
func ParseModules(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	known := modules.Known()
	var out []string
	for _, f := range strings.Split(s, ",") {
		name := strings.TrimSpace(f)
		if known[name] == nil {
			return nil, fmt.Errorf("--modules: %q is not a module godoo carries (%s)", name, strings.Join(known.Names(), ", "))
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out, nil
}
