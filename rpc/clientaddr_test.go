package rpc_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc"
)

// TestClientAddr checks the address failures are counted under: the peer,
// or in proxy mode the last X-Forwarded-For hop, the one the trusted proxy
// added (as werkzeug's ProxyFix with x_for=1 gives Odoo); the hops before
// it are the client's word.
func TestClientAddr(t *testing.T) {
	cases := []struct {
		name  string
		proxy bool
		xff   []string
		want  string
	}{
		{"peer", false, nil, "192.0.2.1"},
		{"forwarded without proxy mode", false, []string{"203.0.113.5"}, "192.0.2.1"},
		{"one hop", true, []string{"203.0.113.5"}, "203.0.113.5"},
		{"a hop the client forged before the proxy's", true, []string{"198.51.100.9, 203.0.113.5"}, "203.0.113.5"},
		{"spaces", true, []string{" 198.51.100.9 ,203.0.113.5 "}, "203.0.113.5"},
		{"two header lines", true, []string{"198.51.100.9", "203.0.113.5"}, "203.0.113.5"},
		{"empty header", true, []string{""}, "192.0.2.1"},
		{"proxy mode without the header", true, nil, "192.0.2.1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/jsonrpc", nil)
			r.RemoteAddr = "192.0.2.1:40000"
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := rpc.ClientAddr(r, c.proxy); got != c.want {
				t.Errorf("client address = %q, want %q", got, c.want)
			}
		})
	}
}

// TestAbandoned checks that the errors of a call whose client went away
// (its context cancelled) are marked as such, keeping their kind, and that
// a call that ran out of time or is still wanted is left alone.
func TestAbandoned(t *testing.T) {
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	late, cancel2 := context.WithTimeout(context.Background(), 0)
	defer cancel2()
	<-late.Done()
	driver := errors.New("pq: canceling statement due to user request")
	cases := []struct {
		name       string
		ctx        context.Context
		err        error
		wantMarked bool
		wantKind   models.Kind
	}{
		{"client gone, driver error", gone, driver, true, models.KindInternal},
		{"client gone, refusal", gone, models.ErrAccessDenied, true, models.KindAccessDenied},
		{"client gone, no error", gone, nil, false, models.KindInternal},
		{"time out", late, driver, false, models.KindInternal},
		{"client there", context.Background(), driver, false, models.KindInternal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := rpc.Abandoned(c.ctx, c.err)
			if marked := errors.Is(got, context.Canceled); marked != c.wantMarked {
				t.Errorf("marked as abandoned = %v, want %v (%v)", marked, c.wantMarked, got)
			}
			if c.err != nil && !errors.Is(got, c.err) {
				t.Errorf("the cause is lost: %v", got)
			}
			if c.err != nil && models.KindOf(got) != c.wantKind {
				t.Errorf("kind = %v, want %v", models.KindOf(got), c.wantKind)
			}
		})
	}
}
