package models

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// TestPrecommit: work registered with BeforeCommit runs once per key, in
// the order first registered, including work registered while it runs;
// an error stops it; TxData keeps one value per key for the transaction,
// shared by the copies of the Env.
func TestPrecommit(t *testing.T) {
	env := NewEnv(nil, "sqlite", nil, nil, 2, time.Unix(0, 0))
	var ran []string
	add := func(key string) func(context.Context) error {
		return func(context.Context) error { ran = append(ran, key); return nil }
	}
	env.BeforeCommit("a", add("a"))
	env.Sudo().BeforeCommit("b", func(ctx context.Context) error {
		ran = append(ran, "b")
		env.BeforeCommit("c", add("c"))
		return nil
	})
	env.BeforeCommit("a", add("a twice"))
	if err := env.Precommit(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b", "c"}; !slices.Equal(ran, want) {
		t.Errorf("ran %v, want %v", ran, want)
	}
	ran = nil
	if err := env.Precommit(context.Background()); err != nil || len(ran) != 0 {
		t.Errorf("second Precommit ran %v (%v), want nothing", ran, err)
	}

	boom := errors.New("boom")
	env.BeforeCommit("x", func(context.Context) error { return boom })
	env.BeforeCommit("y", add("y"))
	if err := env.Precommit(context.Background()); !errors.Is(err, boom) || len(ran) != 0 {
		t.Errorf("Precommit = %v, ran %v; want boom before y", err, ran)
	}

	made := 0
	mk := func() any { made++; return &made }
	first := env.TxData("k", mk)
	if again := env.Sudo().TxData("k", mk); again != first || made != 1 {
		t.Errorf("TxData made %d values, want one shared", made)
	}
	if other := NewEnv(nil, "sqlite", nil, nil, 2, time.Unix(0, 0)); other.TxData("k", func() any { return 7 }) != 7 {
		t.Error("TxData leaks across transactions")
	}
}
