package modules

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/godoo/godoo/migrations"
)

// TestGroupCategoriesMigrationModules checks that migration 0022, which
// names by hand the modules whose group categories step an older
// database needs, names on both dialects exactly the catalogue's modules
// whose groups have a category: one left out would keep its groups
// without categories, and the list is not made from the catalogue.
func TestGroupCategoriesMigrationModules(t *testing.T) {
	var want []string
	for name, m := range Known() {
		if m.categorized() {
			want = append(want, name)
		}
	}
	slices.Sort(want)
	quoted := regexp.MustCompile(`SELECT '([a-z0-9_]+)'`)
	for _, dialect := range []string{"pg", "sqlite"} {
		list, err := migrations.List(dialect)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(list, func(m migrations.Migration) bool {
			return strings.HasSuffix(m.Name, "_group_categories_upgrade.sql")
		})
		if i < 0 {
			t.Fatalf("%s: no group categories migration", dialect)
		}
		var got []string
		for _, m := range quoted.FindAllStringSubmatch(list[i].SQL, -1) {
			got = append(got, m[1])
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %s names %v, the catalogue's modules with group categories are %v", dialect, list[i].Name, got, want)
		}
	}
}
