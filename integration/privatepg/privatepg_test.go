package privatepg_test

import (
	"context"
	"database/sql"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godoo/godoo/integration/privatepg"
)

// TestMain gives the servers of the tests one initdb (Main).
func TestMain(m *testing.M) { os.Exit(privatepg.Main(m)) }

// requirePostgres runs the test only where PostgreSQL is tested at all
// (GODOO_TEST_DSN set), as the rest of the suite does.
func requirePostgres(t *testing.T) {
	t.Helper()
	if os.Getenv("GODOO_TEST_DSN") == "" {
		t.Skip("GODOO_TEST_DSN is not set: PostgreSQL is not tested")
	}
}

func open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	return privatepg.OpenDB(t, dsn)
}

// ping connects anew (no pooled connection) and reports the error.
func ping(dsn string) error {
	db, err := sql.Open("postgres", dsn+" connect_timeout=5")
	if strings.HasPrefix(dsn, "postgres://") {
		db, err = sql.Open("postgres", dsn+"&connect_timeout=5")
	}
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// TestServer: a private server keeps its data across a restart, refuses
// connections while stopped, and started with listen_addresses empty is
// reachable on its socket only.
func TestServer(t *testing.T) {
	requirePostgres(t)
	pg := privatepg.Start(t)
	if pg.Port() <= 0 || pg.Port() == 5432 {
		t.Fatalf("port %d", pg.Port())
	}
	ctx := context.Background()
	db := open(t, pg.DSN("postgres"))
	if _, err := db.ExecContext(ctx, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before the restart')"); err != nil {
		t.Fatal(err)
	}
	var user string
	if err := db.QueryRowContext(ctx, "SELECT current_user").Scan(&user); err != nil || user != "postgres" {
		t.Fatalf("current_user = %q, %v", user, err)
	}

	// The server's own programs run as its user, with its binaries.
	if out, err := pg.Command("pg_isready", "-h", pg.Dir(), "-p", strconv.Itoa(pg.Port())).CombinedOutput(); err != nil {
		t.Errorf("pg_isready: %v\n%s", err, out)
	}
	if out, err := pg.Command("psql", "-h", pg.Dir(), "-p", strconv.Itoa(pg.Port()), "-U", "postgres", "-Atc", "SELECT 1", "postgres").CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Errorf("psql: %v: %s", err, out)
	}

	pg.Restart()
	var v string
	if err := open(t, pg.DSN("postgres")).QueryRowContext(ctx, "SELECT v FROM kept").Scan(&v); err != nil || v != "before the restart" {
		t.Fatalf("after the restart: %q, %v", v, err)
	}

	pg.Stop()
	if err := ping(pg.DSN("postgres")); err == nil {
		t.Fatal("a stopped server accepted a connection")
	}
	if err := ping(pg.SocketDSN("postgres")); err == nil {
		t.Fatal("a stopped server accepted a connection on its socket")
	}

	pg.Start("listen_addresses=")
	if err := ping(pg.DSN("postgres")); err == nil {
		t.Error("a server without a TCP address accepted a TCP connection")
	}
	if err := ping(pg.SocketDSN("postgres")); err != nil {
		t.Errorf("the socket: %v", err)
	}
	pg.Stop()

	pg.Start()
	if err := ping(pg.DSN("postgres")); err != nil {
		t.Errorf("TCP after a start with the usual settings: %v", err)
	}
	if !strings.Contains(pg.Log(), "database system is ready to accept connections") {
		t.Errorf("the log does not show the starts:\n%s", pg.Log())
	}
}
