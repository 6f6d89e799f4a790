//go:build !godoo_noauth

package bench

import (
	"io"

	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// Normal builds cannot turn authentication off: godoo bench then skips its
// "auth off" and cold-key scenarios (see noauth.go, built with the
// godoo_noauth tag).
const (
	NoAuthBuild = false
	noAuthEnv   = ""
	coldKeysEnv = ""
)

// ConfigureServer leaves a server as it is in normal builds.
func ConfigureServer(*rpc.Handler, *services.Set, io.Writer) {}
