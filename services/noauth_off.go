//go:build !godoo_noauth

package services

// noAuth is always false in normal builds: execute_kw checks every call's
// credentials. Builds with the godoo_noauth tag replace it (noauth.go).
const noAuth = false

// coldKeys is always false in normal builds: checked keys are cached.
// Builds with the godoo_noauth tag replace it (noauth.go).
const coldKeys = false
