package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/storetest"
	"github.com/godoo/godoo/services"
)

// TestMain lets this test binary stand in for godoo when godoo bench runs
// its own executable as the server ("bench-serve ..."): in tests, that
// executable is the test binary. Its commands hash passwords with few
// rounds: these tests are not about hashing, which the auth tests cover.
func TestMain(m *testing.M) {
	newServices = func(store models.Store, cfg services.Config) *services.Set {
		set := services.NewSet(store, cfg)
		set.Authenticator().Rounds = 1000
		return set
	}
	if len(os.Args) > 1 && os.Args[1] == bench.ServeCommand {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	// Run drops the PostgreSQL databases of the tests together when they
	// are done (dropPG).
	os.Exit(storetest.Run(m))
}

// benchReport is the part of the JSON report the test checks.
type benchReport struct {
	Meta struct {
		Store    string
		Partners int
		Matching int
	}
	Results []struct {
		Scenario    string
		Title       string
		Clients     int
		Calls       int64
		Errors      int64
		FirstError  string       `json:"first_error"`
		SQLErrors   int64        `json:"sql_errors"`
		SQLFirst    string       `json:"sql_first_error"`
		FloodErrors int64        `json:"flood_errors"`
		FloodRate   float64      `json:"flood_calls_per_second"`
		Rate        bench.Spread `json:"calls_per_second"`
		SQLRate     bench.Spread `json:"sql_calls_per_second"`
		Latency     map[string]float64
		Ratio       bench.Ratio
		PeakRSS     int64 `json:"server_peak_rss_bytes"`
	}
}

// TestBench runs godoo bench end to end with tiny settings, on SQLite and,
// with GODOO_TEST_DSN, on PostgreSQL: it starts the server (this binary),
// runs every scenario this build has once, writes the reports, and drops
// its scratch database.
func TestBench(t *testing.T) {
	stores := map[string][]string{"sqlite": nil}
	if dsn := os.Getenv("GODOO_TEST_DSN"); dsn != "" {
		stores["pg"] = []string{"--db-url", dsn}
	} else {
		t.Log("GODOO_TEST_DSN is not set: godoo bench runs on SQLite only")
	}
	for name, storeArgs := range stores {
		t.Run(name, func(t *testing.T) {
			isolate(t)
			dir := t.TempDir()
			mdPath, jsonPath := filepath.Join(dir, "results.md"), filepath.Join(dir, "results.json")
			args := append([]string{"bench", "--clients", "1", "--duration", "200ms", "--warmup", "50ms", "--pairs", "1",
				"--partners", "60", "--out", mdPath, "--json", jsonPath}, storeArgs...)
			r := runGodoo(t, "", args...)
			if r.code != 0 {
				t.Fatalf("godoo bench: %s", r)
			}
			checkBenchReports(t, r, mdPath, jsonPath)
			if name == "pg" {
				m := regexp.MustCompile(`creating the scratch database (\S+)`).FindStringSubmatch(r.stderr)
				if m == nil {
					t.Fatalf("no scratch database in the progress:\n%s", r.stderr)
				}
				store, err := pgstore.New(storeArgs[1])
				if err != nil {
					t.Fatal(err)
				}
				defer store.Close()
				if ok, err := store.Exists(context.Background(), m[1]); err != nil || ok {
					t.Errorf("the scratch database %s is still there (%v)", m[1], err)
				}
			}
		})
	}
}

// TestBenchCustom50 runs the custom-50 scenario end to end on SQLite with
// tiny settings: the model and its 50 fields are made over XML-RPC, and
// the report has its curve, one result per size with its records per
// call as the unit, every call answered, and a ratio to SQL. Only the
// shape: the timings are the machine's.
func TestBenchCustom50(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	mdPath, jsonPath := filepath.Join(dir, "results.md"), filepath.Join(dir, "results.json")
	r := runGodoo(t, "", "bench", "--scenarios", "custom-50", "--sizes", "3,20", "--clients", "1", "--duration", "200ms",
		"--warmup", "50ms", "--pairs", "1", "--partners", "60", "--data-dir", filepath.Join(dir, "data"), "--out", mdPath, "--json", jsonPath)
	if r.code != 0 {
		t.Fatalf("godoo bench: %s", r)
	}
	if !strings.Contains(r.stderr, "model x_bench50 with 50 fields made over XML-RPC") {
		t.Errorf("the progress does not tell of the model:\n%s", r.stderr)
	}
	js, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Results []struct {
			Scenario, Title, Unit, Curve string
			Size, Clients                int
			Errors                       int64
			SQLErrors                    int64 `json:"sql_errors"`
			Ratio                        bench.Ratio
		}
	}
	if err := json.Unmarshal(js, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 2 {
		t.Fatalf("%d results, want one per size:\n%s", len(rep.Results), js)
	}
	for i, size := range []int{3, 20} {
		res := rep.Results[i]
		if res.Scenario != "custom-50" || res.Size != size || res.Unit != "record" || res.Clients != 1 ||
			!strings.Contains(res.Curve, "N×50 of a custom model") || !strings.Contains(res.Title, fmt.Sprintf("%d×50", size)) ||
			res.Errors != 0 || res.SQLErrors != 0 || !res.Ratio.OK {
			t.Errorf("result %d: %+v", i, res)
		}
	}
	md, err := os.ReadFile(mdPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"XML-RPC search_read N×50 of a custom model (custom-50), 1 clients:", "| size | calls/s | time per record | ÷ size 3 |"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
}

func checkBenchReports(t *testing.T, r result, mdPath, jsonPath string) {
	t.Helper()
	want := slices.Clone(bench.ScenarioIDs)
	if !bench.NoAuthBuild {
		want = slices.DeleteFunc(want, func(id string) bool { return slices.Contains(bench.NoAuthScenarios, id) })
		if !strings.Contains(r.stderr, "skipping xml-noauth, json-noauth") {
			t.Errorf("the skipped auth-off scenarios are not announced:\n%s", r.stderr)
		}
	}
	for _, s := range []string{"pair 1/1", "server ready at http://127.0.0.1:", "dropped the scratch database"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("the progress lacks %q:\n%s", s, r.stderr)
		}
	}
	if r.stdout != "" {
		t.Errorf("with --out, standard output holds:\n%s", r.stdout)
	}

	js, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var rep benchReport
	if err := json.Unmarshal(js, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Meta.Partners != 60 || rep.Meta.Matching < 10 || rep.Meta.Matching > 14 {
		t.Errorf("meta: %+v, want 60 partners of which about 11 active companies and the main company", rep.Meta)
	}
	var got []string
	for _, res := range rep.Results {
		got = append(got, res.Scenario)
		lat := res.Latency
		switch {
		case res.Errors != 0 || res.SQLErrors != 0 || res.FloodErrors != 0:
			t.Errorf("%s: %d errors (%s), %d SQL errors (%s), %d flood errors", res.Scenario, res.Errors, res.FirstError, res.SQLErrors, res.SQLFirst, res.FloodErrors)
		case res.Clients != 1 || res.Calls < 1 || res.Rate.Median <= 0 || res.SQLRate.Median <= 0:
			t.Errorf("%s: %d clients, %d calls, %v calls/s, %v SQL calls/s", res.Scenario, res.Clients, res.Calls, res.Rate.Median, res.SQLRate.Median)
		case !res.Ratio.OK || res.Ratio.Median <= 0:
			// Only that a ratio was measured: its value depends on the
			// machine and its load, which tests do not assert.
			t.Errorf("%s: ratio %+v", res.Scenario, res.Ratio)
		case !(lat["p50_ms"] > 0 && lat["p50_ms"] <= lat["p95_ms"] && lat["p95_ms"] <= lat["p99_ms"] && lat["p99_ms"] <= lat["max_ms"] && lat["max_ms"] < 60000):
			t.Errorf("%s: latency %v", res.Scenario, lat)
		case res.PeakRSS < 4<<20 || res.PeakRSS > 4<<30:
			t.Errorf("%s: server peak RSS %d bytes", res.Scenario, res.PeakRSS)
		case res.Scenario == "flood" && res.FloodRate <= 0:
			t.Errorf("flood: %v refused calls/s", res.FloodRate)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("scenarios %v, want %v", got, want)
	}

	md, err := os.ReadFile(mdPath)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, line := range strings.Split(string(md), "\n") {
		if strings.HasPrefix(line, "| ") && strings.Count(line, " | ") == 10 && !strings.HasPrefix(line, "| scenario ") {
			rows = append(rows, line)
		}
	}
	if len(rows) != len(want) {
		t.Errorf("%d table rows, want %d:\n%s", len(rows), len(want), md)
	}
	for i, row := range rows {
		if i < len(rep.Results) && !strings.HasPrefix(row, "| "+rep.Results[i].Title+" | 1 | ") {
			t.Errorf("row %d is %q, want %s at 1 client", i, row, rep.Results[i].Title)
		}
		if strings.Contains(row, "n/a") {
			t.Errorf("row without a ratio or memory: %s", row)
		}
	}
	for _, s := range []string{"godoo bench on " + rep.Meta.Store, "godoo ÷ SQL: median (min–max)", "Command: `godoo bench --clients 1"} {
		if !strings.Contains(string(md), s) {
			t.Errorf("the Markdown lacks %q:\n%s", s, md)
		}
	}
}

func TestBenchFlags(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{bench.ServeCommand},
		{bench.ServeCommand, "--database", "bad/name"},
		{"bench", "--clients", "0"},
		{"bench", "--clients", "8,x"},
		{"bench", "--pairs", "0"},
		{"bench", "--scenarios", "xml-key,nope"},
		{"bench", "--db-url", "postgres://x", "--data-dir", "d"},
		{"bench", "--noauth-url", "http://127.0.0.1:1"},
		{"bench", "--url", "https://127.0.0.1:8069"},
		{"bench", "--url", "http://127.0.0.1:8069", "--noauth-url", "127.0.0.1:8070"},
		{"bench", "--url", "http://127.0.0.1:8069", "--scenarios", "xml-key-cold"},
		{"bench", "extra"},
		{"bench", "--scenarios", "soak", "--clients", "1,8"},
		{"bench", "--url", "http://127.0.0.1:8069", "--scenarios", "soak", "--clients", "1"},
	} {
		if r := runGodoo(t, "", args...); r.code != 2 {
			t.Errorf("godoo %s: %s, want a usage error", strings.Join(args, " "), r)
		}
	}
	if !bench.NoAuthBuild {
		r := runGodoo(t, "", "bench", "--scenarios", "xml-noauth")
		if r.code != 2 || !strings.Contains(r.stderr, "godoo_noauth") {
			t.Errorf("xml-noauth in a normal build: %s", r)
		}
	}
}

// TestBenchSoak runs a short soak end to end, on SQLite and, with
// GODOO_TEST_DSN, on PostgreSQL: every kind of call it mixes succeeds
// against the real server, its memory is sampled, and the reports say so.
// The memory verdict of a run of a second means nothing, so a run that
// fails on memory alone passes the test. One second is enough: the soak
// makes every kind of call before its timed run starts, and samples the
// memory halfway and at the end; each second more keeps both cores busy.
func TestBenchSoak(t *testing.T) {
	stores := map[string][]string{"sqlite": nil}
	if dsn := os.Getenv("GODOO_TEST_DSN"); dsn != "" {
		stores["pg"] = []string{"--db-url", dsn}
	}
	for name, storeArgs := range stores {
		t.Run(name, func(t *testing.T) {
			isolate(t)
			dir := t.TempDir()
			mdPath, jsonPath := filepath.Join(dir, "soak.md"), filepath.Join(dir, "soak.json")
			r := runGodoo(t, "", append([]string{"bench", "--scenarios", "soak", "--clients", "2", "--duration", "1s",
				"--partners", "60", "--out", mdPath, "--json", jsonPath}, storeArgs...)...)
			js, err := os.ReadFile(jsonPath)
			if err != nil {
				t.Fatalf("no JSON report: %v\n%s", err, r)
			}
			var rep struct {
				Results []any
				Soak    *bench.SoakResult
			}
			if err := json.Unmarshal(js, &rep); err != nil {
				t.Fatal(err)
			}
			s := rep.Soak
			if s == nil || len(rep.Results) != 0 {
				t.Fatalf("report: %d pair results, soak %v", len(rep.Results), s)
			}
			if r.code != 0 && (s.OK || s.Errors > 0 || !strings.Contains(s.Why, "RSS")) {
				t.Errorf("godoo bench: %s", r)
			}
			if s.Errors != 0 || s.Clients != 2 || len(s.Ops) != 7 || len(s.Samples) < 2 || s.FirstRSS <= 0 {
				t.Errorf("soak: %+v", s)
			}
			for _, op := range s.Ops {
				if op.Calls == 0 || op.Errors != 0 {
					t.Errorf("soak call %s: %d calls, %d errors (%s)", op.Name, op.Calls, op.Errors, op.FirstError)
				}
			}
			md, err := os.ReadFile(mdPath)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"a soak of 1s with 2 clients", "Soak, 2 clients for", "| json-create-write-unlink | ", "Server RSS: "} {
				if !strings.Contains(string(md), want) {
					t.Errorf("the Markdown lacks %q:\n%s", want, md)
				}
			}
			if strings.Contains(string(md), "| scenario |") {
				t.Errorf("a soak alone has no table of pairs:\n%s", md)
			}
		})
	}
}
