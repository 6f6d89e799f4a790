package bench

import (
	"math"
	"slices"
	"time"
)

// Percentile returns the p-th percentile (0 < p <= 100) of sorted, an
// ascending slice, by the nearest-rank method: the smallest value that at
// least p percent of the values do not exceed. It is 0 for no values.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	// The epsilon keeps a product such as 99.9% of 1000 (999.0000000000001
	// in floating point) from rounding up to the next rank.
	rank := int(math.Ceil(p/100*float64(len(sorted)) - 1e-9))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// Spread is the median, minimum and maximum of a set of measures.
type Spread struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

// SpreadOf returns the spread of xs; the median of an even count is the mean
// of the two middle values. It is all zero for no values.
func SpreadOf(xs []float64) Spread {
	if len(xs) == 0 {
		return Spread{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Spread{Median: m, Min: s[0], Max: s[len(s)-1]}
}

// Ratio is godoo's throughput divided by the direct SQL throughput, pair by
// pair. When it cannot be given honestly, OK is false and Why says why.
type Ratio struct {
	Spread
	OK  bool   `json:"ok"`
	Why string `json:"why,omitempty"`
}

// PairRatios divides the rate of each godoo run by the rate of the SQL run
// of the same pair and returns the spread of those quotients. It gives no
// ratio when any run of either side had errors (a failing call is often a
// fast one, so the rate would flatter), when a SQL run made no calls, or when
// the pairs are incomplete.
func PairRatios(godoo, sql []RunResult) Ratio {
	if len(godoo) == 0 || len(godoo) != len(sql) {
		return Ratio{Why: "no pairs"}
	}
	for i := range godoo {
		if godoo[i].Errors > 0 || sql[i].Errors > 0 {
			return Ratio{Why: "errors"}
		}
	}
	qs := make([]float64, len(godoo))
	for i := range godoo {
		s := sql[i].Rate()
		if s == 0 {
			return Ratio{Why: "no SQL calls"}
		}
		qs[i] = godoo[i].Rate() / s
	}
	return Ratio{Spread: SpreadOf(qs), OK: true}
}

// Latency is the latency distribution of a set of runs.
type Latency struct {
	P50, P95, P99, Max time.Duration
}

// LatencyOf merges the latencies of runs and returns their percentiles.
func LatencyOf(runs []RunResult) Latency {
	n := 0
	for _, r := range runs {
		n += len(r.Latencies)
	}
	all := make([]time.Duration, 0, n)
	for _, r := range runs {
		all = append(all, r.Latencies...)
	}
	slices.Sort(all)
	l := Latency{P50: Percentile(all, 50), P95: Percentile(all, 95), P99: Percentile(all, 99)}
	if len(all) > 0 {
		l.Max = all[len(all)-1]
	}
	return l
}

// rates returns the throughput of each run.
func rates(runs []RunResult) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = r.Rate()
	}
	return out
}

// errorsOf sums the failed calls of runs and returns the first failure.
func errorsOf(runs []RunResult) (int64, error) {
	var n int64
	var first error
	for _, r := range runs {
		n += r.Errors
		if first == nil {
			first = r.FirstError
		}
	}
	return n, first
}
