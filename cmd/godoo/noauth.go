//go:build godoo_noauth

package main

import (
	"fmt"
	"os"

	"github.com/godoo/godoo/services"
)

// This file exists only in builds with the godoo_noauth tag, which godoo
// bench uses to measure what authentication costs: a server started with
// GODOO_BENCH_NOAUTH=1 in its environment runs every execute_kw without
// checking credentials. Normal builds have noauth_off.go instead and ignore
// the variable.

// noAuthBuild tells godoo bench that it can start a server without
// authentication.
const noAuthBuild = true

// noAuthEnv is the environment variable that turns the credential check
// off, and coldKeysEnv the one that makes every key check start with the
// key caches emptied.
const (
	noAuthEnv   = "GODOO_BENCH_NOAUTH"
	coldKeysEnv = "GODOO_BENCH_COLD_KEYS"
)

func init() {
	if os.Getenv(noAuthEnv) == "1" {
		services.DisableCredentialCheck()
		fmt.Fprintf(os.Stderr, "godoo: %s=1 in a godoo_noauth build: execute_kw does not check credentials\n", noAuthEnv)
	}
	if os.Getenv(coldKeysEnv) == "1" {
		services.EmptyKeyCachesOnEveryCheck()
		fmt.Fprintf(os.Stderr, "godoo: %s=1 in a godoo_noauth build: every key check reads and verifies the key again\n", coldKeysEnv)
	}
}
