package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/services"
)

// benchServeCommand is the server godoo bench starts. It is not in the
// usage: it is serve for the bench's own use.
const benchServeCommand = "bench-serve"

// cmdBenchServe is serve, except that at start it checks only the bench's
// scratch database instead of every database of the store. serve refuses to
// start when any database of the store is newer than this godoo or cannot
// be opened; on a PostgreSQL server that other godoo processes and test
// suites share, that happens whenever one of theirs is being migrated or
// dropped, and the bench must not depend on it. The databases are served as
// by serve: the scratch one, and any other on its first call.
//
//	godoo bench-serve --database NAME [serve flags]
func cmdBenchServe(args []string, inv *invocation) error {
	if len(args) < 2 || args[0] != "--database" || !models.ValidDBName(args[1]) {
		return usageError{"usage: godoo " + benchServeCommand + " --database NAME [serve flags]"}
	}
	name := args[1]
	if err := startBenchPprof(benchPprofEnv, inv.stderr); err != nil {
		return err
	}
	prepareServe = func(ctx context.Context, set *services.Set, _ io.Writer, _ *slog.Logger) error {
		return set.Database.Check(ctx, name)
	}
	inv.args = args[2:]
	return runCommand(serveCommand, inv)
}
