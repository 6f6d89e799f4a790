//go:build godoo_noauth

package services

// noAuth makes execute_kw skip the credential check. It exists only in
// builds with the godoo_noauth tag, which godoo bench uses to measure what
// authentication costs; normal builds have the constant false of
// noauth_off.go instead, so the check cannot be turned off there.
var noAuth bool

// DisableCredentialCheck makes every execute_kw run as the uid it names
// without checking the password or key. Call it before serving; it exists
// only in godoo_noauth builds.
func DisableCredentialCheck() { noAuth = true }

// coldKeys makes the authenticator of every Set check native keys with its
// caches emptied (auth.Authenticator.ColdKeys), for godoo bench's
// xml-key-cold scenario. Like noAuth, it exists only in godoo_noauth builds.
var coldKeys bool

// EmptyKeyCachesOnEveryCheck makes the Sets made afterwards read and verify
// every native key as if their caches had just been emptied. It exists only
// in godoo_noauth builds.
func EmptyKeyCachesOnEveryCheck() { coldKeys = true }
