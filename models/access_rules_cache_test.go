package models

import (
	"context"
	"database/sql"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
)

// countingIDB counts the statements run through it.
type countingIDB struct {
	bun.IDB
	n atomic.Int64
}

func (c *countingIDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	return c.IDB.QueryContext(ctx, q, args...)
}

func (c *countingIDB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	c.n.Add(1)
	return c.IDB.QueryRowContext(ctx, q, args...)
}

func (c *countingIDB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	c.n.Add(1)
	return c.IDB.ExecContext(ctx, q, args...)
}

// ruleTestDB is an in-memory database with the tables the record rules
// read and three models' rules: x.kept's bound to the user's row and
// companies, x.bound's to the user's commercial partner and x.company's to
// the call's company.
func ruleTestDB(t *testing.T) *bun.DB {
	t.Helper()
	ctx := context.Background()
	sqldb, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	sqldb.SetMaxOpenConns(1)
	db := bun.NewDB(sqldb, sqlitedialect.New())
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{
		"CREATE TABLE ir_model (id INTEGER PRIMARY KEY, model TEXT)",
		"CREATE TABLE ir_rule (id INTEGER PRIMARY KEY, model_id INTEGER, domain_force TEXT, active BOOLEAN, perm_read BOOLEAN)",
		"CREATE TABLE rule_group_rel (rule_group_id INTEGER, group_id INTEGER)",
		"CREATE TABLE res_groups_users_rel (gid INTEGER, uid INTEGER)",
		"CREATE TABLE res_company_users_rel (cid INTEGER, user_id INTEGER)",
		"CREATE TABLE res_users (id INTEGER PRIMARY KEY, partner_id INTEGER, company_id INTEGER)",
		"CREATE TABLE res_partner (id INTEGER PRIMARY KEY, commercial_partner_id INTEGER)",
		"INSERT INTO ir_model VALUES (1, 'x.kept'), (2, 'x.bound'), (3, 'x.company')",
		`INSERT INTO ir_rule VALUES (1, 1, '["|", ["company_id", "=", false], ["company_id", "in", "user.company_ids"]]', 1, 1),
			(2, 1, '[["user_id", "=", "user.id"]]', 1, 1),
			(3, 2, '[["partner_id", "=", "user.commercial_partner_id"]]', 1, 1),
			(4, 3, '[["company_id", "=", "env.company_id"]]', 1, 1)`,
		"INSERT INTO res_company_users_rel VALUES (1, 7), (3, 7)",
		"INSERT INTO res_users VALUES (7, 70, 1)",
		"INSERT INTO res_partner VALUES (70, 71)",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// TestRuleDomainCompaniesCounted checks that a kept rule domain bound to
// other companies than the call's counts as no hit: the call goes on to the
// cached rules, whose look-up is the one counted, so that the hit ratio an
// operator watches counts each look-up once.
func TestRuleDomainCompaniesCounted(t *testing.T) {
	ctx := context.Background()
	db := ruleTestDB(t)
	cache := NewAccessCache()
	cache.Counts = &HitCounts{}
	for call, companies := range [][]any{{int64(1)}, {int64(3)}, {int64(3)}} {
		env := NewEnv(db, "sqlite", nil, nil, 7, time.Time{})
		env.Access = cache
		env.Context["allowed_company_ids"] = companies
		d, ok, err := env.irRuleDomain(ctx, &Model{Name: "x.company"}, OpRead)
		if err != nil || !ok {
			t.Fatalf("call %d: %v, applies %v", call, err, ok)
		}
		var vals []any
		walkValues(d, func(v any) { vals = append(vals, v) })
		if !slices.Contains(vals, companies[0]) {
			t.Errorf("call %d: the domain %v lacks the call's company %v", call, d, companies[0])
		}
	}
	// The first call misses; the second finds the rules but not its
	// companies' domain (one hit); the third finds its domain (one hit).
	if h, m := cache.Counts.Hits.Load(), cache.Counts.Misses.Load(); h != 2 || m != 1 {
		t.Errorf("hits %d, misses %d; want 2 and 1", h, m)
	}
}

// TestRuleDomainKept checks that the record rules of a model, their values
// bound to the user, are kept in the access cache across calls when those
// values are the user's own row or companies (a change to which moves the
// cache's generation), so that a warm call runs no statement for them;
// and that a rule bound to the user's commercial partner, a res_partner
// value, is bound again at every call.
func TestRuleDomainKept(t *testing.T) {
	ctx := context.Background()
	db := ruleTestDB(t)
	cache := NewAccessCache()
	for _, c := range []struct {
		model      string
		warmStmts  int64
		wantValues []any
	}{
		{"x.kept", 0, []any{int64(1), int64(3), int64(7)}},
		{"x.bound", 1, []any{int64(71)}},
	} {
		t.Run(c.model, func(t *testing.T) {
			var first []any
			for call := range 3 {
				idb := &countingIDB{IDB: db}
				env := NewEnv(idb, "sqlite", nil, nil, 7, time.Time{})
				env.Access = cache
				d, ok, err := env.irRuleDomain(ctx, &Model{Name: c.model}, OpRead)
				if err != nil || !ok {
					t.Fatalf("call %d: %v, applies %v", call, err, ok)
				}
				if call == 0 {
					first = d
					var vals []any
					walkValues(d, func(v any) { vals = append(vals, v) })
					for _, want := range c.wantValues {
						if !slices.Contains(vals, want) {
							t.Errorf("the domain %v lacks the bound value %v", d, want)
						}
					}
					continue
				}
				if n := idb.n.Load(); n != c.warmStmts {
					t.Errorf("call %d ran %d statements, want %d", call, n, c.warmStmts)
				}
				if len(d) != len(first) {
					t.Errorf("call %d: domain %v, first %v", call, d, first)
				}
			}
		})
	}
}

// walkValues calls f with the values of the terms of d, and the elements
// of list values.
func walkValues(d []any, f func(any)) {
	for _, item := range d {
		t, ok := item.([]any)
		if !ok || len(t) != 3 {
			continue
		}
		if l, ok := t[2].([]any); ok {
			for _, v := range l {
				f(v)
			}
			continue
		}
		f(t[2])
	}
}

// TestCompaniesKey checks the name of a call's companies, which keys the
// record rules of a transaction and of the access cache: one per list of
// ids, however the context spells them, and "-" for none.
func TestCompaniesKey(t *testing.T) {
	for _, c := range []struct {
		allowed any
		want    string
	}{
		{nil, "-"},
		{[]any{}, "-"},
		{[]any{int64(1)}, "1"},
		{[]any{float64(1), float64(3)}, "1,3"},
		{[]any{int64(13)}, "13"},
		{[]int64{3, 1}, "3,1"},
		{[]any{"x"}, "-"},
	} {
		env := NewEnv(nil, "sqlite", nil, nil, 7, time.Time{})
		if c.allowed != nil {
			env.Context["allowed_company_ids"] = c.allowed
		}
		if got := env.companiesKey(); got != c.want {
			t.Errorf("companiesKey(%v) = %q, want %q", c.allowed, got, c.want)
		}
	}
}

// TestRuleDomainPerCompanies checks that a transaction whose calls switch
// companies binds each call's rules to its own companies.
func TestRuleDomainPerCompanies(t *testing.T) {
	ctx := context.Background()
	db := ruleTestDB(t)
	env := NewEnv(db, "sqlite", nil, nil, 7, time.Time{})
	env.Access = NewAccessCache()
	for call, companies := range [][]any{{int64(1)}, {int64(3)}, {int64(1), int64(3)}, {int64(3), int64(1)}, {int64(1)}} {
		env.Context["allowed_company_ids"] = companies
		d, ok, err := env.irRuleDomain(ctx, &Model{Name: "x.company"}, OpRead)
		if err != nil || !ok {
			t.Fatalf("call %d: %v, applies %v", call, err, ok)
		}
		var vals []any
		walkValues(d, func(v any) { vals = append(vals, v) })
		if len(vals) == 0 || vals[0] != companies[0] {
			t.Errorf("call %d: the domain %v is not bound to the call's company %v", call, d, companies[0])
		}
	}
}
