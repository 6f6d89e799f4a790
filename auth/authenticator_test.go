package auth_test

import (
	"testing"

	"github.com/godoo/godoo/auth"
)

// TestAuthenticatorRounds checks the floor Authenticator.Rounds sets for new
// hashes, for the dummy check of unknown logins and for upgrades: never
// below MinRounds, except in a test binary, where harnesses use a few
// rounds. The derivation is replaced by a recorder, so each step shows the
// rounds it derived without spending them.
func TestAuthenticatorRounds(t *testing.T) {
	cases := []struct {
		name       string
		rounds     int // Authenticator.Rounds; 0 keeps New's default
		testBinary bool
		want       int // the floor in effect
	}{
		{"default", 0, true, auth.MinRounds},
		{"few rounds in a test binary", 1000, true, 1000},
		{"few rounds in any other binary", 1000, false, auth.MinRounds},
		{"negative rounds in a test binary", -1, true, auth.MinRounds},
		{"more rounds than the minimum", auth.MinRounds + 50000, false, auth.MinRounds + 50000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			auth.PretendTestBinary(t, c.testBinary)
			seen := auth.RecordDerivations(t)
			a := auth.New(nil)
			if c.rounds != 0 {
				a.Rounds = c.rounds
			}
			steps := []struct {
				name string
				run  func() error
				want int
			}{
				{"new hash", func() error { _, err := a.Hash("pw"); return err }, c.want},
				{"password.hashing.rounds below the floor", func() error { _, err := a.HashRounds("pw", 500); return err }, c.want},
				{"password.hashing.rounds above it", func() error { _, err := a.HashRounds("pw", 900000); return err }, max(900000, c.want)},
				{"dummy check", func() error { a.ConfiguredBasic("gateway", "pw", ""); return nil }, c.want},
			}
			for _, s := range steps {
				*seen = nil
				if err := s.run(); err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				if len(*seen) != 1 || (*seen)[0].Rounds != s.want {
					t.Errorf("%s derived %+v, want once with %d rounds", s.name, *seen, s.want)
				}
			}
			for _, r := range []int{c.want - 1, c.want, c.want + 1} {
				ok, rehash := a.VerifyStored("pw", auth.ZeroHash(r))
				if !ok || rehash != (r < c.want) {
					t.Errorf("a verified %d-round hash: ok %v, upgraded %v; want true, %v", r, ok, rehash, r < c.want)
				}
			}
		})
	}
}

// TestAuthenticatorFewRounds makes and checks a real hash with the few
// rounds a test harness sets: it verifies, with those rounds, and is not
// upgraded.
func TestAuthenticatorFewRounds(t *testing.T) {
	a := auth.New(nil)
	a.Rounds = 1000
	h, err := a.Hash("few rounds")
	if err != nil {
		t.Fatal(err)
	}
	if rounds, ok := auth.ParseHash(h); !ok || rounds != 1000 {
		t.Fatalf("hash %.24s... has %d rounds, want 1000", h, rounds)
	}
	if ok, rehash := a.VerifyStored("few rounds", h); !ok || rehash {
		t.Errorf("the hash verifies: %v, upgraded: %v; want true, false", ok, rehash)
	}
	if ok, _ := a.VerifyStored("other", h); ok {
		t.Error("another password verifies")
	}
}
