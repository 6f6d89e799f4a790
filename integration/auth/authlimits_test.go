package auth_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// The abuse limits of authentication (security issue, items 2, 3, 6 and 8):
// the failed-key limiter shared by processes, which never refuses a right
// key; cold checks of one credential that derive once; clients that go away;
// and refusals logged once per source and minute.

// TestKeyLimitShared: two processes on one database share the failed-key
// counters (the limit is the same total, not twice it), and a right key
// from an address locked out for wrong keys passes, cold or warm, in every
// process, while wrong ones from it cost neither a statement nor a
// derivation once the key's rows are cached.
func TestKeyLimitShared(t *testing.T) {
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		ctx := context.Background()
		pool, err := e.Store.Open(ctx, e.DB)
		if err != nil {
			t.Fatal(err)
		}
		a := e.Set.Authenticator()
		setB := itest.NewSet(e.Store, services.Config{})
		b := setB.Authenticator()
		native, err := e.Set.Database.CreateAPIKey(ctx, e.DB, services.KeyOptions{Login: "admin", Name: itest.UniqueName("limit_")})
		if err != nil {
			t.Fatal(err)
		}
		header, err := e.Set.Database.CreateAPIKey(ctx, e.DB, services.KeyOptions{Kind: services.KeyHeader, Login: "demo", Name: itest.UniqueName("limit_header_")})
		if err != nil {
			t.Fatal(err)
		}
		index := native.Clear[len(auth.KeyPrefix) : len(auth.KeyPrefix)+16]
		const locked = "198.51.100.66"
		refused := func(who *auth.Authenticator, key, ip string) {
			t.Helper()
			if err := who.Check(ctx, pool, e.DB, 2, key, ip); models.KindOf(err) != models.KindAccessDenied {
				t.Fatalf("a wrong key: %v, want AccessDenied", err)
			}
		}
		count := func(q string, args ...any) int64 {
			t.Helper()
			var n int64
			if err := pool.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		// Ten forged keys on the real key id from one address, by turns
		// through each process: five are counted and audited in all.
		for i := range 10 {
			who := a
			if i%2 == 1 {
				who = b
			}
			refused(who, akCraftKey(index), locked)
		}
		itest.Equal(t, "failures counted on the key id", count("SELECT failures FROM auth_key_failure WHERE key = ?", "key:"+index), int64(5))
		itest.Equal(t, "failures counted on the address", count("SELECT failures FROM auth_key_failure WHERE key = ?", "ip:"+locked), int64(5))
		itest.Equal(t, "failed attempts audited", count("SELECT COUNT(*) FROM auth_key_audit WHERE event = 'failed' AND key_id = ?", native.ID), int64(5))
		// A third process learns the lock-out from the database and counts
		// nothing more either.
		c := itest.NewSet(e.Store, services.Config{}).Authenticator()
		refused(c, akCraftKey(index), locked)
		itest.Equal(t, "failed attempts audited after a third process", count("SELECT COUNT(*) FROM auth_key_audit WHERE event = 'failed' AND key_id = ?", native.ID), int64(5))

		// A key imported from Odoo, then a committed change that empties
		// every process's cached rows: the right keys from the locked-out
		// address must now pass cold.
		odoo, _ := odooKeyFor(t, e.Store, pool, e.DB, 2, itest.UniqueName("limit_odoo_"))
		other, err := e.Set.Database.CreateAPIKey(ctx, e.DB, services.KeyOptions{Login: "demo", Name: itest.UniqueName("limit_change_")})
		if err != nil {
			t.Fatal(err)
		}
		for name, who := range map[string]*auth.Authenticator{"A": a, "B": b, "C": c, "new": itest.NewSet(e.Store, services.Config{}).Authenticator()} {
			if err := who.Check(ctx, pool, e.DB, 2, native.Clear, locked); err != nil {
				t.Errorf("process %s: the right key from the locked-out address: %v", name, err)
			}
			if err := who.Check(ctx, pool, e.DB, 2, odoo, locked); err != nil {
				t.Errorf("process %s: the right Odoo key from the locked-out address: %v", name, err)
			}
			if id, err := who.HeaderKey(ctx, pool, e.DB, header.Clear, locked); err != nil || id.Login != "demo" {
				t.Errorf("process %s: the right header key from the locked-out address: %+v, %v", name, id, err)
			}
		}

		// Wrong keys from it cost no statement and no derivation once the
		// key's rows are cached, and are still refused. On PostgreSQL the
		// cache holds only while the LISTEN feed is up and its generation
		// stays put (a loaded machine may see the feed reconnect); an
		// attempt during which it moved may read the rows again, so only
		// the attempts with a steady feed are held to no statement, and 20
		// of them must be seen.
		db := &countingDB{DB: pool}
		var derived atomic.Int64
		b.OnDerive = func(bool) { derived.Add(1) }
		steady := func() (uint64, bool) {
			watched, up := b.FeedState(e.DB)
			return b.FeedGeneration(e.DB), !watched || up
		}
		held := 0
		for attempt := 0; held < 20 && attempt < 400; attempt++ {
			gen, up := steady()
			before := db.n.Load()
			if err := b.Check(ctx, db, e.DB, 2, akCraftKey(index), locked); models.KindOf(err) != models.KindAccessDenied {
				t.Fatalf("a wrong key: %v", err)
			}
			n := db.n.Load() - before
			if genAfter, upAfter := steady(); !up || !upAfter || gen != genAfter || attempt == 0 {
				continue // the first attempt may fill the cache
			}
			held++
			if n != 0 {
				t.Fatalf("a wrong key from the locked-out address ran %d statements", n)
			}
		}
		if held < 20 {
			t.Fatalf("only %d of 400 attempts saw a steady credential feed", held)
		}
		itest.Equal(t, "derivations for wrong godoo keys", derived.Load(), int64(0))
		// A wrong Odoo key with the real index costs one 6000-round
		// derivation, which is bounded work, and is refused.
		wrongOdoo := odoo[:8] + strings.Repeat("0", 32)
		if err := b.Check(ctx, pool, e.DB, 2, wrongOdoo, locked); models.KindOf(err) != models.KindAccessDenied {
			t.Fatalf("a wrong Odoo key: %v", err)
		}
		// Another address is not locked out: its failures on a key id that
		// is not locked out either are counted.
		refused(b, akCraftKey(other.Clear[len(auth.KeyPrefix):len(auth.KeyPrefix)+16]), "198.51.100.67")
		itest.Equal(t, "failures counted on another address", count("SELECT failures FROM auth_key_failure WHERE key = ?", "ip:198.51.100.67"), int64(1))
	})
}

// odooKeyFor stores an Odoo-format key of uid named name as an Odoo
// database has it (the first 8 characters in clear, a 6000-round PBKDF2
// hash) and returns it with its id.
func odooKeyFor(t *testing.T, store models.Store, pool *bun.DB, dbname string, uid int64, name string) (key string, id int64) {
	t.Helper()
	var raw [20]byte
	_, _ = rand.Read(raw[:])
	key = hex.EncodeToString(raw[:])
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	hash := itest.PasslibHash(t, key, salt, 6000)
	itest.AwaitNotice(t, store, dbname, func() {
		err := pool.QueryRowContext(context.Background(), `INSERT INTO res_users_apikeys (name, user_id, key_index, key, create_date)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, name, uid, key[:8], hash, itest.UTC(0)).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
	})
	return key, id
}

// deriveGate holds every check that reaches a key derivation (to derive or
// to wait for another's) until n of them have arrived, and counts the
// derivations: concurrent checks meet without any timing.
type deriveGate struct {
	n       int
	mu      sync.Mutex
	arrived int
	derived int
	all     chan struct{}
}

func newDeriveGate(n int) *deriveGate { return &deriveGate{n: n, all: make(chan struct{})} }

func (g *deriveGate) onDerive(shared bool) {
	g.mu.Lock()
	g.arrived++
	if !shared {
		g.derived++
	}
	if g.arrived == g.n {
		close(g.all)
	}
	g.mu.Unlock()
	<-g.all
}

// TestColdChecksCoalesce: concurrent cold checks of one (database, uid,
// password) derive the hash once; a wrong password sent with them is
// refused, never answered with the right one's verdict.
func TestColdChecksCoalesce(t *testing.T) {
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		const n = 8
		call := func(set *services.Set, ip, password string) error {
			ctx := services.WithRemoteAddr(context.Background(), ip)
			id, err := set.Auth.Password(ctx, services.Credentials{DB: e.DB, UID: 2, Password: password})
			if err == nil {
				_, err = set.Object.Execute(ctx, id, "res.partner", "search_count", []any{[]any{}}, nil)
			}
			return err
		}
		run := func(t *testing.T, passwords []string) (*deriveGate, []error) {
			// A new process: its cache of checks is cold.
			set := itest.NewSet(e.Store, services.Config{RefusalDelay: -1})
			g := newDeriveGate(len(passwords))
			set.Authenticator().OnDerive = g.onDerive
			errs := make([]error, len(passwords))
			var wg sync.WaitGroup
			for i, pw := range passwords {
				wg.Go(func() { errs[i] = call(set, fmt.Sprintf("192.0.2.%d", 100+i), pw) })
			}
			wg.Wait()
			return g, errs
		}

		t.Run("one credential", func(t *testing.T) {
			passwords := make([]string, n)
			for i := range passwords {
				passwords[i] = itest.AdminPassword
			}
			g, errs := run(t, passwords)
			for i, err := range errs {
				if err != nil {
					t.Errorf("check %d: %v", i, err)
				}
			}
			itest.Equal(t, "derivations for 8 concurrent cold checks", g.derived, 1)
		})

		t.Run("a wrong password among right ones", func(t *testing.T) {
			passwords := make([]string, n)
			for i := range passwords {
				passwords[i] = itest.AdminPassword
				if i%2 == 1 {
					passwords[i] = "wrong-" + itest.AdminPassword
				}
			}
			g, errs := run(t, passwords)
			for i, err := range errs {
				if i%2 == 0 && err != nil {
					t.Errorf("right password %d: %v", i, err)
				}
				if i%2 == 1 && models.KindOf(err) != models.KindAccessDenied {
					t.Errorf("wrong password %d: %v, want AccessDenied", i, err)
				}
			}
			itest.Equal(t, "derivations for two credentials", g.derived, 2)
		})
	})
}

// TestClientGoneIsNotAnError: a client that disconnects in the middle of a
// call (here while its password is being derived) leaves no ERROR line in
// the log: the call's end is noted at debug level only.
func TestClientGoneIsNotAnError(t *testing.T) {
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		var logs itest.SyncBuffer
		log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		set := itest.NewSet(e.Store, services.Config{Log: log})
		reached, gone, served := make(chan struct{}), make(chan struct{}), make(chan struct{})
		var reachedOnce, goneOnce sync.Once
		set.Authenticator().OnDerive = func(bool) {
			reachedOnce.Do(func() { close(reached) })
			// Held until the server saw the client go away. The timer only
			// keeps a server that never notices from hanging the test.
			select {
			case <-gone:
			case <-time.After(time.Minute):
				t.Error("the server never saw the client go away")
			}
		}
		h := itest.NewHandler(t, set, godoorpc.Options{Log: log})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			go func() {
				<-r.Context().Done()
				goneOnce.Do(func() { close(gone) })
			}()
			h.ServeHTTP(w, r)
			close(served)
		}))
		defer srv.Close()
		body := itest.MarshalJSON(t, map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1, "params": map[string]any{
			"service": "object", "method": "execute_kw",
			"args": []any{e.DB, 2, itest.AdminPassword, "res.partner", "search_count", []any{[]any{}}}}})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/jsonrpc", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		client := &http.Client{Transport: &http.Transport{}}
		defer client.CloseIdleConnections()
		done := make(chan error, 1)
		go func() {
			resp, err := client.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			done <- err
		}()
		<-reached
		cancel()
		if err := <-done; err == nil {
			t.Fatal("the call finished although its client went away")
		}
		<-served
		out := logs.String()
		if strings.Contains(out, "level=ERROR") {
			t.Errorf("a client that went away left an ERROR line:\n%s", out)
		}
		if !strings.Contains(out, "call abandoned") {
			t.Errorf("the abandoned call is not in the debug log; did the client go away mid-call?\n%s", out)
		}
	})
}

// TestRefusalsLoggedPerMinute: a flood of refusals of every kind from one
// source within one minute (on an injected clock) writes one log line per
// source for that minute, with the count, and never a password or key.
func TestRefusalsLoggedPerMinute(t *testing.T) {
	itest.ForStores(t, func(t *testing.T, name string, store models.Store) {
		var logs itest.SyncBuffer
		log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		base := time.Now().UTC().Truncate(time.Minute).Add(time.Second)
		var offset atomic.Int64
		now := func() time.Time { return base.Add(time.Duration(offset.Load())) }
		e := itest.NewEnv(t, name, store, services.Config{ListDB: true, Log: log, Now: now, RefusalDelay: -1},
			godoorpc.Options{ProxyMode: true, Log: log})
		admin := itest.JSONCaller{Base: authFront(t, e.H, "198.51.100.200")}
		itest.SetParam(t, admin, e.DB, "base.login_cooldown_after", "2")

		const s1, s2 = "203.0.113.7", "203.0.113.8"
		var secrets []string
		wrongKey := func() string {
			k, _, _, err := auth.NewKey()
			if err != nil {
				t.Fatal(err)
			}
			secrets = append(secrets, k)
			return k
		}
		front1 := authFront(t, e.H, s1)
		x1, j2 := itest.XMLCaller{Base: front1}, itest.JSONCaller{Base: authFront(t, e.H, s2)}
		for range 60 {
			itest.WantFault(t, x1.Protocol(), authCount(t, x1, e.DB, int64(2), wrongKey()), 3, "Access Denied")
		}
		const wrongPw = "wrong-Pw-4711"
		secrets = append(secrets, wrongPw, itest.AdminPassword)
		for range 4 { // two wrong passwords, then two refusals of the cool-down
			itest.Equal(t, "a wrong password", itest.Login(t, x1, e.DB, "admin", wrongPw), false)
		}
		whoami := func(mode, header, value string) {
			t.Helper()
			req, err := http.NewRequest(http.MethodGet, front1+"/auth/whoami/"+mode, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Odoo-Database", e.DB)
			req.Header.Set(header, value)
			if res := itest.Do(t, req); res.Status != http.StatusForbidden && res.Status != http.StatusUnauthorized {
				t.Fatalf("whoami/%s with a wrong key: HTTP %d", mode, res.Status)
			}
		}
		for i := range 20 {
			header := fmt.Sprintf("wrong-header-key-%d-%s", i, itest.RandomText(12))
			secrets = append(secrets, header)
			whoami("api_key", "API-KEY", header)
			whoami("bearer", "Authorization", "Bearer "+wrongKey())
		}
		for range 30 {
			itest.WantFault(t, j2.Protocol(), authCount(t, j2, e.DB, int64(2), wrongKey()), 3, "Access Denied")
		}
		mentions := func(out, addr string) []string {
			var lines []string
			for _, ln := range strings.Split(out, "\n") {
				if strings.Contains(ln, addr) {
					lines = append(lines, ln)
				}
			}
			return lines
		}

		e.Set.Authenticator().FlushRefusals(false)
		out := logs.String()
		if got := append(mentions(out, s1), mentions(out, s2)...); len(got) != 0 {
			t.Fatalf("lines written during the minute of the flood: %q", got)
		}
		offset.Add(int64(time.Minute))
		e.Set.Authenticator().FlushRefusals(false)
		out = logs.String()
		for _, want := range []struct {
			addr  string
			parts []string
		}{
			{s1, []string{"level=WARN", `msg="refused attempts"`, "source=" + s1 + " ", "count=104 ", "login=admin",
				"bearer_key=20", "cooldown=2", "header_key=20", "key=60", "password=2"}},
			{s2, []string{"level=INFO", `msg="refused attempts"`, "source=" + s2 + " ", "count=30 ", "key=30"}},
		} {
			got := mentions(out, want.addr)
			if len(got) != 1 {
				t.Errorf("%d lines name %s, want one:\n%s", len(got), want.addr, strings.Join(got, "\n"))
				continue
			}
			for _, p := range want.parts {
				if !strings.Contains(got[0], p) {
					t.Errorf("the line of %s lacks %q: %s", want.addr, p, got[0])
				}
			}
		}
		// The next minute gets a line of its own.
		itest.WantFault(t, x1.Protocol(), authCount(t, x1, e.DB, int64(2), wrongKey()), 3, "Access Denied")
		offset.Add(int64(time.Minute))
		e.Set.Authenticator().FlushRefusals(false)
		if got := mentions(logs.String(), s1); len(got) != 2 || !strings.Contains(got[1], "count=1 ") {
			t.Errorf("lines naming %s after a refusal in the next minute: %q", s1, got)
		}
		out = logs.String()
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("the log contains the secret %q", s)
			}
		}
	})
}

// TestRecordKeyFailure checks the shared counter of failed key attempts on
// every store: counted up to the limit, then refused with the end of the
// lock-out, started again after the window, and pruned once spent.
func TestRecordKeyFailure(t *testing.T) {
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		ctx := context.Background()
		pool, err := e.Store.Open(ctx, e.DB)
		if err != nil {
			t.Fatal(err)
		}
		const window, limit = 60_000, 3
		steps := []struct {
			at          int64
			wantN       int64
			wantCounted bool
			wantUntil   int64
		}{
			{1_000, 1, true, 61_000},
			{2_000, 2, true, 62_000},
			{3_000, 3, true, 63_000}, // the limit: locked out until 63 s
			{4_000, 3, false, 63_000},
			{62_999, 3, false, 63_000},
			{63_000, 1, true, 123_000}, // the window after the last counted failure is over
		}
		for _, s := range steps {
			n, counted, until, err := models.RecordKeyFailure(ctx, pool, "ip:192.0.2.77", s.at, window, limit)
			if err != nil {
				t.Fatal(err)
			}
			if n != s.wantN || counted != s.wantCounted || until != s.wantUntil {
				t.Errorf("at %d ms: %d failures, counted %v, until %d; want %d, %v, %d", s.at, n, counted, until, s.wantN, s.wantCounted, s.wantUntil)
			}
		}
		if _, _, _, err := models.RecordKeyFailure(ctx, pool, "key:0123456789abcdef", 100_000, window, limit); err != nil {
			t.Fatal(err)
		}
		left := func() string {
			t.Helper()
			var keys []string
			rows, err := pool.QueryContext(ctx, "SELECT key FROM auth_key_failure ORDER BY key")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var k string
				if err := rows.Scan(&k); err != nil {
					t.Fatal(err)
				}
				keys = append(keys, k)
			}
			return fmt.Sprint(keys)
		}
		for _, p := range []struct {
			cutoff int64
			want   string
		}{
			{62_999, "[ip:192.0.2.77 key:0123456789abcdef]"},
			{63_000, "[key:0123456789abcdef]"},
			{100_000, "[]"},
		} {
			if err := models.PruneKeyFailures(ctx, pool, p.cutoff); err != nil {
				t.Fatal(err)
			}
			itest.Equal(t, fmt.Sprintf("counters left after pruning at %d ms", p.cutoff), left(), p.want)
		}
	})
}

// TestLoginFailuresPruned shows that the per-address failure counts of the
// login cool-down do not grow without bound: every 1 024 failures of a
// database, counts whose last failure is more than a day old are deleted,
// and recent ones are kept.
func TestLoginFailuresPruned(t *testing.T) {
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		ctx := context.Background()
		pool, err := e.Store.Open(ctx, e.DB)
		if err != nil {
			t.Fatal(err)
		}
		a := e.Set.Authenticator()
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		a.Now = func() time.Time { return now }
		for key, at := range map[string]time.Time{"ip:198.51.100.1": now.Add(-49 * time.Hour), "ip:198.51.100.2": now.Add(-time.Hour)} {
			if err := models.RecordLoginFailure(ctx, pool, key, at.Format(models.DatetimeLayout)); err != nil {
				t.Fatal(err)
			}
		}
		count := func(key string) int64 {
			t.Helper()
			n, _, err := models.LoginFailures(ctx, pool, key)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		// Each failure comes from an address of its own, as a flood from
		// ever new addresses would; none is cooled down.
		for i := 0; i < 1024; i++ {
			ip := fmt.Sprintf("203.0.%d.%d", i/250, i%250+1)
			if _, err := a.Login(ctx, pool, e.DB, "admin", "wrong", ip); !errors.Is(err, models.ErrAccessDenied) {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		itest.Equal(t, "failures of the address last seen 49 hours ago", count("ip:198.51.100.1"), int64(0))
		itest.Equal(t, "failures of the address last seen an hour ago", count("ip:198.51.100.2"), int64(1))
		itest.Equal(t, "failures of the last address", count("ip:203.0.4.24"), int64(1))
	})
}
