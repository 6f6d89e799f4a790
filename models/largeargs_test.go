package models

import "testing"

func TestDollarPlaceholders(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"UPDATE t SET a = ?, b = ? WHERE id IN (?, ?)", "UPDATE t SET a = $1, b = $2 WHERE id IN ($3, $4)"},
		{"SELECT '?' FROM \"a?b\" WHERE x = ?", "SELECT '?' FROM \"a?b\" WHERE x = $1"},
		{"SELECT 'it''s ?' WHERE y = ?", "SELECT 'it''s ?' WHERE y = $1"},
	} {
		if got := dollarPlaceholders(c.in); got != c.want {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}

func TestHasLargeArg(t *testing.T) {
	big := make([]byte, largeArgBytes)
	for _, c := range []struct {
		args []any
		want bool
	}{
		{nil, false},
		{[]any{int64(1), "small", true, nil}, false},
		{[]any{int64(1), string(big)}, true},
		{[]any{big}, true},
		{[]any{string(big[:largeArgBytes-1])}, false},
	} {
		if got := hasLargeArg(c.args); got != c.want {
			t.Errorf("%d args: got %v, want %v", len(c.args), got, c.want)
		}
	}
}
