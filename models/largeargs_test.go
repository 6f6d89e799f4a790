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

// TestBytesViewsCopies: the large strings are replaced in a copy of the
// arguments, never in the caller's list, which a compiled rule shares with
// every call that applies it.
func TestBytesViewsCopies(t *testing.T) {
	big := string(make([]byte, largeArgBytes))
	args := []any{int64(1), big, "small"}
	got := bytesViews(args)
	if _, ok := args[1].(string); !ok {
		t.Errorf("the caller's argument became %T", args[1])
	}
	if b, ok := got[1].([]byte); !ok || len(b) != len(big) {
		t.Errorf("the bound argument is %T, want a view of the string", got[1])
	}
	if got[0] != int64(1) || got[2] != "small" {
		t.Errorf("the other arguments changed: %v, %v", got[0], got[2])
	}
	small := []any{int64(1), "small"}
	if got := bytesViews(small); &got[0] != &small[0] {
		t.Error("arguments without a large string were copied")
	}
}
