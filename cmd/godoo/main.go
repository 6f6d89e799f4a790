// Command godoo is an Odoo-compatible API server: it serves Odoo's XML-RPC
// and JSON-RPC external API on an embedded SQLite store or on PostgreSQL.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"

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

const usage = `godoo - an Odoo-compatible API server (XML-RPC, JSON-RPC)

Usage:
  godoo serve [--data-dir DIR | --db-url postgres://...] [--http-addr HOST:PORT] [--master-password PW]
  godoo db create NAME --admin-password PW [--data-dir DIR | --db-url postgres://...] [--demo]
  godoo db list [--data-dir DIR | --db-url postgres://...]
  godoo db drop NAME [--data-dir DIR | --db-url postgres://...]
  godoo user create LOGIN --db NAME [--password PW] [--name NAME] [--email EMAIL] [--admin]
  godoo user passwd LOGIN --db NAME [--password PW]
  godoo apikey create --user LOGIN --name NAME [--db NAME] [--kind native|header] [--scope SCOPE] [--expires DATE|DATETIME|DURATION]
  godoo apikey list [--db NAME] [--kind native|header] [--user LOGIN] [--name NAME]
  godoo apikey revoke [ID...] [--name NAME] [--db NAME] [--kind native|header] [--user LOGIN]
  godoo bench [--db-url postgres://... | --data-dir DIR] [--clients 1,8,32] [--duration 3s] [--pairs 5] [--scenarios ID,...] [--keys 10] [--out FILE] [--json FILE] [--url URL]
  godoo version

Every command takes --help, and all but bench take --config FILE for an
odoo.conf-style file.
Settings also come from GODOO_* environment variables; see the README.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status, so tests can
// drive every command.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "-h", "--help", "-help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version", "--version":
		if len(args) > 1 && isHelp(args[1]) {
			fmt.Fprint(stdout, "Usage: godoo version\n\nPrints godoo's version and the Odoo version it emulates by default.\n")
			return 0
		}
		fmt.Fprintf(stdout, "godoo %s (Odoo %s compatible API)\n", Version, "18.0")
		return 0
	case "serve":
		err = cmdServe(args[1:], stdout, stderr)
	case "db":
		err = cmdDB(args[1:], stdout, stderr)
	case "user":
		err = cmdUser(args[1:], stdin, stdout, stderr)
	case "apikey":
		err = cmdAPIKey(args[1:], stdout, stderr)
	case "bench":
		err = cmdBench(args[1:], stdout, stderr)
	case bench.ServeCommand:
		err = cmdBenchServe(args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "godoo: unknown command %q\n\n%s", args[0], usage)
		return 2
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

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func errorText(err error) string {
	if e := models.AsError(err); e != nil && e.Kind != models.KindInternal {
		return e.Message
	}
	return err.Error()
}

// parseArgs parses flags and positional arguments in any order, as users
// type them ("db create NAME --demo" as well as "db create --demo NAME").
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			// A bad flag is a usage error (exit status 2), like a bad
			// command; fs has printed the message and the usage.
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// openStore builds the store the configuration names: PostgreSQL when a
// server URL is configured, else the embedded SQLite data directory.
func openStore(c *config) (models.Store, string, error) {
	if u := c.postgresURL(); u != "" {
		s, err := pgstore.New(u)
		return s, "PostgreSQL", err
	}
	dir := c.dataDir()
	s, err := sqlitestore.New(dir)
	return s, "SQLite in " + dir, err
}

func newLogger(c *config, w io.Writer) *slog.Logger {
	var level slog.Level
	switch strings.ToLower(c.get("log_level")) {
	case "debug", "debug_rpc", "debug_sql":
		level = slog.LevelDebug
	case "warn", "warning":
		level = slog.LevelWarn
	case "error", "critical":
		level = slog.LevelError
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

func servicesConfig(c *config, log *slog.Logger) services.Config {
	return services.Config{ServerVersion: c.get("server_version"), ListDB: c.bool("list_db"),
		MasterPassword: c.masterPassword(), DBFilter: c.get("dbfilter"), Log: log}
}

func cmdDB(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"db needs a subcommand: create, list or drop"}
	}
	sub := args[0]
	if isHelp(sub) {
		fmt.Fprint(stdout, usage)
		return nil
	}
	synopsis := map[string]string{
		"create": "godoo db create NAME --admin-password PW [--data-dir DIR | --db-url postgres://...] [--demo]",
		"list":   "godoo db list [--data-dir DIR | --db-url postgres://...]",
		"drop":   "godoo db drop NAME [--data-dir DIR | --db-url postgres://...]",
	}[sub]
	if synopsis == "" {
		return usageError{fmt.Sprintf("unknown db subcommand %q", sub)}
	}
	fs := newFlagSet("db "+sub, synopsis, stderr)
	resolve := addFlags(fs, "data_dir", "db_url", "log_level")
	adminPW := fs.String("admin-password", "", "password of the admin user (required; also GODOO_ADMIN_PASSWORD)")
	demo := fs.Bool("demo", false, "load demo data: a demo user, companies and contacts")
	lang := fs.String("lang", "en_US", "language of the admin user")
	login := fs.String("admin-login", "admin", "login of the admin user")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	c, err := resolve()
	if err != nil {
		return err
	}
	store, _, err := openStore(c)
	if err != nil {
		return err
	}
	defer store.Close()
	set := newServices(store, servicesConfig(c, newLogger(c, stderr)))
	ctx := context.Background()
	switch sub {
	case "list":
		names, err := store.List(ctx)
		if err != nil {
			return err
		}
		for _, n := range names {
			fmt.Fprintln(stdout, n)
		}
		return nil
	case "create":
		if len(pos) != 1 {
			return usageError{"usage: " + synopsis}
		}
		pw := *adminPW
		if pw == "" {
			pw = os.Getenv("GODOO_ADMIN_PASSWORD")
		}
		if pw == "" {
			return usageError{"--admin-password is required"}
		}
		err := set.Database.Create(ctx, pos[0], services.CreateOptions{AdminPassword: pw, AdminLogin: *login, Lang: *lang, Demo: *demo})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created database %s\n", pos[0])
		return nil
	default: // drop
		if len(pos) != 1 {
			return usageError{"usage: " + synopsis}
		}
		ok, err := set.Database.DropNoCheck(ctx, pos[0])
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("database %s does not exist", pos[0])
		}
		fmt.Fprintf(stdout, "dropped database %s\n", pos[0])
		return nil
	}
}

func cmdUser(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"user needs a subcommand: create or passwd"}
	}
	sub := args[0]
	if isHelp(sub) {
		fmt.Fprint(stdout, usage)
		return nil
	}
	synopsis := map[string]string{
		"create": "godoo user create LOGIN --db NAME [--password PW] [--name NAME] [--email EMAIL] [--admin]",
		"passwd": "godoo user passwd LOGIN --db NAME [--password PW]",
	}[sub]
	if synopsis == "" {
		return usageError{fmt.Sprintf("unknown user subcommand %q", sub)}
	}
	fs := newFlagSet("user "+sub, synopsis, stderr)
	resolve := addFlags(fs, "data_dir", "db_url", "log_level")
	dbName := fs.String("db", "", "database name (default: the only database)")
	password := fs.String("password", "", "the password; read from standard input when absent (also GODOO_PASSWORD)")
	name := fs.String("name", "", "display name of the new user")
	email := fs.String("email", "", "email of the new user")
	admin := fs.Bool("admin", false, "make the user a settings administrator (base.group_system)")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"usage: " + synopsis}
	}
	c, err := resolve()
	if err != nil {
		return err
	}
	store, set, db, err := openDatabase(c, stderr, *dbName)
	if err != nil {
		return err
	}
	defer store.Close()
	ctx := context.Background()
	pw := *password
	if pw == "" {
		pw = os.Getenv("GODOO_PASSWORD")
	}
	if pw == "" {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			return usageError{"no password given (--password, GODOO_PASSWORD or standard input)"}
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if sub == "create" {
		uid, err := set.Database.CreateUser(ctx, db, services.UserOptions{Login: pos[0], Password: pw, Name: *name, Email: *email, Admin: *admin})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created user %s (id %d) in %s\n", pos[0], uid, db)
		return nil
	}
	if err := set.Database.SetPassword(ctx, db, pos[0], pw); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "changed the password of %s in %s\n", pos[0], db)
	return nil
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
// database a command works on: the one given, or the only one there is.
func openDatabase(c *config, stderr io.Writer, dbName string) (models.Store, *services.Set, string, error) {
	store, _, err := openStore(c)
	if err != nil {
		return nil, nil, "", err
	}
	set := newServices(store, servicesConfig(c, newLogger(c, stderr)))
	if dbName != "" {
		return store, set, dbName, nil
	}
	names, err := store.List(context.Background())
	if err == nil && len(names) != 1 {
		err = usageError{"--db is required when there is not exactly one database"}
	}
	if err != nil {
		store.Close()
		return nil, nil, "", err
	}
	return store, set, names[0], nil
}
