//go:build !godoo_noauth

package main

// Normal builds cannot turn authentication off: godoo bench then skips its
// "auth off" scenarios (see noauth.go, built with the godoo_noauth tag).
const (
	noAuthBuild = false
	noAuthEnv   = ""
	coldKeysEnv = ""
)
