package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"hash/crc32"
	"math/big"
	"strings"
)

// Key format. A godoo key reads
//
//	godoo_<16 hex: key id>_<43 base62: 256-bit secret><6 base62: CRC-32>
//
// The key id is stored in clear and indexed, so a key is found with one
// indexed read; the whole key is stored only as a SHA-256 hash, which is
// enough for 256 random bits (no slow KDF is needed, or wanted, for them).
// The checksum lets godoo refuse a mistyped or forged key before any
// database work, and lets secret scanners recognise leaked keys with
// KeyPattern.
const (
	KeyPrefix   = "godoo_"
	keyIDLen    = 16
	secretLen   = 43
	checksumLen = 6
	keyLen      = len(KeyPrefix) + keyIDLen + 1 + secretLen + checksumLen
)

// KeyPattern is the regular expression of godoo keys, for secret scanners.
const KeyPattern = `godoo_[0-9a-f]{16}_[0-9A-Za-z]{49}`

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// ParsedKey is a key split into what is stored in clear and the whole.
type ParsedKey struct {
	// Index is the indexed public part: the key id of a godoo key, or the
	// first 8 characters of an Odoo key.
	Index string
	// Odoo is true for a 40-hex Odoo key (hashed with PBKDF2 by Odoo).
	Odoo bool
	// Malformed is true for a string of the exact shape of a godoo key
	// (KeyPattern) whose checksum is wrong: a mistyped or forged key, never
	// a password. It is refused without any database work or key
	// derivation.
	Malformed bool
	Key       string
}

// NewKey makes a godoo key and returns it with its index and stored hash.
// The clear key is meant to be shown once and then forgotten.
func NewKey() (clear, index, hash string, err error) {
	var id [keyIDLen / 2]byte
	var secret [32]byte
	if _, err = rand.Read(id[:]); err != nil {
		return "", "", "", err
	}
	if _, err = rand.Read(secret[:]); err != nil {
		return "", "", "", err
	}
	index = hex.EncodeToString(id[:])
	body := KeyPrefix + index + "_" + encodeBase62(secret[:], secretLen)
	sum := keyChecksum(body)
	clear = body + string(sum[:])
	return clear, index, HashKey(clear), nil
}

// ParseKey recognises what is meant as a key: a godoo key (KeyPattern), or
// an Odoo key (40 lowercase hex characters). A godoo-shaped string with a
// wrong checksum is a key too, marked Malformed, so that it is refused
// before any database work instead of being tried as a password. Anything
// else is not a key.
func ParseKey(s string) (ParsedKey, bool) {
	if len(s) == keyLen && strings.HasPrefix(s, KeyPrefix) && s[len(KeyPrefix)+keyIDLen] == '_' {
		index := s[len(KeyPrefix) : len(KeyPrefix)+keyIDLen]
		if !isLowerHex(index) {
			return ParsedKey{}, false
		}
		for i := len(KeyPrefix) + keyIDLen + 1; i < len(s); i++ {
			if !isBase62(s[i]) {
				return ParsedKey{}, false
			}
		}
		want := keyChecksum(s[:keyLen-checksumLen])
		if subtle.ConstantTimeCompare(want[:], []byte(s[keyLen-checksumLen:])) != 1 {
			return ParsedKey{Malformed: true}, true
		}
		return ParsedKey{Index: index, Key: s}, true
	}
	if len(s) == 40 && isLowerHex(s) {
		return ParsedKey{Index: s[:8], Odoo: true, Key: s}, true
	}
	return ParsedKey{}, false
}

// HashKey is the stored form of a godoo key: "sha256$<hex>".
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "sha256$" + hex.EncodeToString(sum[:])
}

// VerifyKey compares a presented key with its stored hash in constant time:
// SHA-256 for godoo keys, PBKDF2 (any rounds) for keys imported from Odoo.
func VerifyKey(key, stored string) bool {
	if strings.HasPrefix(stored, "sha256$") {
		want := HashKey(key)
		return subtle.ConstantTimeCompare([]byte(want), []byte(stored)) == 1
	}
	ok, _ := VerifyPassword(key, stored, 1)
	return ok
}

// HeaderKeyHash is the stored, indexed form of an API-KEY header key:
// SHA-256 in hex. Header keys are chosen by administrators and may be of
// any shape, so the whole key is the look-up value.
func HeaderKeyHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// keyChecksum is the checksum of a key's body: its CRC-32 in checksumLen
// base62 digits, big-endian, as encodeBase62 renders the sum's bytes. It
// is computed on every call that presents a key, so it works on a uint32
// and arrays, without big.Int's allocations.
func keyChecksum(body string) [checksumLen]byte {
	sum := crc32.Update(0, crc32.IEEETable, []byte(body))
	var out [checksumLen]byte
	for i := checksumLen - 1; i >= 0; i-- {
		out[i] = base62[sum%62]
		sum /= 62
	}
	return out
}

// isBase62 reports whether c is a digit of base62.
func isBase62(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// encodeBase62 renders b as a big-endian number in exactly n base62 digits.
func encodeBase62(b []byte, n int) string {
	x := new(big.Int).SetBytes(b)
	out := make([]byte, n)
	base := big.NewInt(62)
	mod := new(big.Int)
	for i := n - 1; i >= 0; i-- {
		x.DivMod(x, base, mod)
		out[i] = base62[mod.Int64()]
	}
	return string(out)
}
