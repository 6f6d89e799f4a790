package models

import (
	"database/sql"
	"fmt"
	"testing"

	_ "modernc.org/sqlite"
)

// TestScanTable reads answers of every size around the pieces scanTable
// reads into, and checks that the values come in the order of the rows
// and that the Table holds them in a slice of their exact length: a
// slice grown by doubling kept up to twice the values' memory.
func TestScanTable(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cols := []*Field{{Name: "id", Type: Integer}, {Name: "name", Type: Char}}
	env := &Env{Classify: func(err error) error { return err }}
	for _, c := range []struct {
		name       string
		rows, hint int
	}{
		{"empty", 0, 0},
		{"one row, no hint", 1, 0},
		{"within the hint", 80, 80},
		{"the hint exactly", 1000, 1000},
		{"one row past the hint", 1001, 1000},
		{"many pieces", 20000, 1000},
		{"many pieces, no hint", 5000, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows, err := db.Query(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < ?)
				SELECT i, 'n' || i FROM s WHERE ? > 0`, max(c.rows, 1), c.rows)
			if err != nil {
				t.Fatal(err)
			}
			tab, err := env.scanTable(rows, cols, c.hint)
			if err != nil {
				t.Fatal(err)
			}
			if tab.Len() != c.rows {
				t.Fatalf("%d records, want %d", tab.Len(), c.rows)
			}
			for i := range c.rows {
				row := tab.Row(i)
				if row[0] != int64(i+1) || row[1] != fmt.Sprintf("n%d", i+1) {
					t.Fatalf("record %d is %v", i, row)
				}
			}
			if c.rows > c.hint && cap(tab.Values) != len(tab.Values) {
				t.Errorf("%d values held in a slice of %d", len(tab.Values), cap(tab.Values))
			}
		})
	}
}
