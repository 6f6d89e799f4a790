package sqlitestore_test

import (
	"context"
	"testing"
)

// TestLowerFoldsEveryLetter checks godoo_lower, which the SQLite store's
// ilike folds both sides with: every letter is lowered, not only ASCII's
// as SQLite's lower() and LIKE do, NULL stays NULL and a number is itself.
func TestLowerFoldsEveryLetter(t *testing.T) {
	db := mustCreate(t, newStore(t), "fold", 0)
	ctx := context.Background()
	cases := []struct {
		query string
		arg   any
		want  any
	}{
		{"SELECT godoo_lower(?)", "Maison ÉBÈNE", "maison ébène"},
		{"SELECT godoo_lower(?) LIKE godoo_lower(?)", nil, nil},
		{"SELECT godoo_lower(?)", int64(42), int64(42)},
		{"SELECT godoo_lower('Maison Ébène') LIKE godoo_lower(?)", "%ébène%", int64(1)},
		{"SELECT 'Maison Ébène' LIKE ?", "%ébène%", int64(0)}, // why the store needs it
	}
	for _, tc := range cases {
		args := []any{tc.arg}
		if tc.query == "SELECT godoo_lower(?) LIKE godoo_lower(?)" {
			args = append(args, "%x%")
		}
		var got any
		if err := db.QueryRowContext(ctx, tc.query, args...).Scan(&got); err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		if got != tc.want {
			t.Errorf("%s with %v = %#v, want %#v", tc.query, tc.arg, got, tc.want)
		}
	}
}
