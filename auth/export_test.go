package auth

import (
	"strconv"
	"testing"
)

// HashWithSalt exposes hashWithSalt to the external auth_test package.
var HashWithSalt = hashWithSalt

// ParseHash exposes the hash parser; it returns the round count.
func ParseHash(hash string) (rounds int, ok bool) {
	h, ok := parseHash(hash)
	return h.rounds, ok
}

// Derivation is one PBKDF2 derivation RecordDerivations saw.
type Derivation struct {
	Password string
	SaltLen  int
	Rounds   int
}

// RecordDerivations replaces the PBKDF2 derivation, until t ends, with one
// that records what it was asked and returns an all-zero checksum. Tests
// that call it must not run in parallel with others.
func RecordDerivations(t testing.TB) *[]Derivation {
	var seen []Derivation
	saved := deriveKey
	deriveKey = func(password string, salt []byte, rounds int) ([]byte, error) {
		seen = append(seen, Derivation{Password: password, SaltLen: len(salt), Rounds: rounds})
		return make([]byte, checksumSize), nil
	}
	t.Cleanup(func() { deriveKey = saved })
	return &seen
}

// PretendTestBinary makes the package see a test binary (or not) until t
// ends. Tests that call it must not run in parallel with others.
func PretendTestBinary(t testing.TB, v bool) {
	saved := testBinary
	testBinary = func() bool { return v }
	t.Cleanup(func() { testBinary = saved })
}

// VerifyStored exposes verifyStored: whether a password matches a stored
// value, and whether a successful check would upgrade it.
func (a *Authenticator) VerifyStored(password, stored string) (ok, rehash bool) {
	return a.verifyStored(password, stored)
}

// ZeroHash is a well-formed hash of the given rounds whose checksum is all
// zeros: what any password verifies against under RecordDerivations.
func ZeroHash(rounds int) string {
	return pbkdf2SHA512Ident + strconv.Itoa(rounds) + "$" + ab64.EncodeToString(dummySalt) + "$" + ab64.EncodeToString(dummyChecksum)
}
