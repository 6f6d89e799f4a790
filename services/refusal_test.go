package services

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/godoo/godoo/models"
)

// TestRefusedWaits checks the refusal delay: refused credentials wait
// Config.RefusalDelay (DefaultRefusalDelay when zero, none when negative)
// or until the call's context ends; other outcomes return at once.
func TestRefusedWaits(t *testing.T) {
	cases := []struct {
		name   string
		delay  time.Duration
		err    error
		cancel bool
		want   time.Duration
	}{
		{"refused, default delay", 0, models.ErrAccessDenied, false, DefaultRefusalDelay},
		{"refused, configured delay", 50 * time.Millisecond, models.ErrAccessDenied, false, 50 * time.Millisecond},
		{"refused, no delay", -1, models.ErrAccessDenied, false, 0},
		{"refused, call cancelled", time.Second, models.ErrAccessDenied, true, 0},
		{"other error", 0, errors.New("disk on fire"), false, 0},
		{"success", 0, nil, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				core := &core{cfg: Config{RefusalDelay: c.delay}}
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				if c.cancel {
					cancel()
				}
				start := time.Now()
				if got := core.refused(ctx, c.err); !errors.Is(got, c.err) && got != c.err {
					t.Fatalf("refused returned %v, want %v", got, c.err)
				}
				if waited := time.Since(start); waited != c.want {
					t.Fatalf("waited %v, want %v", waited, c.want)
				}
			})
		})
	}
}

// TestExecuteKwRefusalWaits checks that execute_kw with a wrong key waits
// the refusal delay before its AccessDenied, and a right password does not.
// The waits are recorded (core.pause), not timed; TestRefusedWaits times
// the wait itself on synctest's clock.
func TestExecuteKwRefusalWaits(t *testing.T) {
	set, _ := testDatabase(t, "refusal")
	set.core.cfg.RefusalDelay = 300 * time.Millisecond
	var waits []time.Duration
	set.core.pause = func(_ context.Context, d time.Duration) { waits = append(waits, d) }
	ctx := context.Background()
	call := func(secret string) error {
		id, err := set.Auth.Password(ctx, Credentials{DB: "refusal", UID: 2, Password: secret})
		if err == nil {
			_, err = set.Object.Execute(ctx, id, "res.partner", "search_count", []any{[]any{}}, nil)
		}
		return err
	}
	if err := call("godoo_wrongkey_0000000000000000000000000000000000000000000"); models.KindOf(err) != models.KindAccessDenied {
		t.Fatalf("wrong key: %v, want AccessDenied", err)
	}
	if len(waits) != 1 || waits[0] != 300*time.Millisecond {
		t.Fatalf("a refused call waited %v, want [300ms]", waits)
	}
	if err := call("x-admin-1"); err != nil {
		t.Fatalf("right password: %v", err)
	}
	if len(waits) != 1 {
		t.Errorf("an accepted call waited: %v", waits[1:])
	}
}

// TestCheckMasterWaitsForTheCall checks that a wrong master password waits
// the refusal delay in the call's context: a call that ends (its client
// gone) stops waiting at once.
func TestCheckMasterWaitsForTheCall(t *testing.T) {
	for _, cancelled := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			db := &Database{c: &core{master: "x-master-1"}}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			want := DefaultRefusalDelay
			if cancelled {
				cancel()
				want = 0
			}
			start := time.Now()
			if err := db.CheckMaster(ctx, "wrong"); models.KindOf(err) != models.KindAccessDenied {
				t.Fatalf("a wrong master password: %v, want AccessDenied", err)
			}
			if waited := time.Since(start); waited != want {
				t.Errorf("cancelled %v: waited %v, want %v", cancelled, waited, want)
			}
		})
	}
}
