package auth_test

import (
	"strings"
	"testing"

	"github.com/godoo/godoo/auth"
)

// The key format's costs without any database:
//
//	go test ./auth/ -run '^$' -bench Key
//
// A malformed key is refused by ParseKey alone; a godoo key verifies with
// one SHA-256; an Odoo key costs a 6000-round PBKDF2 (which the
// authenticator caches per key).

func benchKey(b *testing.B) (key, hash string) {
	b.Helper()
	key, _, hash, err := auth.NewKey()
	if err != nil {
		b.Fatal(err)
	}
	return key, hash
}

func BenchmarkParseKey(b *testing.B) {
	key, _ := benchKey(b)
	bad := key[:len(key)-1] + "A"
	if strings.HasSuffix(key, "A") {
		bad = key[:len(key)-1] + "B"
	}
	for _, tc := range []struct{ name, key string }{
		{"valid", key},
		{"bad_checksum", bad},
		{"odoo", strings.Repeat("0123456789", 4)},
		{"password", "correct horse battery staple"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				auth.ParseKey(tc.key)
			}
		})
	}
}

func BenchmarkVerifyKey(b *testing.B) {
	key, hash := benchKey(b)
	b.Run("godoo_sha256", func(b *testing.B) {
		for b.Loop() {
			if !auth.VerifyKey(key, hash) {
				b.Fatal("the key does not verify")
			}
		}
	})
	odoo := strings.Repeat("0123456789", 4)
	h, err := auth.HashWithSalt(odoo, []byte("0123456789abcdef"), 6000)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("odoo_pbkdf2_6000", func(b *testing.B) {
		for b.Loop() {
			if !auth.VerifyKey(odoo, h) {
				b.Fatal("the key does not verify")
			}
		}
	})
}

func BenchmarkNewKey(b *testing.B) {
	for b.Loop() {
		if _, _, _, err := auth.NewKey(); err != nil {
			b.Fatal(err)
		}
	}
}
