package bench_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	_ "github.com/lib/pq"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"
	// GODOO_TEST_DSN=private: joins the shared private cluster first.
	_ "github.com/godoo/godoo/models/storetest/sharedpg"
)

// TestGrowPartnersTrigramPlan grows partners on PostgreSQL (with
// GODOO_TEST_DSN) into a table with a GIN index of name trigrams, as
// `godoo bench --trigram` does, and checks what the growth leaves behind
// as a deployment's autovacuum would: the index's pending list empty, so
// that a name ilike is planned on the index (EXPLAIN) and its index scan
// reads a few pages of the index proper, not the hundreds of the list.
// The pattern matches no row, so that no histogram bound of the sample
// can hold it and the planner's estimate is the same at every ANALYZE.
func TestGrowPartnersTrigramPlan(t *testing.T) {
	dsn := os.Getenv("GODOO_TEST_DSN")
	if dsn == "" {
		t.Skip("GODOO_TEST_DSN not set")
	}
	ctx := context.Background()
	admin, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := fmt.Sprintf("bench_grow_trgm_%d", os.Getpid())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	sqldb, err := sql.Open("postgres", u.String())
	if err != nil {
		t.Fatal(err)
	}
	db := bun.NewDB(sqldb, pgdialect.New())
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{
		"CREATE EXTENSION pg_trgm",
		`CREATE TABLE res_partner (id SERIAL PRIMARY KEY, name VARCHAR, email VARCHAR, phone VARCHAR, street VARCHAR,
			city VARCHAR, zip VARCHAR, website VARCHAR, is_company BOOLEAN, active BOOLEAN, type VARCHAR, lang VARCHAR,
			color INTEGER, create_uid INTEGER, write_uid INTEGER, create_date TIMESTAMP, write_date TIMESTAMP)`,
		"CREATE INDEX res_partner_name_trgm_index ON res_partner USING gin (name gin_trgm_ops)",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := bench.GrowPartners(ctx, db, "pg", 50000, io.Discard); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, `EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, COSTS OFF)
		SELECT t0.id FROM res_partner t0 WHERE t0.active = true AND t0.name ILIKE '%Zq4217%' ORDER BY t0.id ASC LIMIT 80`)
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	var pages int
	for i, line := range plan {
		if strings.Contains(line, "Bitmap Index Scan on res_partner_name_trgm_index") && i+2 < len(plan) {
			pages = bufferPages(plan[i+2])
		}
	}
	if pages == 0 || pages > 20 {
		t.Errorf("the name ilike's index scan read %d pages (want the trigram index, a few pages):\n%s", pages, text)
	}
	var left int
	if err := db.QueryRowContext(ctx, "SELECT gin_clean_pending_list('res_partner_name_trgm_index')").Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d pages were left in the trigram index's pending list", left)
	}
}

// bufferPages is the number of pages an EXPLAIN line "Buffers: shared
// hit=N read=M …" says were read, from memory or not.
func bufferPages(line string) int {
	n := 0
	for _, f := range strings.Fields(line) {
		for _, k := range []string{"hit=", "read="} {
			if v, ok := strings.CutPrefix(f, k); ok {
				x, _ := strconv.Atoi(v)
				n += x
			}
		}
	}
	return n
}
