package bench

import (
	"context"
	"io"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// ServeCommand is the server godoo bench starts. It is not in godoo's
// usage: it is serve for the bench's own use.
const ServeCommand = "bench-serve"

// ServeFunc runs godoo serve with args, readying the store with prepare
// before it answers, and the handler with configure.
type ServeFunc func(args []string, prepare func(context.Context, *services.Set) error, configure func(*rpc.Handler, *services.Set, io.Writer)) error

// Serve is godoo bench-serve: serve, except that at start it checks only
// the bench's scratch database instead of every database of the store.
// serve refuses to start when any database of the store is newer than this
// godoo or cannot be opened; on a PostgreSQL server that other godoo
// processes and test suites share, that happens whenever one of theirs is
// being migrated or dropped, and the bench must not depend on it. The
// databases are served as by serve: the scratch one, and any other on its
// first call.
//
//	godoo bench-serve --database NAME [serve flags]
func Serve(args []string, stderr io.Writer, serve ServeFunc) error {
	if len(args) < 2 || args[0] != "--database" || !models.ValidDBName(args[1]) {
		return UsageError("usage: godoo " + ServeCommand + " --database NAME [serve flags]")
	}
	name := args[1]
	if err := startPprof(serverPprofEnv, stderr); err != nil {
		return err
	}
	prepare := func(ctx context.Context, set *services.Set) error { return set.Database.Check(ctx, name) }
	return serve(args[2:], prepare, ConfigureServer)
}
