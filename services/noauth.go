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
