package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"strings"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// benchCommand is godoo bench (cmd/godoo/internal/bench), with this command
// line's services, version and signals.
var benchCommand = &command{path: "bench", synopsis: strings.TrimPrefix(bench.Synopsis, "godoo bench "),
	summary: "Measures godoo against the database's own speed.", help: bench.Help,
	define: func(fs *flag.FlagSet) action {
		f := bench.DefineFlags(fs)
		return func(inv *invocation) error {
			env := bench.Env{Version: Version, NewServices: newServices, Signal: signalContext}
			return benchError(bench.Command(inv.args, f, inv.stdout, inv.stderr, env))
		}
	}}

// cmdBenchServe is godoo bench-serve, the server godoo bench starts: serve
// with the bench's readying of the store and of the handler.
func cmdBenchServe(args []string, inv *invocation) error {
	return benchError(bench.Serve(args, inv.stderr, func(args []string, prepare func(context.Context, *services.Set) error,
		configure func(*rpc.Handler, *services.Set, io.Writer)) error {
		prepareServe = func(ctx context.Context, set *services.Set, _ io.Writer, _ *slog.Logger) error {
			return prepare(ctx, set)
		}
		configureServer = configure
		inv.args = args
		return runCommand(serveCommand, inv)
	}))
}

// benchError makes the bench's usage errors godoo's.
func benchError(err error) error {
	var ue bench.UsageError
	if errors.As(err, &ue) {
		return usageError{string(ue)}
	}
	return err
}
