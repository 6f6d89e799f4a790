package itest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
)

// RandomText is n random bytes in URL-safe base64: a secret or name no
// other test uses.
func RandomText(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// MarshalJSON is json.Marshal that fails the test on an error.
func MarshalJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ToAny is ids as the []any of RPC arguments.
func ToAny(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// MustDB calls the db service's method and fails the test on a fault.
func MustDB(t *testing.T, c Caller, method string, args ...any) any {
	t.Helper()
	v, f := c.Call(t, "db", method, args...)
	if f != nil {
		t.Fatalf("db.%s: unexpected fault %d: %s", method, f.Code, f.String)
	}
	return v
}

// OtherStore opens e's store again, apart, as another godoo process has
// it: its own pools, its own LISTEN connection or WAL index mapping.
func OtherStore(t *testing.T, e *Env) models.Store {
	t.Helper()
	var other models.Store
	var err error
	switch s := e.Store.(type) {
	case *sqlitestore.Store:
		other, err = sqlitestore.New(filepath.Dir(filepath.Dir(s.Path(e.DB))))
	default:
		var pg *pgstore.Store
		pg, err = pgstore.New(DSN())
		other = TapFeed(pg)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// WantIdentity checks a 200 answer of whoami: its uid, login, mode and
// key_name ("" for none).
func WantIdentity(t *testing.T, res HTTPResult, uid int64, login, mode, keyName string) {
	t.Helper()
	if res.Status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", res.Status, res.Body)
	}
	m := res.Object(t)
	Equal(t, "uid", m["uid"], uid)
	Equal(t, "login", m["login"], login)
	Equal(t, "mode", m["mode"], mode)
	if keyName == "" {
		if _, ok := m["key_name"]; ok {
			t.Errorf("key_name = %v, want none", m["key_name"])
		}
	} else {
		Equal(t, "key_name", m["key_name"], keyName)
	}
}
