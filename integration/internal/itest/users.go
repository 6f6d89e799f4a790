package itest

import (
	"bytes"
	"crypto/pbkdf2"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/godoo/godoo/models"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// NewHandler is a ready handler of set with opts, for a server of the
// test's own (Serve).
func NewHandler(t *testing.T, set *services.Set, opts godoorpc.Options) *godoorpc.Handler {
	t.Helper()
	h := godoorpc.NewHandler(set, opts)
	h.SetReady(true)
	return h
}

// Serve serves h on loopback until the test ends and returns its URL.
func Serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// KwAs calls execute_kw with explicit credentials.
func KwAs(t *testing.T, c Caller, db string, uid any, password, model, method string, args ...any) (any, *Fault) {
	t.Helper()
	return c.Call(t, "object", "execute_kw", db, uid, password, model, method, args)
}

// Admin calls execute_kw as admin and fails the test on a fault.
func Admin(t *testing.T, c Caller, db, model, method string, args ...any) any {
	t.Helper()
	v, f := KwAs(t, c, db, int64(2), AdminPassword, model, method, args...)
	if f != nil {
		t.Fatalf("%s.%s as admin: unexpected fault %d: %s", model, method, f.Code, f.String)
	}
	return v
}

// CreateUser creates an internal user as admin and returns its uid.
func CreateUser(t *testing.T, c Caller, db, login, password string) int64 {
	t.Helper()
	gids := Admin(t, c, db, "res.groups", "search", []any{[]any{"name", "=", "Internal User"}})
	uid, ok := Admin(t, c, db, "res.users", "create", map[string]any{"name": login, "login": login, "password": password,
		"groups_id": []any{[]any{int64(6), int64(0), gids}}}).(int64)
	if !ok {
		t.Fatal("res.users.create did not return an id")
	}
	return uid
}

// AB64 is passlib's adapted base64: "." for "+", no padding.
var AB64 = base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./").WithPadding(base64.NoPadding)

// PasslibHash computes what passlib's pbkdf2_sha512.hash gives for the
// salt and rounds.
func PasslibHash(t *testing.T, password string, salt []byte, rounds int) string {
	t.Helper()
	sum, err := pbkdf2.Key(sha512.New, password, salt, rounds, 64)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("$pbkdf2-sha512$%d$%s$%s", rounds, AB64.EncodeToString(salt), AB64.EncodeToString(sum))
}

// SyncBuffer is a bytes.Buffer safe for the server's goroutines: a log
// a test reads.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String is what was written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// SetParam sets an ir.config_parameter as admin.
func SetParam(t *testing.T, c Caller, db, key, value string) {
	t.Helper()
	ids := Admin(t, c, db, "ir.config_parameter", "search", []any{[]any{"key", "=", key}}).([]any)
	if len(ids) == 0 {
		Admin(t, c, db, "ir.config_parameter", "create", map[string]any{"key": key, "value": value})
		return
	}
	Admin(t, c, db, "ir.config_parameter", "write", ids, map[string]any{"value": value})
}

// UTC is now + d as the datetime text Odoo sends.
func UTC(d time.Duration) string {
	return time.Now().UTC().Add(d).Format(models.DatetimeLayout)
}
