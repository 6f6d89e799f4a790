package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SoakID names the soak run on the command line. It is not one of
// ScenarioIDs: it runs once for the whole duration, without pairs or a SQL
// yardstick, and "all" leaves it out.
const SoakID = "soak"

// SoakMaxGrowth is how far the server's resident size at the end of a soak
// may be from the one after its first minute: further means memory that a
// longer run would keep gaining (or a first sample taken before the server
// had grown to its working size).
const SoakMaxGrowth = 0.10

// soakMix are the scenarios whose calls the soak interleaves: reads over
// XML-RPC, JSON-RPC, JSON-2 and a web route, with a key, a password and a
// header key, and the writes of create-unlink.
var soakMix = []string{"xml-key", "json-password", "read", "header-key", "json2", "create-unlink"}

// SoakOp is one kind of call of the soak.
type SoakOp struct {
	Name   string
	Target Target
}

// SoakOps are the soak's calls: those of the scenarios of soakMix, and a
// create, write and unlink over JSON-RPC with the password.
func SoakOps(s Setup) ([]SoakOp, error) {
	scs, err := Scenarios(s, soakMix)
	if err != nil {
		return nil, err
	}
	ops := make([]SoakOp, 0, len(scs)+1)
	for _, sc := range scs {
		ops = append(ops, SoakOp{Name: sc.ID, Target: sc.Godoo})
	}
	return append(ops, SoakOp{Name: "json-create-write-unlink", Target: jsonCreateWriteUnlink(s.HTTP, s.URL+"/jsonrpc", s)}), nil
}

// jsonCreateWriteUnlink creates a partner over JSON-RPC with the password,
// renames it and unlinks it: three calls, measured as one.
func jsonCreateWriteUnlink(h *HTTP, url string, s Setup) Target {
	const placeholder = "987654321"
	create := jsonCall("object", "execute_kw", s.DB, s.UID, s.Password, "res.partner", "create", []any{map[string]any{"name": "soak create"}})
	write := splitAt(jsonCall("object", "execute_kw", s.DB, s.UID, s.Password, "res.partner", "write", []any{[]any{987654321}, map[string]any{"name": "soak write"}}), placeholder)
	unlink := splitAt(jsonCall("object", "execute_kw", s.DB, s.UID, s.Password, "res.partner", "unlink", []any{[]any{987654321}}), placeholder)
	return createThen(h, url, http.Header{"Content-Type": {"application/json"}}, create, jsonResultInt,
		[]template{write, unlink}, containsCheck(`"result": true`, jsonError))
}

// jsonResultInt returns the integer result of a JSON-RPC answer.
func jsonResultInt(body []byte) (int64, error) {
	if isFault(body, jsonError) {
		return 0, fmt.Errorf("fault: %s", excerpt(body))
	}
	_, rest, ok := bytes.Cut(body, []byte(`"result": `))
	if ok {
		end := bytes.IndexAny(rest, ",}")
		if end > 0 {
			if n, err := strconv.ParseInt(string(bytes.TrimSpace(rest[:end])), 10, 64); err == nil {
				return n, nil
			}
		}
	}
	return 0, fmt.Errorf("no integer result in the answer: %s", excerpt(body))
}

// RSSProbe reads the current resident size of a server process.
type RSSProbe interface {
	RSS() (int64, error)
}

// Clock is the time a soak goes by; tests drive their own.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type wallClock struct{}

func (wallClock) Now() time.Time                         { return time.Now() }
func (wallClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// SoakOptions say how a soak runs.
type SoakOptions struct {
	Clients  int
	Duration time.Duration
	// First is when the server's memory is first sampled (see
	// SoakFirstSample), Every how often after that; the last sample is
	// taken at the end, before the clients stop.
	First, Every time.Duration
	// Clock is the wall clock when nil.
	Clock Clock
	// Progress receives a line per sample; nil discards them.
	Progress io.Writer
}

// SoakFirstSample is when a soak of duration d first samples memory: after
// a minute, once the pools, caches and heap have grown to their working
// size, or at half time in runs shorter than two minutes.
func SoakFirstSample(d time.Duration) time.Duration {
	return min(time.Minute, d/2)
}

// SoakSample is the server's resident size at a time into the soak.
type SoakSample struct {
	At  time.Duration `json:"at_ns"`
	RSS int64         `json:"rss_bytes"`
}

// SoakOpResult counts one kind of call.
type SoakOpResult struct {
	Name       string `json:"name"`
	Calls      int64  `json:"calls"`
	Errors     int64  `json:"errors"`
	FirstError string `json:"first_error,omitempty"`
}

// SoakResult is the outcome of a soak. OK is its verdict: no failed call,
// and the resident size at the end within SoakMaxGrowth of the first
// sample; Why says what failed.
type SoakResult struct {
	Clients    int            `json:"clients"`
	Elapsed    time.Duration  `json:"elapsed_ns"`
	Calls      int64          `json:"calls"`
	Errors     int64          `json:"errors"`
	FirstError string         `json:"first_error,omitempty"`
	Ops        []SoakOpResult `json:"operations"`
	Latency    Latency        `json:"latency"`
	Samples    []SoakSample   `json:"rss_samples"`
	FirstRSS   int64          `json:"first_rss_bytes"`
	EndRSS     int64          `json:"end_rss_bytes"`
	// Growth is (EndRSS - FirstRSS) / FirstRSS.
	Growth float64 `json:"rss_growth"`
	OK     bool    `json:"ok"`
	Why    string  `json:"why,omitempty"`
}

// Rate is the soak's throughput: successful calls per second.
func (r SoakResult) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Calls) / r.Elapsed.Seconds()
}

// soakClient is what one client counted, per op.
type soakClient struct {
	calls, errors []int64
	first         []error
	lat           []time.Duration
}

// Soak runs ops with o.Clients clients: each client calls the ops in turn
// (starting at its own offset, so that all kinds run at every moment), as
// soon as its previous call is done. The timed run of o.Duration starts
// once every client has made one call of each op, so that even a short
// soak tries every kind (those first calls count with the others). It
// samples the server's resident size o.First into the timed run, every
// o.Every, and at the end. A call in flight at the end is interrupted and
// not counted.
func Soak(ctx context.Context, ops []SoakOp, server RSSProbe, o SoakOptions) SoakResult {
	clock := o.Clock
	if clock == nil {
		clock = wallClock{}
	}
	progress := o.Progress
	if progress == nil {
		progress = io.Discard
	}
	cctx, stop := context.WithCancel(ctx)
	defer stop()
	clients := make([]soakClient, o.Clients)
	var wg, warm sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		warm.Add(1)
		go func(i int, sc *soakClient) {
			defer wg.Done()
			soakLoop(cctx, i, ops, sc, warm.Done)
		}(i, &clients[i])
	}
	// The timed run starts once every client has made its first round.
	warmed := make(chan struct{})
	go func() { warm.Wait(); close(warmed) }()
	select {
	case <-warmed:
	case <-ctx.Done():
	}
	start := clock.Now()
	end := clock.After(o.Duration)
	next := clock.After(o.First)

	var samples []SoakSample
	var sampleErr error
	sample := func() {
		rss, err := server.RSS()
		if err != nil {
			sampleErr = err
			return
		}
		at := clock.Now().Sub(start)
		samples = append(samples, SoakSample{At: at, RSS: rss})
		fmt.Fprintf(progress, "bench: soak at %s: server RSS %s\n", at.Round(time.Second), rssCell(rss))
	}
	interrupted := false
loop:
	for {
		// A sample that is due goes before the end, also when both came
		// while this goroutine waited for a core.
		select {
		case <-next:
			sample()
			next = clock.After(o.Every)
			continue
		default:
		}
		select {
		case <-next:
			sample()
			next = clock.After(o.Every)
		case <-end:
			sample()
			break loop
		case <-ctx.Done():
			interrupted = true
			break loop
		}
	}
	stop()
	wg.Wait()

	r := SoakResult{Clients: o.Clients, Elapsed: clock.Now().Sub(start), Samples: samples}
	var lat []time.Duration
	for k, op := range ops {
		res := SoakOpResult{Name: op.Name}
		for _, c := range clients {
			res.Calls += c.calls[k]
			res.Errors += c.errors[k]
			if res.FirstError == "" && c.first[k] != nil {
				res.FirstError = c.first[k].Error()
			}
		}
		r.Calls += res.Calls
		r.Errors += res.Errors
		if r.FirstError == "" && res.FirstError != "" {
			r.FirstError = op.Name + ": " + res.FirstError
		}
		r.Ops = append(r.Ops, res)
	}
	for _, c := range clients {
		lat = append(lat, c.lat...)
	}
	r.Latency = LatencyOf([]RunResult{{Latencies: lat}})
	if len(samples) > 0 {
		r.FirstRSS, r.EndRSS = samples[0].RSS, samples[len(samples)-1].RSS
		r.Growth = float64(r.EndRSS-r.FirstRSS) / float64(r.FirstRSS)
	}
	r.OK, r.Why = soakVerdict(r, interrupted, sampleErr)
	return r
}

// soakLoop is one client: ops in turn until ctx ends. It calls warmed once,
// after its first round (one call of each op) or when it stops before.
func soakLoop(ctx context.Context, client int, ops []SoakOp, sc *soakClient, warmed func()) {
	warmedOnce := sync.OnceFunc(warmed)
	defer warmedOnce()
	calls := make([]CallFunc, len(ops))
	for k, op := range ops {
		calls[k] = op.Target(client)
	}
	sc.calls, sc.errors, sc.first = make([]int64, len(ops)), make([]int64, len(ops)), make([]error, len(ops))
	sc.lat = make([]time.Duration, 0, 1024)
	for n := client; ctx.Err() == nil; n++ {
		if n == client+len(ops) {
			warmedOnce()
		}
		k := n % len(ops)
		t0 := time.Now()
		err := calls[k](ctx)
		lat := time.Since(t0)
		switch {
		case err != nil && ctx.Err() != nil:
			return // interrupted at the end, not failed
		case err != nil:
			sc.errors[k]++
			if sc.first[k] == nil {
				sc.first[k] = err
			}
		default:
			sc.calls[k]++
			sc.lat = append(sc.lat, lat)
		}
	}
}

// soakVerdict judges a soak: no error, and memory at the end within
// SoakMaxGrowth of the first sample.
func soakVerdict(r SoakResult, interrupted bool, sampleErr error) (bool, string) {
	var why []string
	if interrupted {
		why = append(why, "interrupted")
	}
	if r.Errors > 0 {
		why = append(why, fmt.Sprintf("%d failed calls", r.Errors))
	}
	switch {
	case sampleErr != nil:
		why = append(why, "the server's memory could not be read: "+sampleErr.Error())
	case len(r.Samples) < 2:
		why = append(why, "fewer than two memory samples")
	case r.Growth > SoakMaxGrowth:
		why = append(why, fmt.Sprintf("the server's RSS grew by %.1f%% (more than %.0f%%)", 100*r.Growth, 100*SoakMaxGrowth))
	case r.Growth < -SoakMaxGrowth:
		why = append(why, fmt.Sprintf("the server's RSS shrank by %.1f%% (more than %.0f%%): the first sample came before it had grown to its working size", -100*r.Growth, 100*SoakMaxGrowth))
	}
	if len(why) == 0 {
		return true, ""
	}
	return false, strings.Join(why, "; ")
}
