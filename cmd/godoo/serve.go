package main

import (
	"context"
	"errors"
	"fmt"
	"io"
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

func cmdServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "godoo serve [--data-dir DIR | --db-url postgres://...] [--http-addr HOST:PORT] [--master-password PW]", stderr)
	resolve := addFlags(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("serve takes no arguments, got %q", pos[0])}
	}
	c, err := resolve()
	if err != nil {
		return err
	}
	tuneRuntime()
	log := newLogger(c, stderr)
	store, where, err := openStore(c)
	if err != nil {
		return err
	}
	defer store.Close()
	cfg := servicesConfig(c, log)
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
	set := newServices(store, cfg)
	maxBody, err := c.int("max_body_bytes")
	if err != nil {
		return err
	}
	maxDepth, err := c.int("max_depth")
	if err != nil {
		return err
	}
	timeout, err := c.int("request_timeout")
	if err != nil {
		return err
	}
	bodyTimeout, err := c.seconds("body_read_timeout")
	if err != nil {
		return err
	}
	handler := rpc.NewHandler(set, rpc.Options{MaxBodyBytes: maxBody, BodyTimeout: bodyTimeout, MaxDepth: int(maxDepth),
		Timeout: time.Duration(timeout) * time.Second, ProxyMode: c.bool("proxy_mode"), Log: log})
	configureServer(handler, set, stderr)

	ln, err := net.Listen("tcp", c.httpAddr())
	if err != nil {
		return err
	}
	// The handler bounds the time to read a body (body_read_timeout);
	// ReadTimeout only backs it up.
	const headerTimeout = 10 * time.Second
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: headerTimeout, ReadTimeout: headerTimeout + bodyTimeout,
		WriteTimeout: time.Duration(timeout+30) * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 1 << 20}
	ctx, stop := serveContext()
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("godoo listening", "addr", ln.Addr().String(), "store", where)

	if err := prepareServe(ctx, set, stdout); err != nil {
		_ = srv.Close()
		return err
	}
	if c.masterPassword() == "" {
		log.Warn("no master password configured (admin_passwd / --master-password): the db service refuses every protected method")
	}
	go set.Run(ctx, 15*time.Second) // flushes key last-used times
	handler.SetReady(true)
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
func prepareDatabases(ctx context.Context, set *services.Set, stdout io.Writer) error {
	names, err := set.Database.Names(ctx)
	if err != nil {
		return err
	}
	if len(names) == 0 {
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
	for _, n := range names {
		if err := set.Database.Check(ctx, n); err != nil {
			fmt.Fprintf(stdout, "Database %q is not served: %v\n", n, err)
		}
	}
	return nil
}
