package auth_test

import (
	"bytes"
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// The API key benchmarks, on SQLite and (with GODOO_TEST_DSN) PostgreSQL:
//
//	go test ./integration/auth -run '^$' -bench APIKey -benchtime 2s
//
// BenchmarkAPIKeyCheck compares a cached key check with a whole execute_kw
// round trip of res.users.context_get over loopback; BenchmarkAPIKeyLookup
// the same check with 10 and with 100 000 keys in the table;
// BenchmarkAPIKeyRefuse the refusal of a malformed key, of an unknown
// well-formed one and of a forged one on a real key id, counted or locked
// out; BenchmarkColdPasswordChecks eight concurrent cold checks of one
// password.

// benchDB is one database of a store, served over loopback.
type benchDB struct {
	set  *services.Set
	name string
	pool *bun.DB
	url  string
	key  string // a persistent native key of admin
}

func benchStores(b *testing.B) map[string]models.Store {
	b.Helper()
	out := map[string]models.Store{}
	s, err := sqlitestore.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	out["sqlite"] = s
	if dsn := os.Getenv("GODOO_TEST_DSN"); dsn != "" {
		p, err := pgstore.New(dsn)
		if err != nil {
			b.Fatal(err)
		}
		out["pg"] = p
	}
	for _, s := range out {
		b.Cleanup(func() { s.Close() })
	}
	return out
}

func newBenchDB(b *testing.B, store models.Store) *benchDB {
	b.Helper()
	ctx := context.Background()
	set := services.NewSet(store, services.Config{})
	d := &benchDB{set: set, name: itest.UniqueName("bench_")}
	if err := set.Database.Create(ctx, d.name, services.CreateOptions{AdminPassword: itest.AdminPassword, AdminLogin: "admin"}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _, _ = set.Database.DropNoCheck(context.Background(), d.name) })
	pool, err := store.Open(ctx, d.name)
	if err != nil {
		b.Fatal(err)
	}
	d.pool = pool
	k, err := set.Database.CreateAPIKey(ctx, d.name, services.KeyOptions{Login: "admin", Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	d.key = k.Clear
	h := godoorpc.NewHandler(set, godoorpc.Options{})
	h.SetReady(true)
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	d.url = srv.URL
	return d
}

// check is one execute_kw credential check of uid with secret from ip.
func (d *benchDB) check(b *testing.B, uid int64, secret, ip string) error {
	return d.set.Authenticator().Check(context.Background(), d.pool, d.name, uid, secret, ip)
}

// BenchmarkAPIKeyCheck: target, a cached key check under 2% of the
// context_get round trip.
func BenchmarkAPIKeyCheck(b *testing.B) {
	for name, store := range benchStores(b) {
		d := newBenchDB(b, store)
		odoo := benchOdooKey(b, d)
		b.Run(name+"/cached_key_check", func(b *testing.B) {
			if err := d.check(b, 2, d.key, "127.0.0.1"); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if err := d.check(b, 2, d.key, "127.0.0.1"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/cached_odoo_key_check", func(b *testing.B) {
			if err := d.check(b, 2, odoo, "127.0.0.1"); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if err := d.check(b, 2, odoo, "127.0.0.1"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/context_get_round_trip", func(b *testing.B) {
			body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1, "params": map[string]any{
				"service": "object", "method": "execute_kw", "args": []any{d.name, 2, d.key, "res.users", "context_get", []any{}}}})
			if err != nil {
				b.Fatal(err)
			}
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			call := func() {
				resp, err := client.Post(d.url+"/jsonrpc", "application/json", bytes.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				out, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || !bytes.Contains(out, []byte(`"lang"`)) {
					b.Fatalf("context_get: %v %s", err, out)
				}
			}
			call()
			for b.Loop() {
				call()
			}
		})
	}
}

// benchOdooKey stores an Odoo-format key of admin (40 hex, 6000-round
// PBKDF2) and returns it.
func benchOdooKey(b *testing.B, d *benchDB) string {
	b.Helper()
	var raw [20]byte
	_, _ = rand.Read(raw[:])
	key := hex.EncodeToString(raw[:])
	sum, err := pbkdf2.Key(sha512.New, key, raw[:16], 6000, 64)
	if err != nil {
		b.Fatal(err)
	}
	hash := fmt.Sprintf("$pbkdf2-sha512$6000$%s$%s", itest.AB64.EncodeToString(raw[:16]), itest.AB64.EncodeToString(sum))
	if _, err := d.pool.ExecContext(context.Background(), `INSERT INTO res_users_apikeys (name, user_id, key_index, key) VALUES ('odoo', 2, ?, ?)`,
		key[:8], hash); err != nil {
		b.Fatal(err)
	}
	return key
}

// fillKeys adds n keys of admin by SQL, in one transaction: random key ids,
// random hashes.
func fillKeys(b *testing.B, d *benchDB, n int) {
	b.Helper()
	ctx := context.Background()
	err := d.pool.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		const chunk = 1000
		now := time.Now().UTC().Format(models.DatetimeLayout)
		for done := 0; done < n; done += chunk {
			var q strings.Builder
			q.WriteString("INSERT INTO res_users_apikeys (name, user_id, key_index, key, create_date) VALUES ")
			args := make([]any, 0, 4*chunk)
			for i := done; i < n && i < done+chunk; i++ {
				if i > done {
					q.WriteString(", ")
				}
				q.WriteString("(?, 2, ?, ?, ?)")
				var raw [40]byte
				_, _ = rand.Read(raw[:])
				args = append(args, fmt.Sprintf("filler %d", i), hex.EncodeToString(raw[:8]), "sha256$"+hex.EncodeToString(raw[8:]), now)
			}
			if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := d.pool.ExecContext(ctx, "ANALYZE res_users_apikeys"); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAPIKeyLookup: target, 100 000 keys within 1.2x of 10 keys.
func BenchmarkAPIKeyLookup(b *testing.B) {
	for name, store := range benchStores(b) {
		for _, n := range []int{10, 100000} {
			d := newBenchDB(b, store)
			fillKeys(b, d, n-1)
			var count int
			if err := d.pool.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM res_users_apikeys").Scan(&count); err != nil || count != n {
				b.Fatalf("%d keys in the table (%v), want %d", count, err, n)
			}
			b.Run(fmt.Sprintf("%s/keys=%d", name, n), func(b *testing.B) {
				if err := d.check(b, 2, d.key, "127.0.0.1"); err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if err := d.check(b, 2, d.key, "127.0.0.1"); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkAPIKeyRefuse: target, a malformed or unknown key refused in
// under 100 µs, without a key derivation.
func BenchmarkAPIKeyRefuse(b *testing.B) {
	for name, store := range benchStores(b) {
		d := newBenchDB(b, store)
		malformed := d.key[:len(d.key)-1] + "A" // a bad checksum
		if strings.HasSuffix(d.key, "A") {
			malformed = d.key[:len(d.key)-1] + "B"
		}
		unknown, _, _, err := auth.NewKey()
		if err != nil {
			b.Fatal(err)
		}
		a := d.set.Authenticator()
		// Each attempt is a minute after the previous one, so the
		// per-address and per-key limiter never locks anything out: every
		// forged key is counted.
		var minutes atomic.Int64
		start := time.Now()
		a.Now = func() time.Time { return start.Add(time.Duration(minutes.Add(1)) * time.Minute) }
		refuse := func(b *testing.B, key string) {
			for b.Loop() {
				if err := d.check(b, 2, key, "198.51.100.1"); models.KindOf(err) != models.KindAccessDenied {
					b.Fatalf("refusal: %v", err)
				}
			}
		}
		b.Run(name+"/malformed", func(b *testing.B) { refuse(b, malformed) })
		b.Run(name+"/unknown", func(b *testing.B) { refuse(b, unknown) })
		// A key id never seen before costs one indexed read: what a flood
		// of random well-formed keys costs before the limiter blocks it.
		b.Run(name+"/unknown_never_seen", func(b *testing.B) {
			keys := make([]string, 0, 4096)
			for b.Loop() {
				if len(keys) == 0 {
					b.StopTimer()
					for range cap(keys) {
						k, _, _, err := auth.NewKey()
						if err != nil {
							b.Fatal(err)
						}
						keys = append(keys, k)
					}
					b.StartTimer()
				}
				key := keys[len(keys)-1]
				keys = keys[:len(keys)-1]
				if err := d.check(b, 2, key, "198.51.100.1"); models.KindOf(err) != models.KindAccessDenied {
					b.Fatalf("refusal: %v", err)
				}
			}
		})
		// A forged key on the real key id: a counted failure costs two
		// upserts of the shared counters and an audit row.
		forged := akCraftKey(d.key[len(auth.KeyPrefix) : len(auth.KeyPrefix)+16])
		b.Run(name+"/forged_counted", func(b *testing.B) { refuse(b, forged) })
		b.Run(name+"/forged_locked_out", func(b *testing.B) {
			a.Now = time.Now // a steady clock: after 5 failures the address and the key id are locked out
			refuse(b, forged)
		})
	}
}

// BenchmarkColdPasswordChecks: eight concurrent checks of one user's
// password with the caches emptied, as after a restart when a client opens
// several connections at once. They share one 600 000-round derivation.
func BenchmarkColdPasswordChecks(b *testing.B) {
	for name, store := range benchStores(b) {
		d := newBenchDB(b, store)
		a := d.set.Authenticator()
		b.Run(name+"/8_concurrent", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				a.Forget(d.name)
				b.StartTimer()
				var wg sync.WaitGroup
				for i := range 8 {
					wg.Go(func() {
						if err := d.check(b, 2, itest.AdminPassword, fmt.Sprintf("192.0.2.%d", i)); err != nil {
							b.Error(err)
						}
					})
				}
				wg.Wait()
			}
		})
	}
}

// BenchmarkAPIKeyRestricted: a call's key check (Auth.Password, as
// execute_kw makes it, then the restrictions services check before the
// method runs) with an unrestricted key and with one of 20 allow patterns
// and 5 address ranges. Target: under 2 µs more for the restricted key.
func BenchmarkAPIKeyRestricted(b *testing.B) {
	allow := []string{"res.*:search*,read"}
	var from []string
	for i := range 19 {
		allow = append(allow, fmt.Sprintf("x.model%d:read,search_read,write", i))
		if i < 5 {
			from = append(from, fmt.Sprintf("10.%d.0.0/16", i))
		}
	}
	for name, store := range benchStores(b) {
		d := newBenchDB(b, store)
		restricted, err := d.set.Database.CreateAPIKey(context.Background(), d.name, services.KeyOptions{Login: "admin", Name: "restricted",
			Limits: services.KeyLimits{Allow: allow, From: from}})
		if err != nil {
			b.Fatal(err)
		}
		ctx := services.WithRemoteAddr(context.Background(), "10.4.3.2")
		for _, k := range []struct{ name, key string }{{"unrestricted", d.key}, {"20_patterns_5_cidrs", restricted.Clear}} {
			b.Run(name+"/"+k.name, func(b *testing.B) {
				cr := services.Credentials{DB: d.name, UID: 2, Password: k.key}
				check := func() {
					id, err := d.set.Auth.Password(ctx, cr)
					if err == nil {
						err = id.Limits.CheckCall("res.partner", "search_read")
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				check()
				for b.Loop() {
					check()
				}
			})
		}
	}
}
