package bench_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"
)

func durations(ms ...int) []time.Duration {
	out := make([]time.Duration, len(ms))
	for i, m := range ms {
		out[i] = time.Duration(m) * time.Millisecond
	}
	return out
}

func oneToN(n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(i+1) * time.Millisecond
	}
	return out
}

func TestPercentile(t *testing.T) {
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"no values", nil, 50, 0},
		{"one value, p50", durations(7), 50, 7 * time.Millisecond},
		{"one value, p99", durations(7), 99, 7 * time.Millisecond},
		{"1..100 p50", oneToN(100), 50, 50 * time.Millisecond},
		{"1..100 p95", oneToN(100), 95, 95 * time.Millisecond},
		{"1..100 p99", oneToN(100), 99, 99 * time.Millisecond},
		{"1..100 p100", oneToN(100), 100, 100 * time.Millisecond},
		{"1..10 p50 is the 5th", oneToN(10), 50, 5 * time.Millisecond},
		{"1..10 p95 rounds up to the 10th", oneToN(10), 95, 10 * time.Millisecond},
		{"1..10 p99 is the largest", oneToN(10), 99, 10 * time.Millisecond},
		{"1..1000 p99.9", oneToN(1000), 99.9, 999 * time.Millisecond},
		{"tiny p is the smallest", oneToN(10), 0.001, 1 * time.Millisecond},
		{"two values p50 is the lower", durations(1, 9), 50, 1 * time.Millisecond},
		{"two values p51 is the upper", durations(1, 9), 51, 9 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := bench.Percentile(tc.sorted, tc.p); got != tc.want {
				t.Errorf("Percentile(p%v) = %v, want %v", tc.p, got, tc.want)
			}
		})
	}
}

func TestSpreadOf(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		want bench.Spread
	}{
		{"no values", nil, bench.Spread{}},
		{"one value", []float64{0.7}, bench.Spread{Median: 0.7, Min: 0.7, Max: 0.7}},
		{"odd count, unsorted", []float64{0.9, 0.5, 0.7}, bench.Spread{Median: 0.7, Min: 0.5, Max: 0.9}},
		{"even count: mean of the middle two", []float64{4, 1, 3, 2}, bench.Spread{Median: 2.5, Min: 1, Max: 4}},
		{"five pairs with an outlier", []float64{0.61, 0.6, 0.2, 0.62, 0.59}, bench.Spread{Median: 0.6, Min: 0.2, Max: 0.62}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.xs)
			if got := bench.SpreadOf(tc.xs); got != tc.want {
				t.Errorf("SpreadOf(%v) = %+v, want %+v", tc.xs, got, tc.want)
			}
			if !slices.Equal(in, tc.xs) {
				t.Errorf("SpreadOf changed its input to %v", tc.xs)
			}
		})
	}
}

// run is a RunResult of calls in one second, with errs failures.
func run(calls, errs int64) bench.RunResult {
	r := bench.RunResult{Calls: calls, Errors: errs, Elapsed: time.Second}
	if errs > 0 {
		r.FirstError = errors.New("boom")
	}
	return r
}

func TestPairRatios(t *testing.T) {
	tests := []struct {
		name       string
		godoo, sql []bench.RunResult
		want       bench.Ratio
	}{
		{"one pair", []bench.RunResult{run(500, 0)}, []bench.RunResult{run(1000, 0)},
			bench.Ratio{Spread: bench.Spread{Median: 0.5, Min: 0.5, Max: 0.5}, OK: true}},
		{"five pairs: median of the quotients, not quotient of the medians",
			[]bench.RunResult{run(600, 0), run(300, 0), run(700, 0), run(800, 0), run(450, 0)},
			[]bench.RunResult{run(1000, 0), run(1000, 0), run(1000, 0), run(2000, 0), run(500, 0)},
			bench.Ratio{Spread: bench.Spread{Median: 0.6, Min: 0.3, Max: 0.9}, OK: true}},
		{"rates use the elapsed time",
			[]bench.RunResult{{Calls: 300, Elapsed: 2 * time.Second}}, []bench.RunResult{{Calls: 300, Elapsed: time.Second}},
			bench.Ratio{Spread: bench.Spread{Median: 0.5, Min: 0.5, Max: 0.5}, OK: true}},
		{"godoo errors in one pair: no ratio",
			[]bench.RunResult{run(600, 0), run(900, 1), run(600, 0)}, []bench.RunResult{run(1000, 0), run(1000, 0), run(1000, 0)},
			bench.Ratio{Why: "errors"}},
		{"SQL errors: no ratio",
			[]bench.RunResult{run(600, 0)}, []bench.RunResult{run(1000, 3)},
			bench.Ratio{Why: "errors"}},
		{"only errors: no ratio",
			[]bench.RunResult{run(0, 50)}, []bench.RunResult{run(0, 80)},
			bench.Ratio{Why: "errors"}},
		{"SQL made no calls", []bench.RunResult{run(600, 0)}, []bench.RunResult{run(0, 0)},
			bench.Ratio{Why: "no SQL calls"}},
		{"no pairs", nil, nil, bench.Ratio{Why: "no pairs"}},
		{"a missing SQL run", []bench.RunResult{run(1, 0), run(1, 0)}, []bench.RunResult{run(1, 0)},
			bench.Ratio{Why: "no pairs"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := bench.PairRatios(tc.godoo, tc.sql); got != tc.want {
				t.Errorf("PairRatios = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestLatencyOf(t *testing.T) {
	runs := []bench.RunResult{
		{Latencies: durations(5, 1, 3)},
		{Latencies: durations(2, 4)},
		{},
	}
	want := bench.Latency{P50: 3 * time.Millisecond, P95: 5 * time.Millisecond, P99: 5 * time.Millisecond, Max: 5 * time.Millisecond}
	if got := bench.LatencyOf(runs); got != want {
		t.Errorf("LatencyOf = %+v, want %+v", got, want)
	}
	if got := bench.LatencyOf(nil); got != (bench.Latency{}) {
		t.Errorf("LatencyOf(nil) = %+v, want zero", got)
	}
}
