//go:build godoo_noauth

package bench

import (
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// This file exists only in builds with the godoo_noauth tag, which godoo
// bench uses to measure what authentication costs: a server started with
// GODOO_BENCH_NOAUTH=1 in its environment runs every execute_kw without
// checking credentials, one started with GODOO_BENCH_COLD_KEYS=1 checks
// every key as just after a change to it. Normal builds have noauth_off.go
// instead and ignore the variables, so that no setting can turn
// authentication off there.

// NoAuthBuild tells godoo bench that it can start a server without
// authentication, or with cold key checks.
const NoAuthBuild = true

// noAuthEnv is the environment variable that turns the credential check
// off, and coldKeysEnv the one that makes every key check start with the
// key caches emptied.
const (
	noAuthEnv   = "GODOO_BENCH_NOAUTH"
	coldKeysEnv = "GODOO_BENCH_COLD_KEYS"
)

// ConfigureServer sets up the handler of a server as its environment asks,
// through the handler's auth modes: execute_kw's password-in-call either
// trusts the call's uid without a check, or drops what the process
// remembers of the database's keys before every check.
func ConfigureServer(h *rpc.Handler, set *services.Set, stderr io.Writer) {
	if os.Getenv(noAuthEnv) == "1" {
		h.SetAuthMode(rpc.AuthPassword, func(_ *http.Request, c rpc.Claims) (auth.Identity, error) {
			return auth.Identity{DB: c.DB, UID: c.UID, Mode: string(rpc.AuthPassword)}, nil
		})
		fmt.Fprintf(stderr, "godoo: %s=1 in a godoo_noauth build: execute_kw does not check credentials\n", noAuthEnv)
	}
	if os.Getenv(coldKeysEnv) == "1" {
		check, a := h.AuthModeFunc(rpc.AuthPassword), set.Authenticator()
		h.SetAuthMode(rpc.AuthPassword, func(r *http.Request, c rpc.Claims) (auth.Identity, error) {
			a.ForgetKeys(c.DB)
			return check(r, c)
		})
		fmt.Fprintf(stderr, "godoo: %s=1 in a godoo_noauth build: every key check reads and verifies the key again\n", coldKeysEnv)
	}
}
