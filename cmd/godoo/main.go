// Command godoo is an Odoo-compatible API server: it serves Odoo's XML-RPC
// and JSON-RPC external API on an embedded SQLite store or on PostgreSQL.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"

	"github.com/godoo/godoo/cmd/godoo/internal/progress"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/services"
)

// Version is godoo's own version, set at build time with -ldflags.
var Version = "0.1.0-dev"

// newServices makes the services of every command. Tests replace it to
// hash passwords with few rounds, which only a test binary honours (see
// auth.Authenticator.Rounds).
var newServices = services.NewSet

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status, so tests can
// drive every command.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return 2
	}
	inv := &invocation{stdin: stdin, stdout: stdout, stderr: stderr}
	var err error
	switch {
	case isHelp(args[0]):
		fmt.Fprint(stdout, usage())
		return 0
	case args[0] == bench.ServeCommand:
		err = cmdBenchServe(args[1:], inv)
	default:
		err = dispatch(args, inv)
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "godoo: %s\n", ue.msg)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "godoo: %s\n", errorText(err))
		return 1
	}
	return 0
}

// dispatch finds the command args name and runs it with the rest.
func dispatch(args []string, inv *invocation) error {
	word := args[0]
	if word == "--version" {
		word = "version"
	}
	if slices.Contains(groups(), word) {
		var subs []string
		for _, c := range groupCommands(word) {
			subs = append(subs, strings.TrimPrefix(c.path, word+" "))
		}
		if len(args) == 1 {
			return usageError{fmt.Sprintf("%s needs a subcommand: %s\n\n%s", word, strings.Join(subs, ", "), groupUsage(word))}
		}
		if isHelp(args[1]) {
			fmt.Fprint(inv.stdout, groupUsage(word))
			return nil
		}
		c := lookupCommand(word + " " + args[1])
		if c == nil {
			return usageError{fmt.Sprintf("unknown %s subcommand %q: the subcommands are %s", word, args[1], strings.Join(subs, ", "))}
		}
		inv.args = args[2:]
		return runCommand(c, inv)
	}
	c := lookupCommand(word)
	if c == nil {
		return usageError{fmt.Sprintf("unknown command %q\n\n%s", word, usage())}
	}
	inv.args = args[1:]
	return runCommand(c, inv)
}

func errorText(err error) string {
	if e := models.AsError(err); e != nil && e.Kind != models.KindInternal {
		return e.Message
	}
	return err.Error()
}

// storeKeys are the settings of every command that works on the store.
var storeKeys = []string{"data_dir", "db_url", "filestore_dir", "log_level"}

// openStore builds the store the configuration names: PostgreSQL when a
// server URL is configured, else the embedded SQLite data directory. where
// names it in the store's own words, without credentials. Only a store
// that listens (serve's) uses db_listen_url: the other commands do not
// LISTEN (services.Config.NoListen).
func openStore(c *config, listens bool) (store models.Store, where string, err error) {
	if u := c.postgresURL(); u != "" {
		opts := []pgstore.Option{pgstore.WithReplica(c.replicaURL())}
		if listens {
			opts = append(opts, pgstore.WithListen(c.listenURL()))
		}
		s, err := pgstore.New(u, opts...)
		where := "the PostgreSQL server at " + pgAddress(u)
		if r := c.replicaURL(); r != "" {
			where += " with its replica at " + pgAddress(r)
		}
		return s, where, err
	}
	dir := c.dataDir()
	s, err := sqlitestore.New(dir)
	return s, "the SQLite data directory " + dir, err
}

// pgAddress is host:port of a PostgreSQL URL or key=value DSN, which
// messages name instead of the whole DSN with its password; for a URL
// whose host parameter is a Unix socket's directory
// (postgres://user@/db?host=/run/postgresql), that directory.
func pgAddress(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		if dir := u.Query().Get("host"); strings.HasPrefix(dir, "/") {
			return dir
		}
		return u.Host
	}
	host, port := "localhost", "5432"
	for _, f := range strings.Fields(dsn) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "host":
			host = v
		case "port":
			port = v
		}
	}
	return net.JoinHostPort(host, port)
}

// missingDatabase says, in the store's words, that name is not there: a
// missing SQLite database is a missing file, not PostgreSQL's FATAL that
// Odoo's clients get over RPC.
func missingDatabase(store models.Store, where, name string) error {
	if s, ok := store.(*sqlitestore.Store); ok {
		return fmt.Errorf("there is no database %q in %s (no file %s)", name, where, s.Path(name))
	}
	return fmt.Errorf("there is no godoo database %q on %s", name, where)
}

func newLogger(c *config, w io.Writer) *slog.Logger {
	var level slog.Level
	switch strings.ToLower(c.get("log_level")) {
	case "debug", "debug_rpc", "debug_rpc_answer", "debug_sql":
		level = slog.LevelDebug
	case "warn", "warning":
		level = slog.LevelWarn
	case "error", "critical":
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(c.get("log_format"), "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// servicesConfig is the services' configuration of every command. It does
// not listen on the invalidation feed (NoListen): a command makes its
// changes and ends, keeping no cache to invalidate; serve turns it on.
func servicesConfig(c *config, log *slog.Logger) services.Config {
	return services.Config{ServerVersion: c.get("server_version"), ListDB: c.bool("list_db"),
		MasterPassword: c.masterPassword(), DBFilter: c.get("dbfilter"), FilestoreDir: c.filestoreDir(), Log: log,
		ReadYourWrites: readYourWrites(c.seconds("db_replica_read_your_writes")), NoListen: true}
}

// readYourWrites is services.Config.ReadYourWrites of a number of seconds,
// where 0 means none.
func readYourWrites(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

var versionCommand = &command{path: "version", summary: "Prints godoo's version and the Odoo version it emulates by default.",
	define: func(*flag.FlagSet) action {
		return func(inv *invocation) error {
			fmt.Fprintf(inv.stdout, "godoo %s (Odoo %s compatible API)\n", Version, "18.0")
			return nil
		}
	}}

// progressOn decides whether a long command draws its progress on
// standard error: only on a terminal. Tests replace it.
var progressOn = progress.IsTerminalWriter

func newProgress(w io.Writer, label string) *progress.Reporter {
	return progress.New(w, label, progressOn(w), time.Now)
}

// generatePassword makes the first database's admin password: 26 base32
// characters, 128 random bits.
func generatePassword() string { return rand.Text() }

func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}

// openDatabase opens the configured store and its services, and names the
// database a command works on: the one given, which must exist, or the
// only one there is.
func openDatabase(c *config, stderr io.Writer, dbName string) (models.Store, *services.Set, string, error) {
	store, where, err := openStore(c, false)
	if err != nil {
		return nil, nil, "", err
	}
	cfg := servicesConfig(c, newLogger(c, stderr))
	if cfg.Modules, err = loadModulesPath(c); err != nil {
		store.Close()
		return nil, nil, "", err
	}
	set := newServices(store, cfg)
	ctx := context.Background()
	if dbName != "" {
		ok, err := false, models.ErrInvalidDBName(dbName)
		if models.ValidDBName(dbName) {
			ok, err = store.Exists(ctx, dbName)
		}
		if err == nil && !ok {
			err = missingDatabase(store, where, dbName)
		} else if err != nil && models.AsError(err) == nil {
			err = fmt.Errorf("%s: %w", where, err)
		}
		if err != nil {
			store.Close()
			return nil, nil, "", err
		}
		return store, set, dbName, nil
	}
	names, err := store.List(ctx)
	if err != nil {
		err = fmt.Errorf("%s: %w", where, err)
	} else if len(names) != 1 {
		err = usageError{fmt.Sprintf("--db is required: %s has %d databases", where, len(names))}
	}
	if err != nil {
		store.Close()
		return nil, nil, "", err
	}
	return store, set, names[0], nil
}
