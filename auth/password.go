package auth

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Password hashing compatible with Odoo's passlib CryptContext
// (scheme pbkdf2_sha512). See spec/auth.md §1.7.
//
// Stored format (passlib modular crypt format):
//
//	$pbkdf2-sha512$<rounds>$<salt>$<checksum>
//
// salt and checksum are encoded with passlib's "ab64" alphabet: standard
// base64 with '.' instead of '+' and without '=' padding.

// MinRounds is the smallest PBKDF2 round count godoo uses for new hashes (Odoo 16+: 600000).
const MinRounds = 600000

// MaxRounds is the largest round count VerifyPassword accepts and HashPassword
// produces. It bounds the CPU a single (possibly planted) hash can consume:
// at ~0.75 µs per round (≈450 ms for MinRounds on a 2-core AMD EPYC) it is
// about 7 s of work, against passlib's own cap of 2^32-1 rounds.
const MaxRounds = 10_000_000

const (
	pbkdf2SHA512Ident = "$pbkdf2-sha512$"
	saltSize          = 16   // passlib pbkdf2_sha512 default_salt_size
	maxSaltSize       = 1024 // passlib pbkdf2_sha512 max_salt_size
	checksumSize      = 64   // sha512 digest size, passlib checksum_size
)

// ab64 is passlib's "adapted base64" without padding; '.' stands for '+'.
var ab64 = base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./").WithPadding(base64.NoPadding)

// HashPassword returns a passlib-compatible "$pbkdf2-sha512$<rounds>$<salt>$<checksum>" hash
// (16-byte random salt, 64-byte checksum, passlib "ab64" encoding = standard base64 with '.' instead of '+', no padding).
// rounds below MinRounds are raised to MinRounds; rounds above MaxRounds are an error.
func HashPassword(password string, rounds int) (string, error) {
	if rounds < MinRounds {
		rounds = MinRounds
	}
	return hashRandom(password, rounds)
}

// hashRandom hashes password with a new random salt and exactly rounds
// rounds. Its callers apply the floor: HashPassword raises rounds to
// MinRounds, an Authenticator to its own (see Authenticator.Rounds).
func hashRandom(password string, rounds int) (string, error) {
	if rounds > MaxRounds {
		return "", fmt.Errorf("auth: password hashing rounds %d exceed maximum %d", rounds, MaxRounds)
	}
	salt := make([]byte, saltSize)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: generating salt: %w", err)
	}
	return hashWithSalt(password, salt, rounds)
}

// hashWithSalt computes the $pbkdf2-sha512$ hash of password with an explicit
// salt and round count. It does not apply MinRounds; it is the primitive
// behind HashPassword and is exposed to tests for known-answer checks.
func hashWithSalt(password string, salt []byte, rounds int) (string, error) {
	if rounds < 1 || rounds > MaxRounds {
		return "", fmt.Errorf("auth: invalid pbkdf2 rounds %d", rounds)
	}
	if len(salt) > maxSaltSize {
		return "", errors.New("auth: salt too long")
	}
	sum, err := deriveKey(password, salt, rounds)
	if err != nil {
		return "", fmt.Errorf("auth: pbkdf2: %w", err)
	}
	var b strings.Builder
	b.Grow(len(pbkdf2SHA512Ident) + 10 + ab64.EncodedLen(len(salt)) + ab64.EncodedLen(checksumSize) + 2)
	b.WriteString(pbkdf2SHA512Ident)
	b.WriteString(strconv.Itoa(rounds))
	b.WriteByte('$')
	b.WriteString(ab64.EncodeToString(salt))
	b.WriteByte('$')
	b.WriteString(ab64.EncodeToString(sum))
	return b.String(), nil
}

// parsedHash is a decoded $pbkdf2-sha512$ hash.
type parsedHash struct {
	rounds   int
	salt     []byte
	checksum []byte
}

// parseHash decodes a $pbkdf2-sha512$ string. It is strict: exactly four
// '$'-separated fields after the leading '$', a canonical decimal round count
// in [1, MaxRounds] (no sign, no leading zero, as passlib's parse_mc3), salt
// and checksum in unpadded ab64, checksum exactly 64 bytes.
func parseHash(hash string) (parsedHash, bool) {
	rest, ok := strings.CutPrefix(hash, pbkdf2SHA512Ident)
	if !ok {
		return parsedHash{}, false
	}
	fields := strings.Split(rest, "$")
	if len(fields) != 3 {
		return parsedHash{}, false
	}
	rounds, ok := parseRounds(fields[0])
	if !ok {
		return parsedHash{}, false
	}
	salt, ok := decodeAB64(fields[1])
	if !ok || len(salt) > maxSaltSize {
		return parsedHash{}, false
	}
	checksum, ok := decodeAB64(fields[2])
	if !ok || len(checksum) != checksumSize {
		return parsedHash{}, false
	}
	return parsedHash{rounds: rounds, salt: salt, checksum: checksum}, true
}

func parseRounds(s string) (int, bool) {
	// Digits only, no leading zero; the length check bounds the value well
	// before strconv could overflow and keeps the comparison below exact.
	if s == "" || s[0] == '0' || len(s) > len(strconv.Itoa(MaxRounds)) {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxRounds {
		return 0, false
	}
	return n, true
}

// decodeAB64 decodes unpadded passlib ab64. Unlike encoding/base64 it rejects
// CR/LF (which the standard decoder silently skips). '+' is accepted, as
// passlib's ab64_decode does.
func decodeAB64(s string) ([]byte, bool) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, false
	}
	b, err := ab64.DecodeString(strings.ReplaceAll(s, "+", "."))
	if err != nil {
		return nil, false
	}
	return b, true
}

// VerifyPassword reports whether password matches hash. It honours the rounds inside the hash (any rounds in
// [1, MaxRounds], so hashes copied from an Odoo database verify), compares in constant time, and returns
// needsRehash=true when the password matched and the hash uses fewer rounds than minRounds (so the caller can
// upgrade it, as passlib verify_and_update does). needsRehash is always false when ok is false.
// A hash that is not a well-formed $pbkdf2-sha512$ string never verifies (no plaintext fallback, no panic).
func VerifyPassword(password, hash string, minRounds int) (ok bool, needsRehash bool) {
	h, valid := parseHash(hash)
	if !valid {
		return false, false
	}
	sum, err := deriveKey(password, h.salt, h.rounds)
	if err != nil {
		return false, false
	}
	if subtle.ConstantTimeCompare(sum, h.checksum) != 1 {
		return false, false
	}
	return true, h.rounds < minRounds
}

// dummySalt is a fixed salt for DummyVerify; its value is irrelevant.
var dummySalt = []byte("godoo-dummy-salt")

// dummyChecksum is compared against in DummyVerify so that the comparison
// step is also paid; no password derives to it in practice.
var dummyChecksum = make([]byte, checksumSize)

// DummyVerify spends the same time as a real verification at MinRounds; callers use it when a login is unknown so
// that timing does not reveal which logins exist.
func DummyVerify(password string) {
	dummyVerifyRounds(password, MinRounds)
}

// dummyVerifyRounds is DummyVerify at the given rounds: an Authenticator spends
// the rounds of the hashes it makes, so that unknown and known logins cost
// the same.
func dummyVerifyRounds(password string, rounds int) {
	// Parse a well-formed hash too, so every step of VerifyPassword is paid.
	_, _ = parseHash(dummyHash)
	sum, err := deriveKey(password, dummySalt, rounds)
	if err != nil {
		return
	}
	subtle.ConstantTimeCompare(sum, dummyChecksum)
}

// deriveKey is the PBKDF2-HMAC-SHA512 derivation behind every hash and
// check. It is a variable only so that tests can count the rounds each path
// derives (export_test.go), which tells equal work apart from unequal work
// without measuring time.
var deriveKey = func(password string, salt []byte, rounds int) ([]byte, error) {
	return pbkdf2.Key(sha512.New, password, salt, rounds, checksumSize)
}

// dummyHash has the shape of a real MinRounds hash (it does not match anything).
var dummyHash = pbkdf2SHA512Ident + strconv.Itoa(MinRounds) + "$" +
	ab64.EncodeToString(dummySalt) + "$" + ab64.EncodeToString(dummyChecksum)
