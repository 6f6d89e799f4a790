package main

import (
	"context"
	"errors"
	"io"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// cmdBench is godoo bench (cmd/godoo/internal/bench), with this command
// line's services, version and signals.
func cmdBench(args []string, stdout, stderr io.Writer) error {
	return benchError(bench.Command(args, stdout, stderr, bench.Env{Version: Version, NewServices: newServices, Signal: signalContext}))
}

// cmdBenchServe is godoo bench-serve, the server godoo bench starts: serve
// with the bench's readying of the store and of the handler.
func cmdBenchServe(args []string, stdout, stderr io.Writer) error {
	return benchError(bench.Serve(args, stderr, func(args []string, prepare func(context.Context, *services.Set) error,
		configure func(*rpc.Handler, *services.Set, io.Writer)) error {
		prepareServe = func(ctx context.Context, set *services.Set, _ io.Writer) error { return prepare(ctx, set) }
		configureServer = configure
		return cmdServe(args, stdout, stderr)
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
