package bench_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"
)

func TestParseSizes(t *testing.T) {
	tests := []struct {
		flag    string
		want    []int
		wantErr string
	}{
		{"", nil, ""},
		{"1, 80,1000,10000", []int{1, 80, 1000, 10000}, ""},
		{"10000,1000000", []int{10000, 1000000}, ""},
		{"0", nil, "not a size"},
		{"1000001", nil, "not a size"},
		{"80,x", nil, "not a size"},
		{"80,80", nil, "sizes grow"},
		{"1000,10", nil, "sizes grow"},
	}
	for _, tc := range tests {
		got, err := bench.ParseSizes(tc.flag)
		switch {
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("ParseSizes(%q) error = %v, want %q", tc.flag, err, tc.wantErr)
		case tc.wantErr == "" && (err != nil || !slices.Equal(got, tc.want)):
			t.Errorf("ParseSizes(%q) = %v, %v; want %v", tc.flag, got, err, tc.want)
		}
	}
}

// TestPickGrowthScenarios checks that the growth scenarios run only when
// named, after the others and before the soak.
func TestPickGrowthScenarios(t *testing.T) {
	ids, _, err := bench.PickScenarios("soak,grow-rows,xml-key,grow-records", false)
	want := []string{"xml-key", "grow-records", "grow-rows", bench.SoakID}
	if err != nil || !slices.Equal(ids, want) {
		t.Errorf("PickScenarios = %v, %v; want %v", ids, err, want)
	}
	all, _, _ := bench.PickScenarios("all", true)
	for _, id := range bench.GrowIDs {
		if slices.Contains(all, id) {
			t.Errorf("all holds %s", id)
		}
	}
}

// TestCurveReport writes growth results: one table per measure and number
// of clients, with the time per record compared with the 80-record call's
// for grow-records and per call with the first size's otherwise, in the
// Markdown and with the sizes in the JSON.
func TestCurveReport(t *testing.T) {
	point := func(id, curve, unit string, size int, rate float64) bench.Result {
		return bench.Result{Scenario: id, Title: curve, Curve: curve, Unit: unit, Size: size, Clients: 8,
			Rate: bench.Spread{Median: rate}, SQLRate: bench.Spread{Median: 2 * rate},
			Ratio: bench.Ratio{OK: true, Spread: bench.Spread{Median: 0.5, Min: 0.4, Max: 0.6}}, PeakRSS: 50 << 20}
	}
	results := []bench.Result{
		{Scenario: "xml-key", Title: "plain", Clients: 8, Rate: bench.Spread{Median: 1000}},
		point("grow-records", "records", "record", 1, 4000),
		point("grow-records", "records", "record", 80, 1000),  // 12.5 µs per record
		point("grow-records", "records", "record", 1000, 100), // 10 µs per record
		point("grow-rows", "rows", "call", 10000, 1000),
		point("grow-rows", "rows", "call", 100000, 800),
	}
	r := bench.NewReport(bench.Meta{Store: "SQLite", Started: time.Unix(0, 0)}, results)
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| plain | 8 | 1000 |",
		"records (grow-records), 8 clients:",
		"| size | calls/s | time per record | ÷ size 80 |",
		"| 1 | 4000 | 250.0 µs | 20.00 |",
		"| 80 | 1000 | 12.5 µs | 1.00 |",
		"| 1000 | 100 | 10.0 µs | 0.80 |",
		"rows (grow-rows), 8 clients:",
		"| size | calls/s | time per call | ÷ size 10000 |",
		"| 100000 | 800 | 1.25 ms | 1.25 | 0.00 | 0 | 1600 | 0.50 (0.40–0.60) | 50.0 MB |",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md.String())
		}
	}
	if strings.Count(md.String(), "| records |") != 0 {
		t.Errorf("growth results are in the main table:\n%s", md.String())
	}
	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Results []struct {
			Size  int    `json:"size"`
			Unit  string `json:"unit"`
			Curve string `json:"curve"`
		} `json:"results"`
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if got := back.Results[3]; got.Size != 1000 || got.Unit != "record" || got.Curve != "records" {
		t.Errorf("JSON result 3 = %+v", got)
	}
}

// TestGrowTables grows a partner and a key table made by the database
// itself, on a real SQLite file, from rows already there: the counts, the
// mix of companies and archived partners, and every column filled in.
func TestGrowTables(t *testing.T) {
	ctx := context.Background()
	sqldb, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "grow.db"))
	if err != nil {
		t.Fatal(err)
	}
	db := bun.NewDB(sqldb, sqlitedialect.New())
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{
		`CREATE TABLE res_partner (id INTEGER PRIMARY KEY, name TEXT, email TEXT, phone TEXT, street TEXT, city TEXT, zip TEXT,
			website TEXT, is_company BOOLEAN, active BOOLEAN, type TEXT, lang TEXT, color INTEGER, create_uid INTEGER,
			write_uid INTEGER, create_date TEXT, write_date TEXT)`,
		`INSERT INTO res_partner (name) VALUES ('existing'), ('existing too')`,
		`CREATE TABLE res_users_apikeys (id INTEGER PRIMARY KEY, name TEXT, user_id INTEGER, key_index TEXT, key TEXT, create_date TEXT)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var progress bytes.Buffer
	if err := bench.GrowPartners(ctx, db, "sqlite", 5002, &progress); err != nil {
		t.Fatal(err)
	}
	if err := bench.GrowPartners(ctx, db, "sqlite", 100, io.Discard); err != nil { // already bigger: nothing
		t.Fatal(err)
	}
	var total, companies, archived, names, empty int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*), SUM(is_company), SUM(NOT active), COUNT(DISTINCT name),
		SUM(email IS NULL OR phone IS NULL OR street IS NULL OR city IS NULL OR zip IS NULL OR website IS NULL OR write_date IS NULL)
		FROM res_partner WHERE id > 2`).Scan(&total, &companies, &archived, &names, &empty)
	if err != nil {
		t.Fatal(err)
	}
	if total != 5000 || companies != 1000 || archived != 500 || names < 4000 || empty != 0 {
		t.Errorf("grown partners: %d rows, %d companies, %d archived, %d names, %d with an empty column; want 5000, 1000, 500, ≥ 4000, 0",
			total, companies, archived, names, empty)
	}
	if !strings.Contains(progress.String(), "res_partner 5002 of 5002 rows") {
		t.Errorf("progress = %q", progress.String())
	}
	if err := bench.GrowKeys(ctx, db, "sqlite", 2, 3000, io.Discard); err != nil {
		t.Fatal(err)
	}
	var keys, indexes int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT key_index) FROM res_users_apikeys
		WHERE user_id = 2 AND length(key_index) = 8 AND key LIKE 'sha256$%'`).Scan(&keys, &indexes); err != nil {
		t.Fatal(err)
	}
	if keys != 3000 || indexes < 2900 {
		t.Errorf("grown keys: %d well-formed, %d distinct indexes; want 3000, ≥ 2900", keys, indexes)
	}
}

// TestOpenIdle checks that idle-conns opens one connection per size unit,
// each making one call, and keeps those it has when the size grows.
func TestOpenIdle(t *testing.T) {
	var conns, calls atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Write([]byte(`{"status": "pass"}`))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	h := bench.NewHTTP(30)
	defer h.CloseIdle()
	for _, step := range []struct{ n, conns int64 }{{10, 10}, {10, 10}, {30, 30}} {
		if err := bench.OpenIdle(context.Background(), h, srv.URL, int(step.n)); err != nil {
			t.Fatal(err)
		}
		if conns.Load() != step.conns || calls.Load() != step.conns {
			t.Fatalf("after opening %d: %d connections and %d calls, want %d of each", step.n, conns.Load(), calls.Load(), step.conns)
		}
	}
}

// TestGrowBounds checks the bounds of the sizes that make no data, and
// that big-body's body is the size asked.
func TestGrowBounds(t *testing.T) {
	if _, err := bench.GrowPoint("big-body", bench.MaxBodyMB+1); err == nil {
		t.Error("big-body over its bound was accepted")
	}
	if _, err := bench.GrowPoint("idle-conns", bench.MaxIdleConns+1); err == nil {
		t.Error("idle-conns over its bound was accepted")
	}
	scs, err := bench.GrowPoint("big-body", 2)
	if err != nil || len(scs) != 1 || scs[0].Curve == "" || !strings.Contains(scs[0].Title, "2 MB") {
		t.Fatalf("big-body at 2 MB: %v, %+v", err, scs)
	}
}

// TestCustomFields checks custom-50's fields: 50 of them, named as Odoo
// names custom fields, each once, of the types a user adds, and that its
// size is bounded.
func TestCustomFields(t *testing.T) {
	fields := bench.CustomFields()
	if len(fields) != 50 {
		t.Fatalf("%d fields, want 50", len(fields))
	}
	seen := map[string]bool{}
	types := map[string]int{}
	for _, f := range fields {
		if !strings.HasPrefix(f.Name, "x_") || seen[f.Name] || f.Expr == "" {
			t.Errorf("field %+v: a name starting with x_, once, and a value", f)
		}
		seen[f.Name] = true
		types[f.Type]++
	}
	want := map[string]int{"char": 20, "integer": 10, "float": 8, "boolean": 6, "date": 3, "text": 3}
	for typ, n := range want {
		if types[typ] != n {
			t.Errorf("%d fields of type %s, want %d", types[typ], typ, n)
		}
	}
	if _, err := bench.CustomPoint(bench.CustomMaxSize + 1); err == nil || !strings.Contains(err.Error(), "at most") {
		t.Errorf("custom-50 over its bound: %v", err)
	}
}

// TestGrowCustom fills custom-50's table, made here as godoo makes a
// custom model's, on a real SQLite file: the count, and every column
// filled in.
func TestGrowCustom(t *testing.T) {
	ctx := context.Background()
	sqldb, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "custom.db"))
	if err != nil {
		t.Fatal(err)
	}
	db := bun.NewDB(sqldb, sqlitedialect.New())
	t.Cleanup(func() { db.Close() })
	fields := bench.CustomFields()
	cols := []string{"id INTEGER PRIMARY KEY", "x_name TEXT", "create_uid INTEGER", "write_uid INTEGER", "create_date TEXT", "write_date TEXT"}
	var empty []string
	for _, f := range fields {
		cols = append(cols, f.Name+" "+map[string]string{"char": "TEXT", "text": "TEXT", "date": "TEXT", "integer": "INTEGER", "float": "REAL", "boolean": "BOOLEAN"}[f.Type])
		empty = append(empty, f.Name+" IS NULL")
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE "+bench.CustomTable+" ("+strings.Join(cols, ", ")+")"); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{100, 50, 250} {
		if err := bench.GrowCustom(ctx, db, "sqlite", fields, n, io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	var total, holes, names int
	err = db.QueryRowContext(ctx, "SELECT COUNT(*), SUM("+strings.Join(empty, " OR ")+"), COUNT(DISTINCT x_f01) FROM "+bench.CustomTable).Scan(&total, &holes, &names)
	if err != nil {
		t.Fatal(err)
	}
	if total != 250 || holes != 0 || names != 250 {
		t.Errorf("%d records, %d with an empty field, %d distinct values of x_f01; want 250, 0, 250", total, holes, names)
	}
}
