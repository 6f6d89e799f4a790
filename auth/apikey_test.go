package auth

import (
	"hash/crc32"
	"math/big"
	"strings"
	"testing"
)

// TestKeyChecksum checks the checksum of a key's body against its first
// definition, the CRC-32's bytes as a big.Int in base62 (encodeBase62),
// for bodies whose sums cover one, several and all of the six digits,
// so that every key made before still parses.
func TestKeyChecksum(t *testing.T) {
	bodies := []string{"", "a", "godoo_0123456789abcdef_", strings.Repeat("z", 66)}
	for i := range 200 {
		k, _, _, err := NewKey()
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, k[:keyLen-checksumLen], strings.Repeat("x", i))
	}
	for _, body := range bodies {
		sum := crc32.ChecksumIEEE([]byte(body))
		want := encodeBase62(big.NewInt(int64(sum)).Bytes(), checksumLen)
		if got := keyChecksum(body); string(got[:]) != want {
			t.Errorf("checksum of %q (%d): %q, want %q", body, sum, got, want)
		}
	}
}

// TestParseKeyShapes checks what ParseKey makes of each shape: a key,
// the same key with a wrong checksum (a key, malformed), with a
// character outside base62 (not a key), an Odoo key and a password.
func TestParseKeyShapes(t *testing.T) {
	k, index, _, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	last := byte('A')
	if k[len(k)-1] == 'A' {
		last = 'B'
	}
	for _, c := range []struct {
		name, s              string
		isKey, malformed, od bool
		index                string
	}{
		{"valid", k, true, false, false, index},
		{"wrong checksum", k[:len(k)-1] + string(last), true, true, false, ""},
		{"not base62", k[:30] + "-" + k[31:], false, false, false, ""},
		{"odoo", strings.Repeat("0123456789", 4), true, false, true, "01234567"},
		{"password", "correct horse battery staple", false, false, false, ""},
	} {
		pk, ok := ParseKey(c.s)
		if ok != c.isKey || pk.Malformed != c.malformed || pk.Odoo != c.od || pk.Index != c.index {
			t.Errorf("%s: %+v %v", c.name, pk, ok)
		}
	}
}
