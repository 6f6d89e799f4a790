package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"
)

// fake is a target whose calls take d and fail when fail says so.
func fake(d time.Duration, fail func(n int64) bool) bench.Target {
	var n atomic.Int64
	return func(int) bench.CallFunc {
		return func(ctx context.Context) error {
			time.Sleep(d)
			if fail != nil && fail(n.Add(1)) {
				return errors.New("fault: Access Denied")
			}
			return nil
		}
	}
}

func never(int64) bool { return false }

// fakeProbe reports a fixed peak and counts resets.
type fakeProbe struct{ resets int }

func (p *fakeProbe) ResetPeak() error        { p.resets++; return nil }
func (p *fakeProbe) PeakRSS() (int64, error) { return 42 << 20, nil }

// TestNoRatioWithErrors measures a clean scenario and three that fail in
// different ways through Measure, and checks that only the clean one gets
// a ratio, in the results, the Markdown and the JSON. It runs on
// synctest's clock: the fake calls take exactly their time, whatever else
// the machine does, so the clean ratio is the fakes' 1 ms ÷ 2 ms.
func TestNoRatioWithErrors(t *testing.T) {
	synctest.Test(t, testNoRatioWithErrors)
}

func testNoRatioWithErrors(t *testing.T) {
	probe := &fakeProbe{}
	everyThird := func(n int64) bool { return n%3 == 0 }
	scenarios := []bench.Scenario{
		{ID: "clean", Title: "clean calls", Godoo: fake(2*time.Millisecond, never), SQL: fake(time.Millisecond, never), Server: probe},
		{ID: "godoo-errors", Title: "failing calls", Godoo: fake(time.Millisecond, everyThird), SQL: fake(time.Millisecond, never)},
		{ID: "sql-errors", Title: "failing SQL", Godoo: fake(time.Millisecond, never), SQL: fake(time.Millisecond, everyThird)},
		{ID: "flood", Title: "unrefused flood", Godoo: fake(time.Millisecond, never), SQL: fake(time.Millisecond, never),
			Flood: fake(time.Millisecond, func(int64) bool { return true }), FloodClients: 2},
	}
	var progress bytes.Buffer
	results, err := bench.Measure(context.Background(), scenarios, bench.Options{
		Clients: []int{1, 2}, Duration: 40 * time.Millisecond, Warmup: 5 * time.Millisecond, Pairs: 2, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 8 {
		t.Fatalf("%d results, want 8 (4 scenarios x 2 client counts)", len(results))
	}
	for _, r := range results {
		switch r.Scenario {
		case "clean":
			if !r.Ratio.OK || r.Ratio.Median <= 0.2 || r.Ratio.Median >= 1 || r.Ratio.Min > r.Ratio.Median || r.Ratio.Max < r.Ratio.Median {
				t.Errorf("%d clients: clean ratio %+v, want about 0.5", r.Clients, r.Ratio)
			}
			if r.Errors != 0 || r.Calls == 0 || r.Latency.P50 < 2*time.Millisecond || r.PeakRSS != 42<<20 {
				t.Errorf("%d clients: clean result %+v", r.Clients, r)
			}
		case "godoo-errors":
			if r.Ratio.OK || r.Ratio.Why != "errors" || r.Errors == 0 || !strings.Contains(r.FirstError, "Access Denied") {
				t.Errorf("%d clients: godoo errors gave %+v", r.Clients, r)
			}
		case "sql-errors":
			if r.Ratio.OK || r.Ratio.Why != "errors" || r.SQLErrors == 0 {
				t.Errorf("%d clients: SQL errors gave %+v", r.Clients, r)
			}
		case "flood":
			if r.Ratio.OK || r.FloodErrors == 0 || r.Errors != 0 {
				t.Errorf("%d clients: an unrefused flood gave %+v", r.Clients, r)
			}
		}
	}
	if probe.resets != 2 {
		t.Errorf("the peak was reset %d times, want once per client count", probe.resets)
	}
	if !strings.Contains(progress.String(), "clean, 2 clients, pair 2/2") {
		t.Errorf("progress does not show the pairs:\n%s", progress.String())
	}

	report := bench.NewReport(bench.Meta{Store: "SQLite", StoreVersion: "3", Pairs: 2, Duration: 40 * time.Millisecond}, results)
	var md bytes.Buffer
	if err := report.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(md.String(), "\n") {
		cells := strings.Split(line, " | ")
		if len(cells) == 11 {
			rows[strings.TrimPrefix(cells[0], "| ")] = append(rows[strings.TrimPrefix(cells[0], "| ")], line)
		}
	}
	for title, wantRatio := range map[string]bool{"clean calls": true, "failing calls": false, "failing SQL": false, "unrefused flood": false} {
		if len(rows[title]) != 2 {
			t.Errorf("%d rows for %q, want 2:\n%s", len(rows[title]), title, md.String())
		}
		for _, row := range rows[title] {
			cells := strings.Split(row, " | ")
			ratio := cells[9]
			if wantRatio == strings.HasPrefix(ratio, "n/a") {
				t.Errorf("%q: ratio cell %q", title, ratio)
			}
			if !wantRatio && ratio != "n/a (errors)" && ratio != "n/a (flood errors)" {
				t.Errorf("%q: ratio cell %q, want n/a (errors)", title, ratio)
			}
		}
	}
	if !strings.Contains(md.String(), "failing calls, 1 clients: fault: Access Denied") {
		t.Errorf("the Markdown does not give the first error:\n%s", md.String())
	}

	var js bytes.Buffer
	if err := report.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		Results []struct {
			Scenario string
			Ratio    struct {
				OK     bool
				Median float64
			}
			Latency map[string]float64
		}
	}
	if err := json.Unmarshal(js.Bytes(), &decoded); err != nil {
		t.Fatal(err)
	}
	for _, r := range decoded.Results {
		if r.Ratio.OK != (r.Scenario == "clean") {
			t.Errorf("JSON: %s ratio ok = %v", r.Scenario, r.Ratio.OK)
		}
		if r.Scenario == "clean" && r.Latency["p50_ms"] < 2 {
			t.Errorf("JSON: clean latency %v, want milliseconds", r.Latency)
		}
	}
}

// TestComparisons checks the derived quotients, and that none is given
// when either side had errors.
func TestComparisons(t *testing.T) {
	res := func(id string, clients int, rate float64, errs int64) bench.Result {
		r := bench.Result{Scenario: id, Title: id, Clients: clients, Rate: bench.Spread{Median: rate}, Errors: errs}
		if errs == 0 {
			r.Ratio = bench.Ratio{Spread: bench.Spread{Median: rate / 2000}, OK: true}
		}
		return r
	}
	results := []bench.Result{
		res("xml-key", 8, 900, 0), res("xml-noauth", 8, 1000, 0), res("flood", 8, 450, 0),
		res("xml-key", 32, 990, 0), res("xml-noauth", 32, 1000, 3), res("flood", 32, 0, 0),
	}
	got := map[string]bench.Comparison{}
	for _, c := range bench.NewReport(bench.Meta{}, results).Comparisons {
		got[c.What+" @"+c.Clients] = c
	}
	tests := []struct {
		key        string
		value      float64
		why        string
		normalised bool
	}{
		{"XML-RPC search_read: valid key ÷ auth off @8", 0.9, "", true},
		{"XML-RPC search_read: valid key ÷ auth off @32", 0, "errors", false},
		{"XML-RPC search_read: during a wrong-key flood ÷ without @8", 0.5, "", true},
		{"XML-RPC search_read: during a wrong-key flood ÷ without @32", 0, "", true},
		{"xml-key: more clients @32/8", 1.1, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			c, ok := got[tc.key]
			switch {
			case !ok:
				t.Fatalf("missing; got %v", got)
			case tc.why != "" && (c.OK || c.Why != tc.why):
				t.Errorf("%+v, want no quotient because of %s", c, tc.why)
			case tc.why == "" && (!c.OK || math.Abs(c.Value-tc.value) > 1e-9):
				t.Errorf("%+v, want %v", c, tc.value)
			case c.NormalisedOK != tc.normalised || tc.normalised && math.Abs(c.Normalised-tc.value) > 1e-9:
				t.Errorf("%+v, want normalised %v: %v", c, tc.normalised, tc.value)
			}
		})
	}
	if len(got) != len(tests) {
		t.Errorf("%d comparisons, want %d: %v", len(got), len(tests), got)
	}
}
