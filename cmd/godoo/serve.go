package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"

	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// serveContext is the context that ends serve: SIGINT or SIGTERM. Tests
// replace it to stop a server they started.
var serveContext = signalContext

// prepareServe readies the store's databases before serve answers calls;
// godoo bench's server replaces it to check its scratch database only.
var prepareServe = prepareDatabases

// configureServer readies the handler before it serves: the bench's
// settings of the environment, which only a godoo_noauth build has.
var configureServer = bench.ConfigureServer

var serveCommand = &command{path: "serve", synopsis: "[--data-dir DIR | --db-url URL] [--http-addr HOST:PORT] [--master-password PW]",
	summary: "Serves the API: XML-RPC, JSON-RPC, the web routes and JSON-2.",
	help: `
On a store without any database, the first start creates one named odoo
and prints its generated admin password, once. serve says that it is
ready, and /web/health answers {"status": "pass"}, once every database is
migrated.
`,
	define: func(fs *flag.FlagSet) action {
		resolve := addFlags(fs)
		return func(inv *invocation) error { return cmdServe(inv, resolve) }
	}}

func cmdServe(inv *invocation, resolve func() (*config, error)) error {
	stdout, stderr := inv.stdout, inv.stderr
	c, err := resolve()
	if err != nil {
		return err
	}
	tuneRuntime()
	log := newLogger(c, stderr)
	store, where, err := openStore(c, true)
	if err != nil {
		return err
	}
	defer store.Close()
	cfg := servicesConfig(c, log)
	cfg.NoListen = false // a server keeps caches: it listens for their invalidation
	if cfg.Declarations, err = loadModelsPath(c); err != nil {
		return err
	}
	if cfg.Modules, err = loadModulesPath(c); err != nil {
		return err
	}
	if c.file != "" {
		// db.change_admin_password keeps the new (hashed) master password
		// in the configuration file, as Odoo does.
		file := c.file
		cfg.SaveMasterPassword = func(hash string) error { return setOption(file, "admin_passwd", hash) }
	}
	cfg.HeaderKeys, cfg.BasicUsers = c.headerKeys, c.basicUsers
	if len(c.headerKeys) > 0 || len(c.basicUsers) > 0 {
		log.Info("route credentials from the config file", "api_keys", len(c.headerKeys), "basic_users", len(c.basicUsers))
	}
	if clear := clearHeaderKeys(c.headerKeys); len(clear) > 0 {
		log.Warn("header keys are in clear in the config file: replace key = with key_hash = (godoo apikey hash prints it)", "api_keys", clear)
	}
	set := newServices(store, cfg)
	maxBody, maxDepth, timeout := c.int("max_body_bytes"), c.int("max_depth"), c.int("request_timeout")
	bodyTimeout := c.seconds("body_read_timeout")
	var metrics *rpc.Metrics
	if c.bool("metrics") {
		metrics = rpc.NewMetrics(set)
	} else if c.get("metrics_addr") != "" {
		log.Warn("metrics_addr is set but metrics is off: no metrics are served")
	}
	handler := rpc.NewHandler(set, rpc.Options{MaxBodyBytes: maxBody, BodyTimeout: bodyTimeout, MaxDepth: int(maxDepth),
		Timeout: time.Duration(timeout) * time.Second, ProxyMode: c.bool("proxy_mode"), Log: log,
		AccessLog: c.bool("access_log"), Metrics: metrics,
		JSON2KeyGroups: c.codes("json2_key_groups"), WhoamiKeyGroups: c.codes("whoami_key_groups"),
		LargeBytes: largeCollect, AfterLarge: collectAfterLarge})
	configureServer(handler, set, stderr)
	if metrics != nil {
		stopMetrics, err := serveMetrics(handler, metrics, c.get("metrics_addr"), log)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}

	ln, err := net.Listen("tcp", c.httpAddr())
	if err != nil {
		return err
	}
	// The handler bounds the time to read a body (body_read_timeout);
	// ReadTimeout only backs it up.
	const headerTimeout = 10 * time.Second
	srv := &http.Server{Handler: handler, ConnContext: rpc.ConnContext, ReadHeaderTimeout: headerTimeout, ReadTimeout: headerTimeout + bodyTimeout,
		WriteTimeout: time.Duration(timeout+30) * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 1 << 20}
	ctx, stop := serveContext()
	defer stop()
	errc := make(chan error, 1)
	// Until it is ready the server answers /web/health with 503, so that
	// a load balancer or a container's health check can tell; it logs
	// that it listens only once it answers calls.
	go func() { errc <- srv.Serve(rpc.Listener(ln)) }()

	if err := prepareServe(ctx, set, stdout, log); err != nil {
		_ = srv.Close()
		return err
	}
	if c.masterPassword() == "" {
		log.Warn("no master password configured (admin_passwd / --master-password): the db service refuses every protected method")
	}
	go set.Run(ctx, 15*time.Second) // flushes key last-used times
	handler.SetReady(true)
	log.Info("godoo listening", "addr", ln.Addr().String(), "store", where)
	fmt.Fprintf(stdout, "godoo is ready on http://%s\n", ln.Addr().String())

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// prepareDatabases checks every database's schema (applying pending
// migrations) and, on a store without any database, creates the first one,
// "odoo", with a generated admin password that is printed once.
func prepareDatabases(ctx context.Context, set *services.Set, stdout io.Writer, log *slog.Logger) error {
	names, err := set.Database.Names(ctx)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		// The first start of a new installation says what it is doing
		// before the seconds the creation takes.
		log.Info("no database yet: creating the first one", "db", "odoo")
		pw := generatePassword()
		if err := set.Database.Create(ctx, "odoo", services.CreateOptions{AdminPassword: pw, AdminLogin: "admin"}); err != nil {
			return fmt.Errorf("creating the first database: %w", err)
		}
		fmt.Fprintf(stdout, "Created database \"odoo\". Log in as admin with the password %s\n(shown only this once; change it with: godoo user passwd admin --db odoo)\n", pw)
		return nil
	}
	// A database that cannot be readied (written by a newer godoo during a
	// rolling upgrade, dropped meanwhile, damaged) is reported and left
	// aside: its calls fail with the same error, and the others are served.
	log.Info("checking the databases and applying pending migrations", "databases", len(names))
	for _, n := range names {
		if err := set.Database.Check(ctx, n); err != nil {
			fmt.Fprintf(stdout, "Database %q is not served: %v\n", n, err)
		}
	}
	return nil
}

// serveMetrics serves GET /metrics on the handler's own address, or, when
// addr is set, on a server of its own there (which the handler's access
// log and request counts do not see); stop closes that server.
func serveMetrics(handler *rpc.Handler, metrics *rpc.Metrics, addr string, log *slog.Logger) (stop func(), err error) {
	if addr == "" {
		handler.Handle("GET /metrics", metrics.Handler())
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics_addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute}
	go func() { _ = srv.Serve(ln) }()
	log.Info("serving metrics", "addr", ln.Addr().String())
	return func() { _ = srv.Close() }, nil
}
