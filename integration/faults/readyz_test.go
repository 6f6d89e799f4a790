package faults_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/godoo/godoo/integration/privatepg"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestReadinessFollowsPostgres stops and starts godoo's PostgreSQL server:
// /readyz answers 503 while godoo is starting and while the server is
// away, 200 once every database is open and its LISTEN feed is up again;
// /livez answers 200 throughout, and the feed's metric follows it.
func TestReadinessFollowsPostgres(t *testing.T) {
	if os.Getenv("GODOO_TEST_DSN") == "" {
		t.Skip("GODOO_TEST_DSN is not set: PostgreSQL is not tested")
	}
	pg := privatepg.Start(t)
	ps, err := pgstore.New(pg.DSN("postgres"), pgstore.WithMaxOpenConns(poolSize))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ps.Close() })
	store := &recorder{Store: ps, events: make(chan models.AuthEvent, 1<<14)}
	set := services.NewSet(store, services.Config{})
	set.Authenticator().Rounds = 1000 // readiness, not hashing, is tested here
	if err := set.Database.Create(context.Background(), "ready", services.CreateOptions{AdminPassword: adminPassword, AdminLogin: "admin"}); err != nil {
		t.Fatal(err)
	}
	metrics := rpc.NewMetrics(set)
	h := rpc.NewHandler(set, rpc.Options{Metrics: metrics})
	h.Handle("GET /metrics", metrics.Handler())
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	client := newClient()
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	want := func(path string, status int, fragment string) {
		t.Helper()
		if code, body := get(path); code != status || !strings.Contains(body, fragment) {
			t.Fatalf("GET %s = %d %s, want %d with %q", path, code, body, status, fragment)
		}
	}
	// retried asks again while the answer is not status: after a restart,
	// each pooled connection that died with the server fails one request
	// before the pool drops it (counted in requests, not time).
	retried := func(path string, status int) {
		t.Helper()
		var code int
		var body string
		for range 4*poolSize + 4 {
			if code, body = get(path); code == status {
				return
			}
		}
		t.Fatalf("GET %s = %d %s, want %d", path, code, body, status)
	}
	feedMetric := func() string {
		t.Helper()
		_, body := get("/metrics")
		for _, line := range strings.Split(body, "\n") {
			if strings.HasPrefix(line, `godoo_listen_feed_up{db="ready"} `) {
				return strings.TrimPrefix(line, `godoo_listen_feed_up{db="ready"} `)
			}
		}
		return "absent"
	}

	want("/readyz", http.StatusServiceUnavailable, "starting")
	want("/livez", http.StatusOK, "pass")
	h.SetReady(true)
	get("/readyz") // starts watching the feed, up or not yet
	store.until(t, models.AuthFeedUp)
	want("/readyz", http.StatusOK, "pass")
	if v := feedMetric(); v != "1" {
		t.Fatalf("godoo_listen_feed_up = %s with the feed up, want 1", v)
	}

	pg.Stop()
	store.until(t, models.AuthFeedDown)
	want("/readyz", http.StatusServiceUnavailable, "fail")
	want("/livez", http.StatusOK, "pass")
	if v := feedMetric(); v != "0" {
		t.Fatalf("godoo_listen_feed_up = %s with PostgreSQL stopped, want 0", v)
	}

	pg.Start()
	store.until(t, models.AuthFeedUp)
	retried("/readyz", http.StatusOK)
	if v := feedMetric(); v != "1" {
		t.Fatalf("godoo_listen_feed_up = %s after the restart, want 1", v)
	}
}
