package bench

import (
	"context"
	"fmt"
	"io"
	"time"
)

// Scenario is one way of calling godoo and the SQL that does the same work
// directly on the database, its yardstick.
type Scenario struct {
	// ID names the scenario on the command line (--scenarios).
	ID string
	// Title names it in the report.
	Title string
	Godoo Target
	SQL   Target
	// Flood, when set, runs with FloodClients clients beside every godoo
	// run of the scenario (not beside its SQL runs): load that must not
	// slow the measured calls down much.
	Flood        Target
	FloodClients int
	// Server is the process that serves Godoo, whose peak memory the
	// report gives; nil when it is not known.
	Server Probe
	// Curve names a growth scenario's measure across its sizes.
	Curve string
}

// Probe reads the memory of a server process.
type Probe interface {
	// ResetPeak starts a new peak measure at the current resident size.
	ResetPeak() error
	// PeakRSS is the largest resident size, in bytes, since the last
	// ResetPeak (or since the process started).
	PeakRSS() (int64, error)
}

// Options say how long and how often each scenario runs.
type Options struct {
	// Clients are the numbers of concurrent clients to measure, in order.
	Clients []int
	// Duration is the length of every measured run.
	Duration time.Duration
	// Warmup runs each side of a scenario this long before its pairs, not
	// measured: connections open and caches fill.
	Warmup time.Duration
	// Pairs is how many godoo runs and SQL runs alternate (A B A B ...).
	Pairs int
	// Progress receives one line per run; nil discards them.
	Progress io.Writer
}

// Result is one scenario at one number of clients.
type Result struct {
	Scenario string `json:"scenario"`
	Title    string `json:"title"`
	Clients  int    `json:"clients"`
	// Size is the size of a growth scenario's point (records per call,
	// rows or keys), 0 for the others; Unit is what its time per unit
	// divides by: "record" or "call".
	Size int    `json:"size,omitempty"`
	Unit string `json:"unit,omitempty"`
	// Curve names the measure of a growth scenario that its sizes share
	// (its title names the size too).
	Curve string `json:"curve,omitempty"`
	// Rate is godoo's throughput (successful calls per second) over the
	// pairs, Latency the distribution of all its successful calls.
	Rate       Spread  `json:"calls_per_second"`
	Latency    Latency `json:"latency"`
	Calls      int64   `json:"calls"`
	Errors     int64   `json:"errors"`
	FirstError string  `json:"first_error,omitempty"`
	// SQLRate, SQLLatency and SQLErrors are the same for the yardstick.
	SQLRate       Spread  `json:"sql_calls_per_second"`
	SQLLatency    Latency `json:"sql_latency"`
	SQLErrors     int64   `json:"sql_errors"`
	SQLFirstError string  `json:"sql_first_error,omitempty"`
	// Ratio is godoo's rate divided by the SQL rate, pair by pair.
	Ratio Ratio `json:"ratio"`
	// PeakRSS is the server's largest resident size during the godoo runs,
	// in bytes; 0 when unknown.
	PeakRSS int64 `json:"server_peak_rss_bytes"`
	// FloodRate and FloodErrors describe the flood beside the godoo runs:
	// refused calls per second, and answers that were not a refusal.
	FloodRate   float64 `json:"flood_calls_per_second,omitempty"`
	FloodErrors int64   `json:"flood_errors,omitempty"`
}

// Measure runs every scenario at every number of clients, each as
// o.Pairs alternating godoo and SQL runs, and returns one result per
// scenario and number of clients, grouped by number of clients.
func Measure(ctx context.Context, scenarios []Scenario, o Options) ([]Result, error) {
	progress := o.Progress
	if progress == nil {
		progress = io.Discard
	}
	total := len(o.Clients) * len(scenarios)
	est := time.Duration(total) * (2*o.Warmup + time.Duration(2*o.Pairs)*o.Duration)
	fmt.Fprintf(progress, "bench: %d scenarios x %d client counts, %d pairs of %s runs: about %s\n",
		len(scenarios), len(o.Clients), o.Pairs, o.Duration, est.Round(time.Second))
	var out []Result
	step := 0
	for _, clients := range o.Clients {
		for _, sc := range scenarios {
			step++
			if err := ctx.Err(); err != nil {
				return out, err
			}
			res := measureOne(ctx, sc, clients, o, progress, fmt.Sprintf("[%d/%d]", step, total))
			if err := ctx.Err(); err != nil {
				return out, err
			}
			out = append(out, res)
		}
	}
	return out, nil
}

func measureOne(ctx context.Context, sc Scenario, clients int, o Options, progress io.Writer, tag string) Result {
	if o.Warmup > 0 {
		runGodoo(ctx, sc, clients, o.Warmup)
		Run(ctx, sc.SQL, clients, o.Warmup)
	}
	if sc.Server != nil {
		if err := sc.Server.ResetPeak(); err != nil {
			fmt.Fprintf(progress, "bench: cannot reset the server's peak memory: %v\n", err)
		}
	}
	var godoo, sql, flood []RunResult
	for p := 1; p <= o.Pairs; p++ {
		g, f := runGodoo(ctx, sc, clients, o.Duration)
		s := Run(ctx, sc.SQL, clients, o.Duration)
		godoo, sql = append(godoo, g), append(sql, s)
		if sc.Flood != nil {
			flood = append(flood, f)
		}
		fmt.Fprintf(progress, "bench: %s %s, %d clients, pair %d/%d: godoo %.0f calls/s (%d errors), SQL %.0f calls/s (%d errors)\n",
			tag, sc.ID, clients, p, o.Pairs, g.Rate(), g.Errors, s.Rate(), s.Errors)
	}
	r := Result{Scenario: sc.ID, Title: sc.Title, Clients: clients,
		Rate: SpreadOf(rates(godoo)), Latency: LatencyOf(godoo),
		SQLRate: SpreadOf(rates(sql)), SQLLatency: LatencyOf(sql),
		Ratio: PairRatios(godoo, sql)}
	for _, g := range godoo {
		r.Calls += g.Calls
	}
	var first error
	r.Errors, first = errorsOf(godoo)
	if first != nil {
		r.FirstError = first.Error()
	}
	r.SQLErrors, first = errorsOf(sql)
	if first != nil {
		r.SQLFirstError = first.Error()
	}
	if len(flood) > 0 {
		r.FloodRate = SpreadOf(rates(flood)).Median
		r.FloodErrors, first = errorsOf(flood)
		if first != nil && r.FirstError == "" {
			r.FirstError = "flood: " + first.Error()
		}
		// A flood that was not refused means the measured calls did not
		// run beside the load they claim: no ratio then either.
		if r.FloodErrors > 0 && r.Ratio.OK {
			r.Ratio = Ratio{Why: "flood errors"}
		}
	}
	if sc.Server != nil {
		if rss, err := sc.Server.PeakRSS(); err == nil {
			r.PeakRSS = rss
		} else {
			fmt.Fprintf(progress, "bench: cannot read the server's peak memory: %v\n", err)
		}
	}
	ratio := "n/a (" + r.Ratio.Why + ")"
	if r.Ratio.OK {
		ratio = fmt.Sprintf("%.2f (%.2f-%.2f)", r.Ratio.Median, r.Ratio.Min, r.Ratio.Max)
	}
	fmt.Fprintf(progress, "bench: %s %s, %d clients: %.0f calls/s, p50 %s, p99 %s, ratio to SQL %s\n",
		tag, sc.ID, clients, r.Rate.Median, ms(r.Latency.P50), ms(r.Latency.P99), ratio)
	return r
}

// runGodoo runs the godoo side of sc, with its flood beside it when it has
// one; the flood stops when the measured run ends.
func runGodoo(ctx context.Context, sc Scenario, clients int, d time.Duration) (RunResult, RunResult) {
	if sc.Flood == nil {
		return Run(ctx, sc.Godoo, clients, d), RunResult{}
	}
	fctx, stop := context.WithCancel(ctx)
	done := make(chan RunResult, 1)
	go func() { done <- Run(fctx, sc.Flood, sc.FloodClients, d+time.Minute) }()
	g := Run(ctx, sc.Godoo, clients, d)
	stop()
	return g, <-done
}

// ms formats a duration in milliseconds with two decimals.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}
