// Package bench is godoo bench, the command (command.go) and its server
// (bench-serve, serve.go) as well as the load generator: it runs a number
// of concurrent clients against a target for a fixed time, either godoo over
// loopback HTTP or the equivalent SQL run directly on the database pool,
// alternates the two in pairs, and reports throughput, latency and the ratio
// of godoo to direct SQL. What the bench needs of a server (authentication
// off, cold key checks) it sets through the handler's auth modes, and only
// in builds with the godoo_noauth tag (noauth.go): no production package
// carries bench code.
package bench

import (
	"context"
	"sync"
	"time"
)

// CallFunc makes one call (one unit of work: a request and its checked
// answer, or the SQL that does the same) and reports whether it failed.
type CallFunc func(ctx context.Context) error

// Target makes the CallFunc of each client. Each client gets its own, so
// that buffers and scan destinations are never shared between goroutines.
type Target func(client int) CallFunc

// RunResult is what one timed run of a target measured.
type RunResult struct {
	// Calls counts the calls that succeeded, Errors those that failed.
	Calls  int64
	Errors int64
	// FirstError is the first failure seen, for the report.
	FirstError error
	// Elapsed is the time from the start until the last client stopped.
	Elapsed time.Duration
	// Latencies of the calls that succeeded, in no particular order.
	Latencies []time.Duration
}

// Rate is the run's throughput: successful calls per second.
func (r RunResult) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Calls) / r.Elapsed.Seconds()
}

// Run runs target with the given number of clients for d: each client calls
// again as soon as its previous call is done, until d has passed (a call in
// flight then completes and counts). It stops early when ctx ends.
func Run(ctx context.Context, target Target, clients int, d time.Duration) RunResult {
	calls := make([]CallFunc, clients)
	for i := range calls {
		calls[i] = target(i)
	}
	type worker struct {
		calls, errors int64
		first         error
		lat           []time.Duration
	}
	workers := make([]worker, clients)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for i := range workers {
		wg.Add(1)
		go func(w *worker, call CallFunc) {
			defer wg.Done()
			w.lat = make([]time.Duration, 0, 1024)
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(deadline) {
					return
				}
				err := call(ctx)
				lat := time.Since(t0)
				if err != nil {
					if ctx.Err() != nil {
						return // cancelled, not failed
					}
					w.errors++
					if w.first == nil {
						w.first = err
					}
					continue
				}
				w.calls++
				w.lat = append(w.lat, lat)
			}
		}(&workers[i], calls[i])
	}
	wg.Wait()
	res := RunResult{Elapsed: time.Since(start)}
	n := 0
	for _, w := range workers {
		n += len(w.lat)
	}
	res.Latencies = make([]time.Duration, 0, n)
	for _, w := range workers {
		res.Calls += w.calls
		res.Errors += w.errors
		if res.FirstError == nil {
			res.FirstError = w.first
		}
		res.Latencies = append(res.Latencies, w.lat...)
	}
	return res
}
