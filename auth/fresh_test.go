package auth_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
)

// settlingFeed is a feed whose processes acknowledge changes: it records
// the calls of SettleAuth and answers err.
type settlingFeed struct {
	calls    []string
	deadline bool // the last call had a deadline
	returned bool
	err      error
}

func (f *settlingFeed) WatchAuth(string, func(models.AuthEvent)) func() { return func() {} }

func (f *settlingFeed) SettleAuth(ctx context.Context, name string) error {
	_, f.deadline = ctx.Deadline()
	f.calls = append(f.calls, name)
	f.returned = true
	return f.err
}

// TestChangingSettles: the hook run after a commit that changed
// credentials returns only once the feed's SettleAuth returned, bounded by
// a deadline, and a settle that failed is logged (once, naming the
// database) rather than failing the committed call. A process that does
// not listen (no Feed, Uncached: the command line) settles the same way,
// through Settler.
func TestChangingSettles(t *testing.T) {
	cases := []struct {
		name    string
		err     error
		wantLog bool
	}{
		{"acknowledged", nil, false},
		{"not acknowledged in time", context.DeadlineExceeded, true},
		{"database unreachable", errors.New("connection refused"), true},
	}
	for _, c := range cases {
		for _, listens := range []bool{true, false} {
			name := c.name
			if !listens {
				name += ", without a feed"
			}
			t.Run(name, func(t *testing.T) { changingSettles(t, listens, c.err, c.wantLog) })
		}
	}
}

// changingSettles is one case of TestChangingSettles, on an Authenticator
// that listens (Feed) or not (Settler alone).
func changingSettles(t *testing.T, listens bool, settleErr error, wantLog bool) {
	var logs bytes.Buffer
	a := auth.New(slog.New(slog.NewTextHandler(&logs, nil)))
	f := &settlingFeed{err: settleErr}
	if listens {
		a.Feed = f
	} else {
		a.Uncached, a.Settler = true, f
	}
	done := a.Changing("acks")
	if len(f.calls) != 0 {
		t.Fatalf("SettleAuth ran before the commit: %v", f.calls)
	}
	done()
	if !f.returned || len(f.calls) != 1 || f.calls[0] != "acks" {
		t.Fatalf("after the hook, SettleAuth calls = %v (returned %v), want one on acks", f.calls, f.returned)
	}
	if !f.deadline {
		t.Error("SettleAuth ran without a deadline")
	}
	lines := strings.Count(logs.String(), "\n")
	if wantLog && (lines != 1 || !strings.Contains(logs.String(), "db=acks")) {
		t.Errorf("log = %q, want one line naming the database", logs.String())
	}
	if !wantLog && lines != 0 {
		t.Errorf("log = %q, want none", logs.String())
	}
}
