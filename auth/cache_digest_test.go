package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"reflect"
	"strings"
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

// TestCheckCacheMacHoldsNoSecret checks that a mac going back to the pool
// holds no piece of the secret, in its buffer or in its hash's state, for
// secrets ending at every offset of a hash block, and that its digests do
// not depend on the mac's history.
func TestCheckCacheMacHoldsNoSecret(t *testing.T) {
	c := newCheckCache(10, &models.HitCounts{})
	const secret = "Zq7#Wv2!Kp9$Lm4%Xr8&Tn3*Hb6(Jd1)Yc5"
	for pad := 0; pad < sha256.BlockSize; pad++ {
		stored := strings.Repeat("s", pad)
		m := &mac{h: hmac.New(sha256.New, c.key[:])}
		got := m.sum("db", 2, stored, secret)
		if again := m.sum("db", 2, stored, secret); again != got {
			t.Fatalf("pad %d: a reused mac gives another digest", pad)
		}
		if want := c.digest("db", 2, stored, secret); want != got {
			t.Fatalf("pad %d: a fresh mac and the cache's disagree", pad)
		}
		m = &mac{h: hmac.New(sha256.New, c.key[:])}
		m.sum("db", 2, stored, secret)
		state := reachableBytes(reflect.ValueOf(m), nil)
		for i := 0; i+4 <= len(secret); i++ {
			if bytes.Contains(state, []byte(secret[i:i+4])) {
				t.Fatalf("pad %d: the pooled mac keeps %q of the secret", pad, secret[i:i+4])
			}
		}
	}
}

// TestCheckCacheDropsLargeBuffers checks that a mac whose buffer grew past
// maxPooledBuf is not pooled.
func TestCheckCacheDropsLargeBuffers(t *testing.T) {
	c := newCheckCache(10, &models.HitCounts{})
	c.digest("db", 2, strings.Repeat("s", 2*maxPooledBuf), "secret")
	if m, _ := c.macs.Get().(*mac); m != nil && cap(m.buf) > maxPooledBuf {
		t.Errorf("a buffer of %d bytes went back to the pool", cap(m.buf))
	}
}

// reachableBytes appends every byte v holds or points to, through pointers,
// interfaces, structs, arrays and slices (to their capacity).
func reachableBytes(v reflect.Value, out []byte) []byte {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			out = reachableBytes(v.Elem(), out)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			out = reachableBytes(v.Field(i), out)
		}
	case reflect.Slice:
		full := v.Slice(0, v.Cap())
		for i := 0; i < full.Len(); i++ {
			out = reachableBytes(full.Index(i), out)
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			out = reachableBytes(v.Index(i), out)
		}
	case reflect.Uint8:
		out = append(out, byte(v.Uint()))
	case reflect.Uint32:
		out = binary.LittleEndian.AppendUint32(out, uint32(v.Uint()))
	}
	return out
}
