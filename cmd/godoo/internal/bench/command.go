package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/services"
)

// Synopsis is the usage line of godoo bench.
const Synopsis = "godoo bench [--db-url postgres://... | --data-dir DIR] [--clients 1,8,32] [--duration 3s] [--pairs 5] [--scenarios ID,...] [--keys 10] [--out FILE] [--json FILE] [--url URL]"

// Help is what godoo bench --help says after its usage line.
const Help = `
Measures godoo against the database's own speed: each scenario runs as
pairs of timed runs, godoo over loopback HTTP, then the same work as SQL
straight on the database through the same driver and kind of pool
(A B A B ...), and the report gives godoo's calls/s, latency percentiles,
errors, the server's peak memory and the median ratio of godoo to SQL with
its min and max. No ratio is given for a scenario with errors.

The bench makes a scratch database (partners and API keys written by SQL)
on PostgreSQL (--db-url) or SQLite (--data-dir, by default a temporary
directory), starts this binary's serve on a free loopback port against it
(checking only the scratch database at start, not every database there),
and drops the database at the end. With --url it calls that server instead,
which must serve the same store (and run with --proxy-mode for the flood
scenario, whose wrong keys come from many X-Forwarded-For addresses).
--modules installs modules in the scratch database first, so that the
scenarios run on the models they extend: --modules sale_management
benches the res.partner of a database with sales.

Scenarios: ` + "xml-key, xml-key-restricted, json-key, xml-password, json-password, xml-noauth, json-noauth, xml-key-cold, small, read, create-unlink, header-key, json2, flood" + `.
The auth-off scenarios (xml-noauth, json-noauth) and xml-key-cold (every
key read and verified again, as after a change emptied the caches) need a
binary built with -tags godoo_noauth; other builds skip them. Progress goes to standard error,
the Markdown table to standard output or --out.

--scenarios soak (never part of "all") runs one long mixed load instead of
pairs: --clients clients (one number) for --duration, each calling in turn
search_read over XML-RPC with a key and over JSON-RPC with the password,
read, the API-KEY route, JSON-2, create-unlink, and a create, write and
unlink over JSON-RPC; the timed run starts once every client has made one
call of each kind. It samples the server's resident memory after the
first minute (at half time in runs under two minutes), every minute and at
the end, and passes with no failed call and the memory at the end within
10% of the first sample; a soak that fails makes the bench exit with 1.
For example: godoo bench --scenarios soak --duration 10m --clients 32.
`

// Env is what godoo bench takes from the command line it runs in.
type Env struct {
	// Version is godoo's version, for the report.
	Version string
	// NewServices makes the services of a store, as every godoo command
	// makes them.
	NewServices func(models.Store, services.Config) *services.Set
	// Signal is the context that ends the run: SIGINT or SIGTERM.
	Signal func() (context.Context, context.CancelFunc)
}

// UsageError is a mistake on the command line, which godoo reports with
// exit status 2.
type UsageError string

func (e UsageError) Error() string { return string(e) }

// Flags are godoo bench's flags, as DefineFlags registers them.
type Flags struct {
	DBURL, DataDir, Clients, Scenarios, Out, JSON, URL, NoAuthURL, ServerFlags, Sizes, Modules *string
	Duration, Warmup                                                                           *time.Duration
	Pairs, Keys, Partners, ServerPID                                                           *int
	Trigram                                                                                    *bool
}

// DefineFlags registers godoo bench's flags on fs, for godoo's table of
// commands (its help, completion and reference).
func DefineFlags(fs *flag.FlagSet) *Flags {
	return &Flags{
		DBURL:     fs.String("db-url", "", "`URL` of the PostgreSQL server to bench on (default: SQLite)"),
		DataDir:   fs.String("data-dir", "", "the SQLite data directory `DIR` of the scratch database (default: a temporary directory)"),
		Clients:   fs.String("clients", "1,8,32", "numbers of concurrent clients, `N,N,...`"),
		Duration:  fs.Duration("duration", 3*time.Second, "length of each timed run"),
		Warmup:    fs.Duration("warmup", 500*time.Millisecond, "unmeasured run of each side before a scenario's pairs"),
		Pairs:     fs.Int("pairs", 5, "godoo and SQL runs of each scenario, alternating"),
		Scenarios: fs.String("scenarios", "all", "scenarios to run, `ID,ID,...` or all"),
		Keys:      fs.Int("keys", 10, "native API keys in the table (10 or 100000 in the targets)"),
		Partners:  fs.Int("partners", 10000, "res.partner rows to seed (20% companies, 90% active)"),
		Out:       fs.String("out", "", "write the Markdown report to `FILE` instead of standard output"),
		JSON:      fs.String("json", "", "also write the report as JSON to `FILE`"),
		URL:       fs.String("url", "", "bench the running godoo server at `URL` (serving the same store) instead of starting one"),
		NoAuthURL: fs.String("noauth-url", "", "with --url: the `URL` of a running godoo_noauth server with GODOO_BENCH_NOAUTH=1, for the auth-off scenarios"),
		ServerPID: fs.Int("server-pid", 0, "with --url: the server's process id `PID`, to report its peak memory"),
		Sizes: fs.String("sizes", "", "sizes of the growth scenarios (grow-records: records per call, grow-rows: rows, grow-keys: keys, idle-conns: idle connections, at most 5000; big-body: MB, at most 120, 1 client; custom-50: records per call, at most 10000), `N,N,...` growing, "+
			"at most 1000000 (default: each one's short list; run the big sizes only briefly on a shared machine)"),
		Trigram: fs.Bool("trigram", false, "on PostgreSQL, add the pg_trgm extension to the scratch database before the server starts, "+
			"which then makes res.partner's index of name trigrams (for name ilike)"),
		Modules: fs.String("modules", "", "install the modules `NAME,NAME,...` (with what they depend on) in the scratch database before seeding it, "+
			"to bench the models they extend: sale_management benches its res.partner"),
		ServerFlags: fs.String("server-flags", "", "serve `FLAGS` for the server the bench starts, after its own (--log-level warn, --proxy-mode True), "+
			`space-separated: "--metrics --log-level info" benches with metrics and the access log`),
	}
}

// Command is godoo bench: it seeds a scratch database, serves it, runs the
// scenarios and their SQL yardsticks, and writes the report. args are the
// command line as given, which the report repeats without passwords.
func Command(args []string, f *Flags, stdout, stderr io.Writer, env Env) error {
	dbURL, dataDir, clientsFlag, duration, warmup, pairs, scenariosFlag := f.DBURL, f.DataDir, f.Clients, f.Duration, f.Warmup, f.Pairs, f.Scenarios
	keys, partners, outFile, jsonFile, target, noAuthURL, serverPID := f.Keys, f.Partners, f.Out, f.JSON, f.URL, f.NoAuthURL, f.ServerPID
	if err := startPprof(clientPprofEnv, stderr); err != nil {
		return err
	}
	clients, err := parseClients(*clientsFlag)
	if err != nil {
		return UsageError(err.Error())
	}
	sizes, err := ParseSizes(*f.Sizes)
	if err != nil {
		return UsageError(err.Error())
	}
	mods, err := ParseModules(*f.Modules)
	if err != nil {
		return UsageError(err.Error())
	}
	switch {
	case *duration <= 0 || *warmup < 0:
		return UsageError("--duration must be positive and --warmup not negative")
	case *pairs < 1:
		return UsageError("--pairs must be at least 1")
	case *keys < 1:
		return UsageError("--keys must be at least 1 (the bench's own key)")
	case *partners < 10:
		return UsageError("--partners must be at least 10")
	case *dbURL != "" && *dataDir != "":
		return UsageError("give --db-url or --data-dir, not both")
	case *f.Trigram && (*dbURL == "" || *target != ""):
		return UsageError("--trigram is for the PostgreSQL scratch database of the server the bench starts (--db-url, without --url)")
	case *target == "" && (*noAuthURL != "" || *serverPID != 0):
		return UsageError("--noauth-url and --server-pid go with --url")
	case *target != "" && *f.ServerFlags != "":
		return UsageError("--server-flags is for the server the bench starts, not with --url")
	case *target != "" && !strings.HasPrefix(*target, "http://"),
		*noAuthURL != "" && !strings.HasPrefix(*noAuthURL, "http://"):
		return UsageError("--url and --noauth-url take http:// addresses: the bench speaks plain HTTP on loopback")
	}
	canNoAuth := NoAuthBuild
	if *target != "" {
		canNoAuth = *noAuthURL != ""
	}
	ids, skipped, err := pickScenarios(*scenariosFlag, canNoAuth)
	if err != nil {
		return UsageError(err.Error())
	}
	soak := slices.Contains(ids, SoakID)
	ids = slices.DeleteFunc(ids, func(id string) bool { return id == SoakID })
	var grow []string
	ids = slices.DeleteFunc(ids, func(id string) bool {
		if isGrow(id) {
			grow = append(grow, id)
		}
		return isGrow(id)
	})
	switch {
	case soak && len(clients) != 1:
		return UsageError("--scenarios soak runs with one number of clients (--clients 32, say)")
	case soak && *target != "" && *serverPID == 0:
		return UsageError("--scenarios soak with --url needs --server-pid: the soak judges the server's memory")
	}
	if *target != "" && slices.Contains(ids, "xml-key-cold") {
		// A running server keeps its caches; only one the bench starts can
		// be told to empty them.
		if strings.TrimSpace(*scenariosFlag) != "all" {
			return UsageError("--scenarios: xml-key-cold needs the server the bench starts, not --url")
		}
		ids = slices.DeleteFunc(ids, func(id string) bool { return id == "xml-key-cold" })
		skipped = append(skipped, "xml-key-cold")
	}
	if len(skipped) > 0 {
		fmt.Fprintf(stderr, "bench: skipping %s: build godoo with -tags godoo_noauth (or give --noauth-url) to measure without authentication or with the key caches emptied\n", strings.Join(skipped, ", "))
	}

	ctx, stop := env.Signal()
	defer stop()
	b := &benchRun{stderr: stderr, newServices: env.NewServices, serverFlags: strings.Fields(*f.ServerFlags)}
	defer b.cleanup()
	if err := b.openStore(*dbURL, *dataDir); err != nil {
		return err
	}
	if err := b.seed(ctx, *partners, *keys, mods); err != nil {
		return err
	}
	if *f.Trigram {
		// The server ensures the schema when it first opens the
		// database, and makes the index then.
		if _, err := b.pool.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm"); err != nil {
			return fmt.Errorf("--trigram: %w", err)
		}
	}
	setup := Setup{DB: b.db, UID: b.uid, Password: b.password, Key: b.key, RestrictedKey: b.restrictedKey, HeaderKey: b.headerKey,
		ReadIDs: b.readIDs, Matching: b.matching, Pool: b.pool,
		HTTP: NewHTTP(slices.Max(clients)), FloodHTTP: NewHTTP(FloodClients)}
	defer setup.HTTP.CloseIdle()
	defer setup.FloodHTTP.CloseIdle()
	serverDesc := ""
	if *target != "" {
		setup.URL, setup.NoAuthURL = strings.TrimRight(*target, "/"), strings.TrimRight(*noAuthURL, "/")
		if *serverPID > 0 {
			setup.Server = Process(*serverPID)
		}
		serverDesc = "a running godoo at " + setup.URL
	} else {
		srv, err := b.startServer(ctx, "server", nil)
		if err != nil {
			return err
		}
		setup.URL, setup.Server = srv.URL, srv
		if slices.ContainsFunc(ids, func(id string) bool { return slices.Contains(NoAuthScenarios, id) }) {
			// Only the main server serves the profiler: the others would
			// find its address taken.
			na, err := b.startServer(ctx, "noauth-server", []string{noAuthEnv + "=1", serverPprofEnv + "="})
			if err != nil {
				return err
			}
			setup.NoAuthURL, setup.NoAuthServer = na.URL, na
		}
		if slices.Contains(ids, "xml-key-cold") || slices.Contains(grow, "grow-keys") && NoAuthBuild {
			cold, err := b.startServer(ctx, "cold-key-server", []string{coldKeysEnv + "=1", serverPprofEnv + "="})
			if err != nil {
				return err
			}
			setup.ColdURL, setup.ColdServer = cold.URL, cold
		}
		serverDesc = fmt.Sprintf("godoo %s serve started by the bench (%s)", env.Version,
			strings.Join(append([]string{"--proxy-mode True --log-level warn"}, b.serverFlags...), " "))
	}
	scenarios, err := Scenarios(setup, ids)
	if err != nil {
		return err
	}
	meta := Meta{Command: "godoo bench " + redactArgs(args), Store: b.storeName, Server: serverDesc,
		Partners: *partners, Matching: b.matching, Keys: *keys, Clients: clients, Duration: *duration,
		Warmup: *warmup, Pairs: *pairs, CPUs: runtime.NumCPU(), GoVersion: runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH, Started: time.Now(), LoadBefore: LoadAverage()}
	if meta.StoreVersion, err = StoreVersion(ctx, b.pool, b.store.Dialect()); err != nil {
		return err
	}
	var results []Result
	if len(scenarios) > 0 {
		results, err = Measure(ctx, scenarios, Options{Clients: clients, Duration: *duration,
			Warmup: *warmup, Pairs: *pairs, Progress: stderr})
		if err != nil {
			return err
		}
	}
	for _, id := range grow {
		sz := sizes
		if sz == nil {
			sz = DefaultSizes[id]
		}
		res, err := RunGrowth(ctx, setup, b.store.Dialect(), id, sz, Options{Clients: clients, Duration: *duration,
			Warmup: *warmup, Pairs: *pairs, Progress: stderr})
		if err != nil {
			return err
		}
		results = append(results, res...)
	}
	var soakResult *SoakResult
	if soak {
		if soakResult, err = runSoak(ctx, setup, clients[0], *duration, stderr); err != nil {
			return err
		}
	}
	meta.LoadAfter = LoadAverage()
	report := NewReport(meta, results)
	report.Soak = soakResult
	if err := writeReport(*outFile, stdout, report.WriteMarkdown); err != nil {
		return err
	}
	if *jsonFile != "" {
		if err := writeReport(*jsonFile, nil, report.WriteJSON); err != nil {
			return err
		}
	}
	if soakResult != nil && !soakResult.OK {
		return fmt.Errorf("the soak failed: %s", soakResult.Why)
	}
	return nil
}

// runSoak runs the soak against the bench's server.
func runSoak(ctx context.Context, setup Setup, clients int, d time.Duration, progress io.Writer) (*SoakResult, error) {
	ops, err := SoakOps(setup)
	if err != nil {
		return nil, err
	}
	probe, ok := setup.Server.(RSSProbe)
	if !ok {
		return nil, fmt.Errorf("the soak needs the server's process to read its memory")
	}
	first := SoakFirstSample(d)
	fmt.Fprintf(progress, "bench: soak: %d clients for %s; the server's memory after %s, every minute and at the end\n", clients, d, first)
	r := Soak(ctx, ops, probe, SoakOptions{Clients: clients, Duration: d, First: first, Every: time.Minute, Progress: progress})
	fmt.Fprintf(progress, "bench: soak: %d calls, %d errors, server RSS %+.1f%% from the first sample to the end\n", r.Calls, r.Errors, 100*r.Growth)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &r, nil
}

// benchRun holds what a bench run made, so that cleanup undoes it: the
// servers, the scratch database and the temporary directory.
type benchRun struct {
	stderr      io.Writer
	newServices func(models.Store, services.Config) *services.Set
	store       models.Store
	storeName   string
	storeArgs   []string // the serve flags that name the same store
	serverFlags []string // --server-flags
	tmpDir      string
	set         *services.Set
	db          string
	servers     []*Server

	pool                                    *bun.DB
	uid                                     int64
	password, key, restrictedKey, headerKey string
	readIDs                                 []int64
	matching                                int
}

func (b *benchRun) openStore(dbURL, dataDir string) error {
	var err error
	if b.tmpDir, err = os.MkdirTemp("", "godoo-bench-"); err != nil {
		return err
	}
	if dbURL != "" {
		b.store, err = pgstore.New(dbURL)
		b.storeName, b.storeArgs = "PostgreSQL", []string{"--db-url", dbURL}
	} else {
		if dataDir == "" {
			dataDir = filepath.Join(b.tmpDir, "data")
		}
		b.store, err = sqlitestore.New(dataDir)
		b.storeName, b.storeArgs = "SQLite", []string{"--data-dir", dataDir}
	}
	if err != nil {
		return err
	}
	b.set = b.newServices(b.store, services.Config{})
	return nil
}

// seed makes the scratch database with its admin and the modules mods, a
// native key and a header key, then writes the partners and the filler
// keys by SQL.
func (b *benchRun) seed(ctx context.Context, partners, keys int, mods []string) error {
	var r [4]byte
	_, _ = rand.Read(r[:])
	name := "bench_" + hex.EncodeToString(r[:])
	b.password = rand.Text()
	fmt.Fprintf(b.stderr, "bench: creating the scratch database %s (%s)\n", name, b.storeName)
	if err := b.set.Database.Create(ctx, name, services.CreateOptions{AdminPassword: b.password, AdminLogin: "admin", Modules: mods}); err != nil {
		return err
	}
	b.db = name
	native, err := b.set.Database.CreateAPIKey(ctx, name, services.KeyOptions{Login: "admin", Name: "bench"})
	if err != nil {
		return err
	}
	header, err := b.set.Database.CreateAPIKey(ctx, name, services.KeyOptions{Kind: services.KeyHeader, Login: "admin", Name: "bench"})
	if err != nil {
		return err
	}
	restricted, err := b.set.Database.CreateAPIKey(ctx, name, services.KeyOptions{Login: "admin", Name: "bench restricted", Limits: RestrictedLimits()})
	if err != nil {
		return err
	}
	b.key, b.restrictedKey, b.headerKey = native.Clear, restricted.Clear, header.Clear
	if b.pool, err = b.store.Open(ctx, name); err != nil {
		return err
	}
	if err := b.pool.QueryRowContext(ctx, "SELECT id FROM res_users WHERE login = ?", "admin").Scan(&b.uid); err != nil {
		return err
	}
	fmt.Fprintf(b.stderr, "bench: seeding %d partners and %d API keys\n", partners, keys)
	if b.matching, err = SeedPartners(ctx, b.pool, partners); err != nil {
		return err
	}
	if err := FillKeys(ctx, b.pool, b.uid, keys); err != nil {
		return err
	}
	b.readIDs, err = PickIDs(ctx, b.pool, 10)
	return err
}

// startServer starts this binary's serve on the scratch store, as
// bench-serve, which checks only the scratch database at start. It is tried
// three times, each on a new free port, since another process may take the
// port between FreeAddr and the server's listen.
func (b *benchRun) startServer(ctx context.Context, name string, env []string) (*Server, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var lastErr error
	for try := 1; try <= 3; try++ {
		addr, err := FreeAddr()
		if err != nil {
			return nil, err
		}
		args := append([]string{ServeCommand, "--database", b.db, "--http-addr", addr, "--proxy-mode", "True", "--log-level", "warn"}, b.storeArgs...)
		args = append(args, b.serverFlags...)
		logPath := filepath.Join(b.tmpDir, fmt.Sprintf("%s-%d.log", name, try))
		srv, err := StartServer(ctx, exe, args, env, addr, logPath, time.Minute)
		if err == nil {
			fmt.Fprintf(b.stderr, "bench: %s ready at %s (pid %d)\n", name, srv.URL, srv.Process)
			b.servers = append(b.servers, srv)
			return srv, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		lastErr = err
		fmt.Fprintf(b.stderr, "bench: %s did not start (try %d of 3): %v\n", name, try, err)
	}
	return nil, fmt.Errorf("starting the %s: %w", name, lastErr)
}

// cleanup stops the servers, drops the scratch database and removes the
// temporary directory, whatever happened before.
func (b *benchRun) cleanup() {
	for _, s := range b.servers {
		if err := s.Stop(); err != nil {
			fmt.Fprintf(b.stderr, "bench: %v\n", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if b.db != "" {
		if _, err := b.set.Database.DropNoCheck(ctx, b.db); err != nil {
			fmt.Fprintf(b.stderr, "bench: dropping the scratch database %s: %v\n", b.db, err)
		} else {
			fmt.Fprintf(b.stderr, "bench: dropped the scratch database %s\n", b.db)
		}
	}
	if b.store != nil {
		b.store.Close()
	}
	if b.tmpDir != "" {
		_ = os.RemoveAll(b.tmpDir)
	}
}

// parseClients reads a comma-separated list of positive client counts.
func parseClients(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 4096 {
			return nil, fmt.Errorf("--clients: %q is not a number of clients (1 to 4096)", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// pickScenarios resolves --scenarios: "all" is every scenario this build
// can run, without the soak; skipped lists the auth-off scenarios left out
// of "all".
func pickScenarios(s string, canNoAuth bool) (ids, skipped []string, err error) {
	if strings.TrimSpace(s) == "all" {
		for _, id := range ScenarioIDs {
			if !canNoAuth && slices.Contains(NoAuthScenarios, id) {
				skipped = append(skipped, id)
				continue
			}
			ids = append(ids, id)
		}
		return ids, skipped, nil
	}
	for _, f := range strings.Split(s, ",") {
		id := strings.TrimSpace(f)
		switch {
		case !slices.Contains(ScenarioIDs, id) && !isGrow(id) && id != SoakID:
			return nil, nil, fmt.Errorf("--scenarios: unknown scenario %q (known: %s, %s, %s)", id, strings.Join(ScenarioIDs, ", "), strings.Join(GrowIDs, ", "), SoakID)
		case !canNoAuth && slices.Contains(NoAuthScenarios, id):
			return nil, nil, fmt.Errorf("--scenarios: %s needs a godoo built with -tags godoo_noauth (or --noauth-url)", id)
		case !slices.Contains(ids, id):
			ids = append(ids, id)
		}
	}
	// Report order, whatever the order given; the growth scenarios run
	// after the others, and the soak last.
	order := func(id string) int {
		if id == SoakID {
			return len(ScenarioIDs) + len(GrowIDs)
		}
		if isGrow(id) {
			return len(ScenarioIDs) + slices.Index(GrowIDs, id)
		}
		return slices.Index(ScenarioIDs, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return order(a) - order(b) })
	return ids, nil, nil
}

// writeReport writes with write to path, or to w when path is empty.
func writeReport(path string, w io.Writer, write func(io.Writer) error) error {
	if path == "" {
		return write(w)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

var passwordKV = regexp.MustCompile(`password=\S+`)

// redactArgs renders the command line for the report without a database
// password.
func redactArgs(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if u, err := url.Parse(strings.TrimPrefix(a, "--db-url=")); err == nil && u.User != nil {
			if _, has := u.User.Password(); has {
				a = strings.Replace(a, u.String(), u.Redacted(), 1)
			}
		}
		out[i] = passwordKV.ReplaceAllString(a, "password=xxxxx")
	}
	return strings.Join(out, " ")
}
