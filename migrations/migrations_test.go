package migrations_test

import (
	"testing"

	"github.com/godoo/godoo/migrations"
)

// TestDialectsMatch guards against a migration written for one dialect only.
func TestDialectsMatch(t *testing.T) {
	pg, err := migrations.List("pg")
	if err != nil {
		t.Fatal(err)
	}
	lite, err := migrations.List("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	if len(pg) == 0 || len(pg) != len(lite) {
		t.Fatalf("pg has %d migrations, sqlite %d", len(pg), len(lite))
	}
	for i := range pg {
		if pg[i].Name != lite[i].Name {
			t.Errorf("migration %d: pg %s, sqlite %s", i, pg[i].Name, lite[i].Name)
		}
	}
	if _, err := migrations.List("mysql"); err == nil {
		t.Error("unknown dialect accepted")
	}
}
