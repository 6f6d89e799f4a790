package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// The growth scenarios measure how godoo's cost grows as the work grows:
// each runs its calls and their yardstick at every size of --sizes, making
// the data bigger between sizes, and the report gives the curve (size,
// calls/s, time per unit, ratio to SQL, server memory).

// GrowIDs are the growth scenarios, in report order.
var GrowIDs = []string{"grow-records", "grow-rows", "grow-keys", "idle-conns", "big-body", "custom-50"}

// DefaultSizes are each growth scenario's sizes when --sizes is not
// given: short enough for a shared machine. The targets' full curves
// (grow-rows and grow-keys to 1 000 000) take --sizes.
var DefaultSizes = map[string][]int{
	"grow-records": {1, 80, 1000, 10000},
	"grow-rows":    {10000, 100000},
	"grow-keys":    {10, 10000, 100000},
	"idle-conns":   {1, 1000},
	"big-body":     {1, 10, 100},
	"custom-50":    {80},
}

// MaxGrowSize bounds every size: the rows and keys written, and the
// records of one answer.
const MaxGrowSize = 1_000_000

// MaxBodyMB bounds big-body's sizes, in MB: under serve's default limit
// of a body (128 MiB).
const MaxBodyMB = 120

// MaxIdleConns bounds idle-conns' sizes: each is a connection of the
// bench and one of the server, both file descriptors.
const MaxIdleConns = 5000

// growUnit is what one unit of a growth scenario's size is, for the
// report's time per unit: per record for grow-records and custom-50 (each
// call answers size records), per call otherwise.
func growUnit(id string) string {
	if id == "grow-records" || id == "custom-50" {
		return "record"
	}
	return "call"
}

// ParseSizes reads --sizes: a comma-separated list of sizes from 1 to
// MaxGrowSize, in increasing order (the data only grows).
func ParseSizes(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > MaxGrowSize {
			return nil, fmt.Errorf("--sizes: %q is not a size (1 to %d)", f, MaxGrowSize)
		}
		if len(out) > 0 && n <= out[len(out)-1] {
			return nil, fmt.Errorf("--sizes: sizes grow: %d after %d", n, out[len(out)-1])
		}
		out = append(out, n)
	}
	return out, nil
}

// growRun is what a growth scenario needs besides the Setup: how to make
// the data bigger, and where to say so.
type growRun struct {
	setup    Setup
	dialect  string
	progress io.Writer
	// idle are idle-conns' connections, kept open across its sizes.
	idle *HTTP
}

// point returns the scenarios of growth scenario id at size, after making
// the data as big as size needs.
func (g *growRun) point(ctx context.Context, id string, size int) ([]Scenario, error) {
	s := g.setup
	switch id {
	case "grow-records":
		if err := GrowPartners(ctx, s.Pool, g.dialect, size, g.progress); err != nil {
			return nil, err
		}
		return []Scenario{g.records(size)}, nil
	case "grow-rows":
		if err := GrowPartners(ctx, s.Pool, g.dialect, size, g.progress); err != nil {
			return nil, err
		}
		return g.rows(ctx, size)
	case "grow-keys":
		if err := GrowKeys(ctx, s.Pool, g.dialect, s.UID, size, g.progress); err != nil {
			return nil, err
		}
		return g.keys(size), nil
	case "idle-conns":
		if size > MaxIdleConns {
			return nil, fmt.Errorf("idle-conns: at most %d connections", MaxIdleConns)
		}
		if err := g.openIdle(ctx, size); err != nil {
			return nil, err
		}
		sc := g.keys(0)[0]
		sc.ID, sc.Curve = "idle-conns", "XML-RPC search_read 80×8, key, beside idle keep-alive connections"
		sc.Title = fmt.Sprintf("%s, %d idle connections", sc.Curve, size)
		return []Scenario{sc}, nil
	case "big-body":
		if size > MaxBodyMB {
			return nil, fmt.Errorf("big-body: at most %d MB", MaxBodyMB)
		}
		return []Scenario{g.bigBody(size)}, nil
	case "custom-50":
		sc, err := g.custom50(ctx, size)
		if err != nil {
			return nil, err
		}
		return []Scenario{sc}, nil
	}
	return nil, fmt.Errorf("unknown growth scenario %q", id)
}

// records is a search_read of size records × 8 fields, every partner
// archived or not, in id order.
func (g *growRun) records(size int) Scenario {
	s := g.setup
	kwargs := map[string]any{"fields": Fields, "limit": size, "order": "id", "context": map[string]any{"active_test": false}}
	body := xmlCall("execute_kw", s.DB, s.UID, s.Key, "res.partner", "search_read", []any{[]any{}}, kwargs)
	return Scenario{ID: "grow-records", Title: fmt.Sprintf("XML-RPC search_read %d×%d, key", size, len(Fields)),
		Godoo: s.HTTP.request("POST", s.URL+"/xmlrpc/2/object", http.Header{"Content-Type": {"text/xml"}}, body,
			countCheck("_company</name>", size, xmlFault)),
		SQL:    rowsSQL(s.Pool, size, "SELECT "+partnerColumns+" FROM res_partner t0 ORDER BY t0.id ASC LIMIT ?", size),
		Server: s.Server, Curve: "XML-RPC search_read N×8"}
}

// growIlike is the name pattern of grow-rows' search: a number of the
// seeded names, which a few rows in 100 000 hold, so that without a
// trigram index every call reads the whole table.
const growIlike = "4217"

// rows are xml-key's indexed search_read and a name ilike search, on a
// table of size partners.
func (g *growRun) rows(ctx context.Context, size int) ([]Scenario, error) {
	s := g.setup
	var matching int
	if err := s.Pool.QueryRowContext(ctx, "SELECT COUNT(*) FROM res_partner WHERE is_company = ? AND active = ?", true, true).Scan(&matching); err != nil {
		return nil, err
	}
	like := "ILIKE"
	if g.dialect == "sqlite" {
		like = "LIKE" // SQLite's LIKE ignores ASCII case, as godoo's ilike there
	}
	likeSQL := "SELECT t0.id FROM res_partner t0 WHERE t0.active = ? AND t0.name " + like + " ? ORDER BY t0.id ASC LIMIT ?"
	var found int
	if err := s.Pool.QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+likeSQL+") s", true, "%"+growIlike+"%", SearchReadLimit).Scan(&found); err != nil {
		return nil, err
	}
	nRead := min(matching, SearchReadLimit)
	hdr := http.Header{"Content-Type": {"text/xml"}}
	url := s.URL + "/xmlrpc/2/object"
	sr := xmlCall("execute_kw", s.DB, s.UID, s.Key, "res.partner", "search_read", []any{[]any{[]any{"is_company", "=", true}}},
		map[string]any{"fields": Fields, "limit": SearchReadLimit, "order": "name"})
	search := xmlCall("execute_kw", s.DB, s.UID, s.Key, "res.partner", "search", []any{[]any{[]any{"name", "ilike", growIlike}}},
		map[string]any{"limit": SearchReadLimit, "order": "id"})
	return []Scenario{
		{ID: "grow-rows", Title: fmt.Sprintf("XML-RPC search_read %d×%d, key, %d rows", nRead, len(Fields), size),
			Godoo: s.HTTP.request("POST", url, hdr, sr, countCheck("_company</name>", nRead, xmlFault)),
			SQL:   searchReadSQL(s.Pool, nRead), Server: s.Server, Curve: "XML-RPC search_read 80×8 (name index)"},
		{ID: "grow-rows", Title: fmt.Sprintf("XML-RPC search name ilike (%d ids), key, %d rows", found, size),
			Godoo: s.HTTP.request("POST", url, hdr, search, countCheck("<int>", found, xmlFault)),
			SQL:   rowsSQL(s.Pool, found, likeSQL, true, "%"+growIlike+"%", SearchReadLimit), Server: s.Server,
			Curve: "XML-RPC search name ilike '" + growIlike + "'"},
	}, nil
}

// keys are xml-key's search_read with size native keys in the table, warm
// and, when the bench has a server that empties its key caches, cold.
func (g *growRun) keys(size int) []Scenario {
	s := g.setup
	nRead := min(s.Matching, SearchReadLimit)
	body := xmlCall("execute_kw", s.DB, s.UID, s.Key, "res.partner", "search_read", []any{[]any{[]any{"is_company", "=", true}}},
		map[string]any{"fields": Fields, "limit": SearchReadLimit, "order": "name"})
	hdr := http.Header{"Content-Type": {"text/xml"}}
	check := countCheck("_company</name>", nRead, xmlFault)
	out := []Scenario{{ID: "grow-keys", Title: fmt.Sprintf("XML-RPC search_read %d×%d, key, %d keys", nRead, len(Fields), size),
		Godoo: s.HTTP.request("POST", s.URL+"/xmlrpc/2/object", hdr, body, check),
		SQL:   searchReadSQL(s.Pool, nRead), Server: s.Server, Curve: "XML-RPC search_read 80×8, warm key caches"}}
	if s.ColdURL != "" {
		out = append(out, Scenario{ID: "grow-keys", Title: fmt.Sprintf("XML-RPC search_read %d×%d, key, %d keys, key caches emptied", nRead, len(Fields), size),
			Godoo: s.HTTP.request("POST", s.ColdURL+"/xmlrpc/2/object", hdr, body, check),
			SQL:   searchReadSQL(s.Pool, nRead), Server: s.ColdServer, Curve: "XML-RPC search_read 80×8, key caches emptied"})
	}
	return out
}

// openIdle opens connections to the server until n are idle: each makes
// one call (GET /web/health) and stays open, as a client's keep-alive
// connection between its calls.
func (g *growRun) openIdle(ctx context.Context, n int) error {
	if g.idle == nil {
		g.idle = NewHTTP(n)
	}
	for i := range n {
		if g.idle.has(i) {
			continue
		}
		if _, err := g.idle.conn(i).do(ctx, "GET", g.setup.URL+"/web/health", nil, nil); err != nil {
			return fmt.Errorf("idle connection %d: %w", i, err)
		}
	}
	fmt.Fprintf(g.progress, "bench: %d idle keep-alive connections open\n", n)
	return nil
}

// bigBody creates a partner whose comment makes the request size MB, then
// unlinks it: two calls, measured as one, as create-unlink. The yardstick
// inserts and deletes the same row by SQL.
func (g *growRun) bigBody(size int) Scenario {
	s := g.setup
	comment := strings.Repeat("0123456789abcdef", size<<20/16)
	create := xmlCall("execute_kw", s.DB, s.UID, s.Key, "res.partner", "create", []any{map[string]any{"name": "big body", "comment": comment}})
	const placeholder = "987654321"
	unlink := splitAt(xmlCall("execute_kw", s.DB, s.UID, s.Key, "res.partner", "unlink", []any{[]any{987654321}}), placeholder)
	return Scenario{ID: "big-body", Title: fmt.Sprintf("XML-RPC create with a %d MB body + unlink, key", size),
		Curve: "XML-RPC create with a big body + unlink",
		Godoo: createThen(s.HTTP, s.URL+"/xmlrpc/2/object", http.Header{"Content-Type": {"text/xml"}}, create, xmlInt,
			[]template{unlink}, containsCheck("<boolean>1</boolean>", xmlFault)),
		SQL: func(int) CallFunc {
			return func(ctx context.Context) error {
				var id int64
				err := s.Pool.QueryRowContext(ctx, `INSERT INTO res_partner (name, comment, active, type, color, create_uid, write_uid)
					VALUES (?, ?, ?, 'contact', 0, 2, 2) RETURNING id`, "big body", comment, true).Scan(&id)
				if err != nil {
					return err
				}
				_, err = s.Pool.ExecContext(ctx, "DELETE FROM res_partner WHERE id = ?", id)
				return err
			}
		},
		Server: s.Server}
}

// RunGrowth measures growth scenario id at each of sizes, with o's
// clients, pairs and durations, and returns its results with their size.
func RunGrowth(ctx context.Context, setup Setup, dialect, id string, sizes []int, o Options) ([]Result, error) {
	if id == "big-body" {
		// One body of 100 MB at a time is what the targets measure; more
		// clients would hold several on a shared machine.
		o.Clients = []int{1}
	}
	g := &growRun{setup: setup, dialect: dialect, progress: o.Progress}
	defer func() {
		if g.idle != nil {
			g.idle.CloseIdle()
		}
	}()
	if g.progress == nil {
		g.progress = io.Discard
	}
	var out []Result
	for _, size := range sizes {
		scs, err := g.point(ctx, id, size)
		if err != nil {
			return out, err
		}
		fmt.Fprintf(g.progress, "bench: %s at size %d\n", id, size)
		res, err := Measure(ctx, scs, o)
		for i := range res {
			// Measure gives the scenarios in order for each number of
			// clients.
			res[i].Size, res[i].Unit, res[i].Curve = size, growUnit(id), scs[i%len(scs)].Curve
		}
		out = append(out, res...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// growChunk is the number of rows one statement of GrowPartners and
// GrowKeys writes, each in its own transaction: progress shows between
// them.
const growChunk = 100_000

// GrowPartners adds partners until res_partner holds n rows, made by the
// database itself (one INSERT … SELECT over a series per growChunk rows)
// instead of sent row by row: a million rows take seconds. They follow
// SeedPartners' mix: every fifth a company, one in ten archived, names of
// a word, a kind and a five-digit number spread by a multiplicative hash,
// and all 8 fields filled in. Progress goes to progress.
func GrowPartners(ctx context.Context, db *bun.DB, dialect string, n int, progress io.Writer) error {
	have, err := count(ctx, db, "res_partner")
	if err != nil || have >= n {
		return err
	}
	start := time.Now()
	words := valuesList(seedWords)
	kinds := valuesList(seedKinds)
	cities := valuesList(seedCities)
	now := time.Now().UTC().Format("2006-01-02 15:04:05")
	for from := have; from < n; from += growChunk {
		to := min(from+growChunk, n)
		q := "WITH " + series(dialect) + `,
			w(k, word) AS (VALUES ` + words + `),
			kd(k, kind) AS (VALUES ` + kinds + `),
			c(k, city) AS (VALUES ` + cities + `)
			INSERT INTO res_partner (name, email, phone, street, city, zip, website, is_company, active,
				type, lang, color, create_uid, write_uid, create_date, write_date)
			SELECT CASE WHEN g.i % 5 = 4 THEN w.word || ' ' || kd.kind ELSE kd.kind || ' ' || w.word END
					|| ' ' || CAST(10000 + (g.i * 48271) % 90000 AS VARCHAR),
				'contact' || CAST(g.i AS VARCHAR) || '@' || lower(w.word) || '.example.com',
				'+32 2 ' || CAST(100 + (g.i * 7919) % 900 AS VARCHAR) || ' ' || CAST(10 + g.i % 90 AS VARCHAR),
				'Rue ' || w.word || ' ' || CAST(1 + g.i % 200 AS VARCHAR),
				c.city,
				CAST(1000 + (g.i * 31) % 9000 AS VARCHAR),
				'https://www.' || lower(w.word) || CAST(g.i AS VARCHAR) || '.example.com',
				g.i % 5 = 4, (g.i / 5) % 10 <> 9, 'contact', 'en_US', 0, 1, 1, ?, ?
			FROM g
			JOIN w ON w.k = (g.i * 2654435761) % ` + strconv.Itoa(len(seedWords)) + `
			JOIN kd ON kd.k = (g.i * 40503) % ` + strconv.Itoa(len(seedKinds)) + `
			JOIN c ON c.k = (g.i * 69069) % ` + strconv.Itoa(len(seedCities))
		if _, err := db.ExecContext(ctx, q, from, to-1, now, now); err != nil {
			return fmt.Errorf("grow partners: %w", err)
		}
		fmt.Fprintf(progress, "bench: res_partner %d of %d rows (%s)\n", to, n, time.Since(start).Round(100*time.Millisecond))
	}
	return afterBulk(ctx, db, "res_partner")
}

// GrowKeys adds native keys of uid, with random indexes and hashes made by
// the database, until res_users_apikeys holds n keys.
func GrowKeys(ctx context.Context, db *bun.DB, dialect string, uid int64, n int, progress io.Writer) error {
	have, err := count(ctx, db, "res_users_apikeys")
	if err != nil || have >= n {
		return err
	}
	start := time.Now()
	index, hash := "substr(md5(random()::text), 1, 8)", "'sha256$' || md5(random()::text) || md5(random()::text)"
	if dialect == "sqlite" {
		index, hash = "lower(hex(randomblob(4)))", "'sha256$' || lower(hex(randomblob(32)))"
	}
	now := time.Now().UTC().Format("2006-01-02 15:04:05")
	for from := have; from < n; from += growChunk {
		to := min(from+growChunk, n)
		q := "WITH " + series(dialect) + `
			INSERT INTO res_users_apikeys (name, user_id, key_index, key, create_date)
			SELECT 'filler ' || CAST(g.i AS VARCHAR), ?, ` + index + `, ` + hash + `, ? FROM g`
		if _, err := db.ExecContext(ctx, q, from, to-1, uid, now); err != nil {
			return fmt.Errorf("grow keys: %w", err)
		}
		fmt.Fprintf(progress, "bench: res_users_apikeys %d of %d keys (%s)\n", to, n, time.Since(start).Round(100*time.Millisecond))
	}
	return afterBulk(ctx, db, "res_users_apikeys")
}

// afterBulk does to table, once the bench wrote many rows into it, what a
// deployment's autovacuum does after a bulk load: on PostgreSQL VACUUM
// ANALYZE, which besides the statistics moves the entries a GIN index
// (the trigram index of names) kept in its pending list into the index
// proper. Left there, every search through the index reads the whole
// list: at a million partners about 500 pages, 24 ms of a name ilike
// whose index scan takes 0.4 ms once the list is empty, and the planner
// prices the index that much higher. Autovacuum would do it within a
// minute, but the bench measures at once, and a server may run without
// it. SQLite has no such list: ANALYZE only.
func afterBulk(ctx context.Context, db *bun.DB, table string) error {
	q := "ANALYZE " + table
	if db.Dialect().Name() == dialect.PG {
		q = "VACUUM ANALYZE " + table
	}
	_, err := db.ExecContext(ctx, q)
	return err
}

// series is the common table g(i) of the integers from the statement's
// first placeholder to its second: PostgreSQL's generate_series, a
// recursive table on SQLite, which has none.
func series(dialect string) string {
	if dialect == "sqlite" {
		return "RECURSIVE g(i) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT i + 1 FROM g WHERE i < ?)"
	}
	return "g(i) AS (SELECT generate_series(CAST(? AS BIGINT), CAST(? AS BIGINT)))"
}

// valuesList renders words as the rows (index, word) of a VALUES list.
// They are the bench's own constants, without quotes.
func valuesList(words []string) string {
	rows := make([]string, len(words))
	for i, w := range words {
		rows[i] = fmt.Sprintf("(%d, '%s')", i, w)
	}
	return strings.Join(rows, ", ")
}

func count(ctx context.Context, db *bun.DB, table string) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n)
	return n, err
}

// isGrow reports whether id is a growth scenario.
func isGrow(id string) bool { return slices.Contains(GrowIDs, id) }
