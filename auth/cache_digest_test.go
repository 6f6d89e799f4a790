package auth

import (
	"bytes"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestCheckCacheDigest checks the digest the credential cache keeps: the
// same for the same check, another when any part or a boundary between
// parts moves, no allocation once its HMAC is pooled, and no secret left
// in the pooled buffer.
func TestCheckCacheDigest(t *testing.T) {
	c := newCheckCache(10, &models.HitCounts{})
	type in struct {
		db     string
		uid    int64
		stored string
		secret string
	}
	base := in{"db", 2, "$pbkdf2-sha512$600000$salt$hash", "x-secret-1"}
	d := func(x in) [32]byte { return c.digest(x.db, x.uid, x.stored, x.secret) }
	if d(base) != d(base) {
		t.Fatal("the same check has two digests")
	}
	seen := map[[32]byte]in{d(base): base}
	for _, x := range []in{
		{"db2", 2, base.stored, base.secret},
		{"db", 3, base.stored, base.secret},
		{"db", 2, base.stored + "x", base.secret},
		{"db", 2, base.stored, base.secret + "x"},
		{"db", 2, base.stored + "x", "-secret-1"},
		{"d", 2, "b" + base.stored, base.secret},
		{"db", 2, "", base.stored + base.secret},
	} {
		if o, dup := seen[d(x)]; dup {
			t.Errorf("%+v and %+v have the same digest", x, o)
		}
		seen[d(x)] = x
	}
	if n := testing.AllocsPerRun(100, func() { d(base) }); n != 0 {
		t.Errorf("a digest allocates %v times", n)
	}
	d(base)
	if m, _ := c.macs.Get().(*mac); m != nil && bytes.Contains(m.buf[:cap(m.buf)], []byte(base.secret)) {
		t.Error("the pooled buffer keeps the secret")
	}
}
