package privatepg

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPristineCopies: under Main (this package's TestMain), servers start
// from copies of one initdb's data directory, each its own: what one
// server writes, the other does not see.
func TestPristineCopies(t *testing.T) {
	if os.Getenv("GODOO_TEST_DSN") == "" {
		t.Skip("GODOO_TEST_DSN is not set: PostgreSQL is not tested")
	}
	a := Start(t)
	pristine.mu.Lock()
	made := pristine.dir
	pristine.mu.Unlock()
	if made == "" {
		t.Fatal("Start under Main made no pristine data directory")
	}
	b := Start(t)
	pristine.mu.Lock()
	again := pristine.dir
	pristine.mu.Unlock()
	if again != made {
		t.Errorf("the second Start made another pristine directory: %s, then %s", made, again)
	}
	if _, err := os.Stat(filepath.Join(made, "data", "postmaster.pid")); err == nil {
		t.Error("a server runs on the pristine data directory itself")
	}
	dbA, dbB := OpenDB(t, a.DSN("postgres")), OpenDB(t, b.DSN("postgres"))
	if _, err := dbA.Exec("CREATE TABLE only_on_a (id int)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := dbB.QueryRow("SELECT count(*) FROM pg_tables WHERE tablename = 'only_on_a'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the other server sees the table: count %d, %v", n, err)
	}
}
